import Testing

@testable import ConvergeCapture

@Suite struct PcapTests {
    /// Little-endian, microsecond pcap with two packets.
    static let twoPackets: [UInt8] = [
        0xd4, 0xc3, 0xb2, 0xa1,  // magic a1b2c3d4 written little-endian: microseconds
        0x02, 0x00, 0x04, 0x00,  // version 2.4
        0x00, 0x00, 0x00, 0x00,  // thiszone
        0x00, 0x00, 0x00, 0x00,  // sigfigs
        0xff, 0xff, 0x00, 0x00,  // snaplen 65535
        0x01, 0x00, 0x00, 0x00,  // link type 1 (Ethernet)
        // record 1 at offset 24
        0x00, 0xf1, 0x53, 0x65,  // ts_sec 1_700_000_000
        0x90, 0xd0, 0x03, 0x00,  // ts_usec 250_000
        0x04, 0x00, 0x00, 0x00,  // caplen 4
        0x3c, 0x00, 0x00, 0x00,  // len 60 (cut by the snaplen of the capturing tool)
        0xde, 0xad, 0xbe, 0xef,  // data
        // record 2 at offset 44
        0x01, 0xf1, 0x53, 0x65,  // ts_sec 1_700_000_001
        0x05, 0x00, 0x00, 0x00,  // ts_usec 5
        0x06, 0x00, 0x00, 0x00,  // caplen 6
        0x06, 0x00, 0x00, 0x00,  // len 6
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06,  // data
    ]

    @Test func readsLittleEndianMicroseconds() throws {
        let result = try CaptureTestSupport.read(Self.twoPackets)
        #expect(result.errors.isEmpty)
        #expect(result.packets == [
            ReadPacket(
                timestamp: 1_700_000_000_250_000_000, linkType: 1, capturedLength: 4, originalLength: 60,
                fileIndex: 0, record: 1, offset: 24, interfaceID: 0, bytes: [0xde, 0xad, 0xbe, 0xef]),
            ReadPacket(
                timestamp: 1_700_000_001_000_005_000, linkType: 1, capturedLength: 6, originalLength: 6,
                fileIndex: 0, record: 2, offset: 44, interfaceID: 0, bytes: [1, 2, 3, 4, 5, 6]),
        ])
    }

    @Test(arguments: [false, true], [false, true])
    func readsEveryByteOrderAndResolution(bigEndian: Bool, nanoseconds: Bool) throws {
        let bytes = Fixtures.pcapFile(
            bigEndian: bigEndian, nanoseconds: nanoseconds, linkType: 113,
            records: [
                PcapRecord(seconds: 10, fraction: 999_999, data: [1, 2, 3]),
                PcapRecord(seconds: 4_000_000_000, fraction: 7, data: [], originalLength: 1500),
            ])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        let unit: Int64 = nanoseconds ? 1 : 1000
        #expect(result.packets.map(\.timestamp) == [
            10 * 1_000_000_000 + 999_999 * unit, 4_000_000_000 * 1_000_000_000 + 7 * unit,
        ])
        #expect(result.packets.map(\.linkType) == [113, 113])
        #expect(result.packets.map(\.bytes) == [[1, 2, 3], []])
        #expect(result.packets.map(\.originalLength) == [3, 1500])
    }

    @Test func readsModifiedPcap() throws {
        let bytes = Fixtures.pcapFile(
            bigEndian: true, modified: true, records: [PcapRecord(seconds: 1, fraction: 2, data: [9, 9])])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        #expect(result.packets.map(\.bytes) == [[9, 9]])
        #expect(result.packets.first?.timestamp == 1_000_002_000)
    }

    @Test(arguments: [UInt32(0x1000_0001), 0x1400_0001, 0xfc00_0001])
    func masksFcsBitsOfTheLinkType(field: UInt32) throws {
        let bytes = Fixtures.pcapFile(linkType: field, records: [PcapRecord(seconds: 1, fraction: 0, data: [1])])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.packets.map(\.linkType) == [1])
    }

    @Test func deliversUnknownLinkTypes() throws {
        let bytes = Fixtures.pcapFile(linkType: 65000, records: [PcapRecord(seconds: 1, fraction: 0, data: [1])])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        #expect(result.packets.map(\.linkType) == [65000])
    }

    @Test func snaplenZeroMeansNoLimit() throws {
        let bytes = Fixtures.pcapFile(snaplen: 0, records: [PcapRecord(seconds: 1, fraction: 0, data: [1, 2, 3])])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        #expect(result.packets.count == 1)
    }

    @Test func headerOnlyFileHasNoPacketsAndNoError() throws {
        let result = try CaptureTestSupport.read(Array(Self.twoPackets.prefix(24)))
        #expect(result.packets.isEmpty)
        #expect(result.errors.isEmpty)
    }

    /// Every prefix of the file reads cleanly: the complete records before the cut, then either the
    /// clean end (a cut between records) or one error naming the record that was cut.
    @Test(arguments: 0...twoPackets.count)
    func everyTruncatedPrefix(length: Int) throws {
        let result = try CaptureTestSupport.read(Array(Self.twoPackets.prefix(length)))
        let complete = length >= 66 ? 2 : length >= 44 ? 1 : 0
        #expect(result.packets.count == complete)
        let boundary = [24, 44, 66].contains(length)
        #expect(result.errors.count == (boundary ? 0 : 1))
        if let error = result.errors.first {
            #expect(error.record == (length < 24 ? 0 : complete + 1))
        }
    }
}
