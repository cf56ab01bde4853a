import Testing

@testable import ConvergeCapture

@Suite struct PcapngTests {
    /// Little-endian pcapng: one section, one nanosecond interface, two packets with a name
    /// resolution and an interface statistics block between them.
    static let twoPackets: [UInt8] = [
        // Section Header Block at 0
        0x0a, 0x0d, 0x0d, 0x0a,  // block type
        0x1c, 0x00, 0x00, 0x00,  // total length 28
        0x4d, 0x3c, 0x2b, 0x1a,  // byte-order magic 1a2b3c4d, little-endian
        0x01, 0x00, 0x00, 0x00,  // version 1.0
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // section length: unknown
        0x1c, 0x00, 0x00, 0x00,  // total length 28
        // Interface Description Block at 28
        0x01, 0x00, 0x00, 0x00,  // block type 1
        0x20, 0x00, 0x00, 0x00,  // total length 32
        0x01, 0x00, 0x00, 0x00,  // link type 1 (Ethernet), reserved
        0xff, 0xff, 0x00, 0x00,  // snaplen 65535
        0x09, 0x00, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00,  // if_tsresol = 9 (nanoseconds), padded
        0x00, 0x00, 0x00, 0x00,  // opt_endofopt
        0x20, 0x00, 0x00, 0x00,  // total length 32
        // Enhanced Packet Block at 60
        0x06, 0x00, 0x00, 0x00,  // block type 6
        0x28, 0x00, 0x00, 0x00,  // total length 40
        0x00, 0x00, 0x00, 0x00,  // interface 0
        0xfe, 0x9c, 0x97, 0x17,  // timestamp high: 1_700_000_000_123_456_789 ns
        0x15, 0xcd, 0x85, 0x3d,  // timestamp low
        0x05, 0x00, 0x00, 0x00,  // caplen 5
        0x40, 0x00, 0x00, 0x00,  // original length 64
        0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x00, 0x00, 0x00,  // data, padded to 4
        0x28, 0x00, 0x00, 0x00,  // total length 40
        // Name Resolution Block at 100 (skipped)
        0x04, 0x00, 0x00, 0x00,  // block type 4
        0x10, 0x00, 0x00, 0x00,  // total length 16
        0x00, 0x00, 0x00, 0x00,  // nrb_record_end
        0x10, 0x00, 0x00, 0x00,  // total length 16
        // Interface Statistics Block at 116 (skipped)
        0x05, 0x00, 0x00, 0x00,  // block type 5
        0x18, 0x00, 0x00, 0x00,  // total length 24
        0x00, 0x00, 0x00, 0x00,  // interface 0
        0xfe, 0x9c, 0x97, 0x17, 0x15, 0xcd, 0x85, 0x3d,  // timestamp
        0x18, 0x00, 0x00, 0x00,  // total length 24
        // Enhanced Packet Block at 140
        0x06, 0x00, 0x00, 0x00,  // block type 6
        0x24, 0x00, 0x00, 0x00,  // total length 36
        0x00, 0x00, 0x00, 0x00,  // interface 0
        0xfe, 0x9c, 0x97, 0x17,  // timestamp high: one second later
        0x15, 0x97, 0x20, 0x79,  // timestamp low
        0x02, 0x00, 0x00, 0x00,  // caplen 2
        0x02, 0x00, 0x00, 0x00,  // original length 2
        0xff, 0xee, 0x00, 0x00,  // data, padded to 4
        0x24, 0x00, 0x00, 0x00,  // total length 36
    ]

    @Test func readsLittleEndianFile() throws {
        #expect(Self.twoPackets.count == 176)
        let result = try CaptureTestSupport.read(Self.twoPackets)
        #expect(result.errors.isEmpty)
        #expect(result.packets == [
            ReadPacket(
                timestamp: 1_700_000_000_123_456_789, linkType: 1, capturedLength: 5, originalLength: 64,
                fileIndex: 0, record: 1, offset: 60, interfaceID: 0, bytes: [0x0a, 0x0b, 0x0c, 0x0d, 0x0e]),
            ReadPacket(
                timestamp: 1_700_000_001_123_456_789, linkType: 1, capturedLength: 2, originalLength: 2,
                fileIndex: 0, record: 2, offset: 140, interfaceID: 0, bytes: [0xff, 0xee]),
        ])
    }

    @Test(arguments: [false, true])
    func readsBothByteOrders(bigEndian: Bool) throws {
        let bytes =
            Fixtures.sectionHeader(bigEndian: bigEndian)
            + Fixtures.interface(bigEndian: bigEndian, linkType: 101, snaplen: 100)
            + Fixtures.enhancedPacket(bigEndian: bigEndian, ticks: 5_000_001, data: [1, 2, 3], originalLength: 9)
            + Fixtures.block(0xbad, [1, 2, 3, 4, 5], bigEndian: bigEndian)  // custom block, skipped
            + Fixtures.block(0x4000_0bad, [], bigEndian: bigEndian)  // custom block, not copied, skipped
            + Fixtures.block(0x0a, [0, 0, 0, 0, 0, 0, 0, 0], bigEndian: bigEndian)  // decryption secrets
            + Fixtures.block(0x1234_5678, [9, 9, 9, 9], bigEndian: bigEndian)  // unknown type
            + Fixtures.enhancedPacket(bigEndian: bigEndian, ticks: 5_000_002, data: [])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        #expect(result.packets.map(\.timestamp) == [5_000_001_000, 5_000_002_000])  // default: microseconds
        #expect(result.packets.map(\.linkType) == [101, 101])
        #expect(result.packets.map(\.bytes) == [[1, 2, 3], []])
        #expect(result.packets.map(\.originalLength) == [9, 0])
    }

    /// Each interface has its own link type and resolution; a new section (here in the other byte
    /// order) starts numbering interfaces from 0 again.
    @Test func interfacesAndSections() throws {
        let bytes =
            Fixtures.sectionHeader(bigEndian: false)
            + Fixtures.interface(bigEndian: false, linkType: 1)  // 0: microseconds
            + Fixtures.interface(bigEndian: false, linkType: 113, tsresol: 9)  // 1: nanoseconds
            + Fixtures.interface(bigEndian: false, linkType: 101, tsresol: 0x80 | 10)  // 2: 1/1024 s
            + Fixtures.interface(bigEndian: false, linkType: 228, tsresol: 3, tsoffset: 100)  // 3: ms, +100 s
            + Fixtures.interface(bigEndian: false, linkType: 147, tsresol: 12)  // 4: picoseconds
            + Fixtures.enhancedPacket(bigEndian: false, interface: 0, ticks: 7, data: [0])
            + Fixtures.enhancedPacket(bigEndian: false, interface: 1, ticks: 7, data: [1])
            + Fixtures.enhancedPacket(bigEndian: false, interface: 2, ticks: 1536, data: [2])
            + Fixtures.enhancedPacket(bigEndian: false, interface: 3, ticks: 2500, data: [3])
            + Fixtures.enhancedPacket(bigEndian: false, interface: 4, ticks: 123_456_789_012, data: [4])
            + Fixtures.sectionHeader(bigEndian: true)
            + Fixtures.interface(bigEndian: true, linkType: 276, tsresol: 9)
            + Fixtures.enhancedPacket(bigEndian: true, interface: 0, ticks: 42, data: [5])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        #expect(result.packets.map(\.linkType) == [1, 113, 101, 228, 147, 276])
        #expect(result.packets.map(\.interfaceID) == [0, 1, 2, 3, 4, 0])
        #expect(result.packets.map(\.timestamp) == [
            7_000, 7, 1_500_000_000, 102_500_000_000, 123_456_789, 42,
        ])
        #expect(result.packets.map(\.record) == [1, 2, 3, 4, 5, 6])
    }

    @Test func interfaceOfAnEarlierSectionIsGone() throws {
        let bytes =
            Fixtures.sectionHeader(bigEndian: false)
            + Fixtures.interface(bigEndian: false)
            + Fixtures.interface(bigEndian: false)
            + Fixtures.enhancedPacket(bigEndian: false, interface: 1, ticks: 1, data: [1])
            + Fixtures.sectionHeader(bigEndian: false)
            + Fixtures.interface(bigEndian: false)
            + Fixtures.enhancedPacket(bigEndian: false, interface: 1, ticks: 2, data: [2])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.packets.map(\.bytes) == [[1]])
        #expect(result.errors.first?.reason == "packet for undefined interface 1 (1 defined)")
        #expect(result.errors.first?.record == 2)
    }

    /// SPB: interface 0, length from the block bounded by the original length and the snaplen,
    /// time inherited from the packet before it.
    @Test(arguments: [false, true])
    func simplePacketBlocks(bigEndian: Bool) throws {
        let bytes =
            Fixtures.sectionHeader(bigEndian: bigEndian)
            + Fixtures.interface(bigEndian: bigEndian, linkType: 1, snaplen: 6, tsresol: 9)
            + Fixtures.simplePacket(bigEndian: bigEndian, originalLength: 3, data: [1, 2, 3])  // 1 byte padding
            + Fixtures.enhancedPacket(bigEndian: bigEndian, ticks: 99, data: [7])
            + Fixtures.simplePacket(bigEndian: bigEndian, originalLength: 1000, data: [1, 2, 3, 4, 5, 6, 7, 8])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        #expect(result.packets.map(\.bytes) == [[1, 2, 3], [7], [1, 2, 3, 4, 5, 6]])
        #expect(result.packets.map(\.originalLength) == [3, 1, 1000])
        #expect(result.packets.map(\.timestamp) == [0, 99, 99])
    }

    @Test(arguments: [false, true])
    func obsoletePacketBlocks(bigEndian: Bool) throws {
        let bytes =
            Fixtures.sectionHeader(bigEndian: bigEndian)
            + Fixtures.interface(bigEndian: bigEndian, linkType: 1)
            + Fixtures.interface(bigEndian: bigEndian, linkType: 101, tsresol: 9)
            + Fixtures.obsoletePacket(bigEndian: bigEndian, interface: 1, ticks: 0x1_0000_0002, data: [4, 5])
        let result = try CaptureTestSupport.read(bytes)
        #expect(result.errors.isEmpty)
        #expect(result.packets == [
            ReadPacket(
                timestamp: 0x1_0000_0002, linkType: 101, capturedLength: 2, originalLength: 2, fileIndex: 0,
                record: 1, offset: 28 + 32 + 40, interfaceID: 1, bytes: [4, 5])
        ])
    }

    @Test func sectionWithoutInterfacesHasNoPackets() throws {
        let result = try CaptureTestSupport.read(Fixtures.sectionHeader(bigEndian: true))
        #expect(result.packets.isEmpty)
        #expect(result.errors.isEmpty)
    }

    /// Every prefix: the packets whose blocks are complete, then the clean end (a cut between
    /// blocks) or one error for the block that was cut.
    @Test(arguments: 0...twoPackets.count)
    func everyTruncatedPrefix(length: Int) throws {
        let result = try CaptureTestSupport.read(Array(Self.twoPackets.prefix(length)))
        let complete = length >= 176 ? 2 : length >= 100 ? 1 : 0
        #expect(result.packets.count == complete)
        let boundary = [28, 60, 100, 116, 140, 176].contains(length)
        #expect(result.errors.count == (boundary ? 0 : 1), "\(result.errors)")
    }
}
