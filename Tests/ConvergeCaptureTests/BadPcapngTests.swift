import Testing

@testable import ConvergeCapture

@Suite struct BadPcapngTests {
    static let start = Fixtures.sectionHeader(bigEndian: false) + Fixtures.interface(bigEndian: false, snaplen: 8)
    static let good = Fixtures.enhancedPacket(bigEndian: false, ticks: 1, data: [1])

    static func reason(_ bytes: [UInt8]) throws -> (packets: Int, error: CaptureError?) {
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.count <= 1)
        return (result.packets.count, result.errors.first)
    }

    @Test func blockLengthMismatch() throws {
        var bad = Fixtures.enhancedPacket(bigEndian: false, ticks: 2, data: [2])
        bad[bad.count - 4] = 0x40  // trailing length no longer matches the leading one
        let (packets, error) = try Self.reason(Self.start + Self.good + bad)
        #expect(packets == 1)
        #expect(error?.reason == "block total length mismatch: 48 at the start, 64 at the end")
        #expect(error?.record == 2)
        #expect(error?.offset == Self.start.count + Self.good.count)
    }

    @Test func blockLengthNotAMultipleOfFour() throws {
        let bad = Fixtures.block(0x1234, [0, 0, 0, 0], bigEndian: false, lengthOverride: 17)
        let (packets, error) = try Self.reason(Self.start + Self.good + bad + Self.good)
        #expect(packets == 1)
        #expect(error?.reason == "block total length 17 is not a multiple of 4")
    }

    @Test func blockLengthTooSmall() throws {
        let bad = Fixtures.block(0x1234, [0, 0, 0, 0], bigEndian: false, lengthOverride: 8)
        let (_, error) = try Self.reason(Self.start + bad)
        #expect(error?.reason == "block total length 8 is too small (minimum 12)")
    }

    @Test func blockLengthAbsurd() throws {
        let bad = Fixtures.block(0x1234, [0, 0, 0, 0], bigEndian: false, lengthOverride: 0xffff_fff0)
        let (_, error) = try Self.reason(Self.start + bad)
        #expect(error?.reason == "block total length 4294967280 exceeds the maximum of 16777216")
    }

    @Test func blockCutShort() throws {
        let bytes = Self.start + Self.good + Array(Self.good.prefix(30))
        let (packets, error) = try Self.reason(bytes)
        #expect(packets == 1)
        #expect(error?.reason == "truncated record: needs 48 bytes, 30 remain")
    }

    @Test func caplenLargerThanTheBlock() throws {
        let start = Fixtures.sectionHeader(bigEndian: false) + Fixtures.interface(bigEndian: false, snaplen: 0)
        let bad = Fixtures.enhancedPacket(bigEndian: false, ticks: 2, data: [1, 2], capturedLength: 17)
        let (packets, error) = try Self.reason(start + Self.good + bad)
        #expect(packets == 1)
        // The block holds 4 bytes of padded data and 12 of options after the 20-byte fixed part.
        #expect(error?.reason == "caplen 17 larger than the block's 16 bytes of packet data")
    }

    @Test func caplenLargerThanSnaplen() throws {
        let bad = Fixtures.enhancedPacket(bigEndian: false, ticks: 2, data: [UInt8](repeating: 7, count: 9))
        let (packets, error) = try Self.reason(Self.start + Self.good + bad)
        #expect(packets == 1)
        #expect(error?.reason == "caplen 9 larger than snaplen 8")
    }

    @Test func caplenAbsurd() throws {
        let bad = Fixtures.enhancedPacket(bigEndian: false, ticks: 2, data: [1], capturedLength: 0x8000_0000)
        let (_, error) = try Self.reason(Self.start + bad)
        #expect(error?.reason == "caplen 2147483648 exceeds the maximum of 262144")
    }

    @Test func packetBeforeAnyInterface() throws {
        let (_, error) = try Self.reason(Fixtures.sectionHeader(bigEndian: false) + Self.good)
        #expect(error?.reason == "packet for undefined interface 0 (0 defined)")
        let spb = Fixtures.simplePacket(bigEndian: false, originalLength: 1, data: [1])
        let (_, spbError) = try Self.reason(Fixtures.sectionHeader(bigEndian: false) + spb)
        #expect(spbError?.reason == "simple packet block before any interface description")
    }

    @Test func badByteOrderMagic() throws {
        var bytes = Fixtures.sectionHeader(bigEndian: false)
        bytes[8] = 0x00
        let (_, error) = try Self.reason(bytes)
        #expect(error?.reason == "section header with a bad byte-order magic")
    }

    @Test func unsupportedVersion() throws {
        let (_, error) = try Self.reason(Fixtures.sectionHeader(bigEndian: true, major: 2))
        #expect(error?.reason == "unsupported pcapng version 2.0")
    }

    @Test func shortBlocksOfKnownTypes() throws {
        let idb = Fixtures.block(1, [1, 0, 0, 0], bigEndian: false)
        #expect(try Self.reason(Fixtures.sectionHeader(bigEndian: false) + idb).error?.reason
            == "interface description block too short")
        let epb = Fixtures.block(6, [0, 0, 0, 0, 0, 0, 0, 0], bigEndian: false)
        #expect(try Self.reason(Self.start + epb).error?.reason == "enhanced packet block too short")
        let pb = Fixtures.block(2, [0, 0, 0, 0], bigEndian: false)
        #expect(try Self.reason(Self.start + pb).error?.reason == "packet block too short")
        let spb = Fixtures.block(3, [], bigEndian: false)
        #expect(try Self.reason(Self.start + spb).error?.reason == "simple packet block too short")
    }

    /// Options that run past their block are ignored, not read outside it.
    @Test func interfaceOptionRunningPastTheBlock() throws {
        var body = FixtureBytes(bigEndian: false)
        body.u16(1)  // link type
        body.u16(0)
        body.u32(0)  // snaplen
        body.u16(9)  // if_tsresol claiming 200 bytes
        body.u16(200)
        body.u32(0x09)
        let idb = Fixtures.block(1, body.bytes, bigEndian: false)
        let bytes = Fixtures.sectionHeader(bigEndian: false) + idb + Self.good
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        #expect(result.packets.map(\.timestamp) == [1000])  // still microseconds
    }
}
