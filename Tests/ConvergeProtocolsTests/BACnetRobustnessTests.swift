import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Hostile input: every truncated prefix, every BVLC length, deep nesting, bad tag lengths and
/// seeded random datagrams. Nothing may trap; every outcome must be typed.
@Suite struct BACnetRobustnessTests {
    static let fixtures: [[UInt8]] = [
        BACnetFrameTests.whoIsGlobal, BACnetFrameTests.forwardedRoutedRead, BACnetFrameTests.routedReadAck,
        BACnetServiceTests.dccWithPassword, BACnetServiceTests.reinitializeColdWithPassword,
        // bacpypes3 frame 31: readPropertyMultiple ack with reals, enumerateds, bit strings, a priority array
        [
            0x81, 0x0a, 0x00, 0x57, 0x01, 0x00, 0x30, 0x09, 0x0e, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x1e, 0x29, 0x55,
            0x4e, 0x44, 0x41, 0x87, 0xeb, 0x85, 0x4f, 0x29, 0x75, 0x4e, 0x91, 0x3e, 0x4f, 0x29, 0x6f, 0x4e, 0x82,
            0x04, 0x00, 0x4f, 0x1f, 0x0c, 0x00, 0x80, 0x00, 0x01, 0x1e, 0x29, 0x55, 0x4e, 0x44, 0x41, 0xa8, 0x00,
            0x00, 0x4f, 0x29, 0x57, 0x4e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x4f, 0x1f, 0x0c, 0x01, 0x00, 0x00, 0x01, 0x1e, 0x29, 0x55, 0x4e, 0x91, 0x01,
            0x4f, 0x1f,
        ],
    ]

    /// Parses and, on success, builds every derived output, so the event builders see the input too.
    static func exercise(_ bytes: [UInt8], _ direction: Direction = .toClient, state: inout BACnetIP.State)
        -> Result<BACnetIP.Frame, DissectError>
    {
        switch BACnetHarness.parse(bytes, direction, state: &state) {
        case .success(let parsed):
            #expect(parsed.consumed == bytes.count)
            let context = BACnetHarness.context(direction)
            _ = BACnetIP.event(parsed.message, bytes: bytes.span, context: context, state: &state)
            _ = BACnetIP.facts(parsed.message, bytes: bytes.span, context: context)
            _ = BACnetIP.processValues(parsed.message, bytes: bytes.span, context: context)
            return .success(parsed.message)
        case .failure(let error):
            return .failure(error)
        }
    }

    static var prefixCases: [(Int, Int)] {
        fixtures.indices.flatMap { index in (0..<fixtures[index].count).map { (index, $0) } }
    }

    @Test(arguments: prefixCases)
    func everyTruncatedPrefixIsNeedMoreOrFlagged(fixture: Int, length: Int) {
        var state = BACnetIP.makeState()
        let prefix = Array(Self.fixtures[fixture].prefix(length))
        switch Self.exercise(prefix, state: &state) {
        case .failure(.needMore(let needed)):
            #expect(length < BACnetIP.bvlcHeaderLength && needed == BACnetIP.bvlcHeaderLength)
        case .failure(.malformed):
            Issue.record("a prefix of a sound datagram is not malformed framing")
        case .success(let frame):
            // The BVLC length still counts the missing bytes.
            #expect(frame.anomalies.contains(.truncated))
        }
    }

    @Test(arguments: fixtures.indices)
    func everyBVLCLengthIsHandled(fixture: Int) {
        var bytes = Self.fixtures[fixture]
        for length in 0...0x1_00 where length != bytes.count {
            bytes[2] = UInt8(length >> 8)
            bytes[3] = UInt8(length & 0xff)
            var state = BACnetIP.makeState()
            switch Self.exercise(bytes, state: &state) {
            case .failure(.malformed):
                #expect(length < 4)
            case .failure(.needMore):
                Issue.record("a whole header never needs more")
            case .success(let frame):
                #expect(frame.anomalies.contains(length > bytes.count ? .truncated : .invalidLength))
            }
        }
    }

    /// WriteProperty of analog-value,1 present-value with `depth` nested constructed values.
    static func nested(depth: Int) -> [UInt8] {
        let value =
            Array(repeating: UInt8(0x0e), count: depth) + [0x44, 0x41, 0xb4, 0x00, 0x00]
            + Array(repeating: UInt8(0x0f), count: depth)
        return BACnetServiceTests.datagram(
            [0x00, 0x05, 0x01, 0x0f, 0x0c, 0x00, 0x80, 0x00, 0x01, 0x19, 0x55, 0x3e] + value + [0x3f])
    }

    @Test func deepNestingIsCapped() throws {
        let shallow = try #require(BACnetHarness.message(Self.nested(depth: BACnetIP.maxTagDepth - 1)))
        #expect(shallow.frame.anomalies.isEmpty)
        #expect(shallow.values.map(\.value) == [22.5])
        let deep = try #require(BACnetHarness.message(Self.nested(depth: 10_000)))
        #expect(deep.frame.anomalies.contains(.tagDepthExceeded))
        #expect(deep.values.isEmpty)
        // Unbalanced: openings never closed.
        var unbalanced = Self.nested(depth: 3)
        unbalanced.removeLast(2)
        unbalanced[3] = UInt8(unbalanced.count)
        #expect(BACnetHarness.frame(unbalanced)?.anomalies.contains(.malformedTags) == true)
    }

    func tagAt(_ bytes: [UInt8], _ offset: Int, end: Int? = nil) -> BACnetIP.Tag? {
        BACnetIP.tag(bytes.span, at: offset, end: end ?? bytes.count)
    }

    @Test func tagHeadersDecode() throws {
        let bytes: [UInt8] = [
            0xf9, 0x80, 0x05,  // context tag 128 (extended number), length 1
            0x75, 0xfe, 0x01, 0x00,  // application character string, 16-bit extended length 256
            0x65, 0xff, 0x00, 0x01, 0x00, 0x00,  // octet string, 32-bit length 65536: above the cap
            0x11,  // application boolean true
            0x7e,  // context 7 opening
            0x06,  // application tag 0 with LVT 6: reserved
        ]
        let extended = try #require(tagAt(bytes, 0))
        #expect(extended.number == 128 && extended.isContext && extended.length == 1 && extended.headerLength == 2)
        let long = try #require(tagAt(bytes, 3))
        #expect(long.number == 7 && long.length == 256 && long.headerLength == 4)
        #expect(!BACnetIP.fits(long, at: 3, end: bytes.count))
        #expect(tagAt(bytes, 7) == nil)
        let boolean = try #require(tagAt(bytes, 13))
        #expect(boolean.booleanValue && boolean.length == 0)
        #expect(tagAt(bytes, 14)?.kind == .opening)
        #expect(tagAt(bytes, 15) == nil)
        #expect(tagAt(bytes, 1, end: 1) == nil)
        let negative: [UInt8] = [0xff, 0x85]
        let signed = BACnetIP.signed(negative.span, at: 0, length: 2)
        #expect(signed == -123)
        let nine: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let tooLong = BACnetIP.unsigned(nine.span, at: 0, length: 9)
        #expect(tooLong == nil)
    }

    @Test(arguments: [1, 2, 3])
    func randomDatagramsNeverTrap(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var state = BACnetIP.makeState()
        var parsed = 0
        for round in 0..<1000 {
            let size = Int.random(in: 0...160, using: &generator)
            var bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 2 == 0, size >= 8 {
                // Sound BVLC and NPDU headers, so the APDU and tag walkers see hostile bodies.
                bytes[0] = 0x81
                bytes[1] = [0x0a, 0x0b, 0x04, 0x09][Int.random(in: 0...3, using: &generator)]
                bytes[2] = UInt8(size >> 8)
                bytes[3] = UInt8(size & 0xff)
                bytes[4] = 0x01
                bytes[5] &= 0x2c  // only the routing and expecting-reply bits
                if bytes[1] == 0x04, size >= 14 {
                    bytes[10] = 0x01
                    bytes[11] &= 0x2c
                }
            }
            let direction: Direction = round % 3 == 0 ? .toServer : .toClient
            if case .success = Self.exercise(bytes, direction, state: &state) { parsed += 1 }
            #expect(state.pending.count <= BACnetIP.PendingTable.capacity)
        }
        #expect(parsed > 300)
    }

    @Test func randomTagSoupNeverTraps() {
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<2000 {
            let body = (0..<Int.random(in: 0...80, using: &generator)).map { _ -> UInt8 in
                // Mostly tag-like bytes: openings, closings, small lengths.
                [
                    0x0e, 0x0f, 0x1e, 0x1f, 0x3e, 0x3f, 0x4e, 0x4f, 0x09, 0x19, 0x29, 0x0c, 0x44, 0x75, 0x91, 0xf9,
                    0x05, 0xff, 0xfe,
                ][Int.random(in: 0...18, using: &generator)]
            }
            for header in [
                [0x30, 0x01, 0x0e], [0x30, 0x01, 0x0c], [0x00, 0x05, 0x01, 0x10], [0x10, 0x02], [0x10, 0x00],
            ]
                as [[UInt8]]
            {
                var state = BACnetIP.makeState()
                _ = Self.exercise(BACnetServiceTests.datagram(header + body), state: &state)
            }
        }
    }
}

/// Finding the next message after a rejected datagram or broken framing.
@Suite struct BACnetResyncTests {
    func resync(_ bytes: [UInt8]) -> Int? { BACnetIP.resynchronize(bytes.span, direction: .toServer) }

    @Test func aSoundDatagramIsTakenFromItsStart() {
        #expect(resync(BACnetFrameTests.whoIsGlobal) == 0)
        #expect(resync([0x00, 0x81, 0x0a, 0x00, 0x20, 0x81]) == nil)
        // Inside the rest of a broken datagram: only a header that runs exactly to its end.
        #expect(resync([0x00, 0x01] + BACnetFrameTests.whoIsGlobal) == 2)
        #expect(resync([0x00, 0x01] + BACnetFrameTests.whoIsGlobal + [0x00]) == nil)
    }

    @Test func randomBytesStayInTheWindow() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...3000, using: &generator)).map { _ in
                [0x81, 0x0a, 0x00, 0x04, 0x0c][Int.random(in: 0...4, using: &generator)] as UInt8
            }
            if let offset = resync(bytes) {
                #expect(offset >= 0 && offset < min(bytes.count, BACnetIP.resyncWindow))
            }
        }
    }
}
