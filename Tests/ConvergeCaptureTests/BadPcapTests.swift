import Testing

@testable import ConvergeCapture

/// Damaged and non-capture inputs: one error each, naming record, offset and reason; everything
/// before the damage delivered.
@Suite struct BadPcapTests {
    @Test func zeroByteFile() throws {
        let result = try CaptureTestSupport.read([])
        #expect(result.packets.isEmpty)
        #expect(result.errors == [CaptureError(file: "test", record: 0, offset: 0, reason: "empty file (0 bytes)")])
    }

    @Test func nonCaptureFile() throws {
        let result = try CaptureTestSupport.read(Array("<!DOCTYPE html><html></html>".utf8))
        #expect(result.errors == [CaptureError(
            file: "test", record: 0, offset: 0, reason: "not a pcap or pcapng capture (magic 3c 21 44 4f)")])
    }

    @Test func tooShortForAMagic() throws {
        let result = try CaptureTestSupport.read([0xd4, 0xc3, 0xb2])
        #expect(result.errors.first?.reason == "not a pcap or pcapng capture (only 3 bytes)")
    }

    @Test func truncatedFileHeader() throws {
        let result = try CaptureTestSupport.read(Array(PcapTests.twoPackets.prefix(10)))
        #expect(result.errors.first?.reason == "truncated file header: needs 24 bytes, 10 remain")
    }

    @Test func cutMidRecordKeepsEarlierPackets() throws {
        let result = try CaptureTestSupport.read(Array(PcapTests.twoPackets.prefix(44 + 16 + 3)))
        #expect(result.packets.count == 1)
        #expect(result.errors == [CaptureError(
            file: "test", record: 2, offset: 44, reason: "truncated record: needs 22 bytes, 19 remain")])
    }

    @Test func cutMidRecordHeader() throws {
        let result = try CaptureTestSupport.read(Array(PcapTests.twoPackets.prefix(44 + 5)))
        #expect(result.errors.first?.reason == "truncated record: needs 16 bytes, 5 remain")
    }

    @Test func caplenLargerThanSnaplen() throws {
        let bytes = Fixtures.pcapFile(
            snaplen: 4,
            records: [
                PcapRecord(seconds: 1, fraction: 0, data: [1, 2, 3, 4]),
                PcapRecord(seconds: 2, fraction: 0, data: [1, 2, 3, 4, 5]),
            ])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.packets.count == 1)
        #expect(result.errors == [CaptureError(
            file: "test", record: 2, offset: 44, reason: "caplen 5 larger than snaplen 4")])
    }

    @Test func caplenLargerThanTheRecord() throws {
        let bytes = Fixtures.pcapFile(records: [PcapRecord(seconds: 1, fraction: 0, data: [1], capturedLength: 100)])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.packets.isEmpty)
        #expect(result.errors.first?.reason == "truncated record: needs 116 bytes, 17 remain")
    }

    @Test(arguments: [UInt32(262_145), 0x7fff_ffff, 0xffff_ffff])
    func absurdCaplen(caplen: UInt32) throws {
        let bytes = Fixtures.pcapFile(
            snaplen: 0xffff_ffff, records: [PcapRecord(seconds: 1, fraction: 0, data: [1], capturedLength: caplen)])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.packets.isEmpty)
        #expect(result.errors.first?.reason == "caplen \(caplen) exceeds the maximum of 262144")
    }

    @Test func largestAllowedCaplenIsRead() throws {
        let data = [UInt8](repeating: 0xab, count: CaptureLimits.maxPacketLength)
        let bytes = Fixtures.pcapFile(snaplen: 0, records: [PcapRecord(seconds: 1, fraction: 0, data: data)])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        #expect(result.packets.first?.bytes == data)
    }

    @Test func missingFile() {
        let result = CaptureTestSupport.read(paths: ["/nonexistent/converge/none.pcap"])
        #expect(result.errors == [CaptureError(
            file: "/nonexistent/converge/none.pcap", record: 0, offset: 0,
            reason: "cannot open: No such file or directory")])
    }

    @Test func directoryIsNotACapture() {
        let result = CaptureTestSupport.read(paths: ["/tmp"])
        #expect(result.errors.first?.reason == "cannot read: is a directory")
    }
}
