import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Transport reassembly: FIR/FIN segments, sequence wrap, repeats, gaps, missing FIR, caps.
@Suite struct DNP3TransportTests {
    typealias B = DNP3Bytes

    /// A write of 60 octet-string points (g110v4 = 4 bytes each, qualifier 0x00 range 0…59):
    /// 2 + 3 + 2 + 240 = 247 application bytes.
    static let bigWrite: [UInt8] = [0xc0, 0x02, 110, 4, 0x00, 0, 59] + (0..<240).map { UInt8($0 & 0xff) }

    func functions(_ frames: [[UInt8]], state: inout DNP3.State) -> (codes: [Int], anomalies: DNP3.Anomalies) {
        var codes: [Int] = []
        var anomalies = DNP3.Anomalies(rawValue: 0)
        for bytes in frames {
            guard case .success(let parsed) = B.parse(bytes, state: &state) else {
                Issue.record("a built frame did not parse")
                continue
            }
            if parsed.message.hasFunction { codes.append(parsed.message.functionCode) }
            anomalies.formUnion(parsed.message.anomalies)
        }
        return (codes, anomalies)
    }

    @Test func multiSegmentFragmentCompletesOnFIN() throws {
        var state = DNP3.makeState()
        let frames = B.fragment(Self.bigWrite, firstSequence: 10, chunk: 50)
        #expect(frames.count == 5)
        let result = functions(frames, state: &state)
        #expect(result.codes == [2] && result.anomalies.isEmpty)
        let fragment = state.fragment(.toServer)
        #expect(fragment == Self.bigWrite)
        let frame = try B.parse(B.readClasses, state: &state).get().message
        #expect(frame.functionCode == 1 && state.fragment(.toServer).count == 14)
    }

    @Test(arguments: [UInt8(60), 61, 62, 63])
    func sequenceWrapsFrom63To0(first: UInt8) throws {
        var state = DNP3.makeState()
        let frames = B.fragment(Self.bigWrite, firstSequence: first, chunk: 50)
        let result = functions(frames, state: &state)
        #expect(result.codes == [2] && result.anomalies.isEmpty)
        let event = try #require(B.message(frames, state: &state)).message
        // The same frames again on the same state: the FIR starts a fresh fragment.
        #expect(event.functionName == "write")
        #expect(event.targets.first?.kind == "octet_string" && event.targets.first?.count == 60)
    }

    @Test func repeatedSegmentIsDiscarded() {
        var state = DNP3.makeState()
        var frames = B.fragment(Self.bigWrite, firstSequence: 0, chunk: 50)
        frames.insert(frames[1], at: 2)
        let result = functions(frames, state: &state)
        #expect(result.codes == [2])
        #expect(result.anomalies == .duplicateSegment)
        #expect(state.fragment(.toServer) == Self.bigWrite)
    }

    @Test func gapDropsTheFragment() {
        var state = DNP3.makeState()
        var frames = B.fragment(Self.bigWrite, firstSequence: 0, chunk: 50)
        frames.remove(at: 2)
        let result = functions(frames, state: &state)
        #expect(result.codes.isEmpty)
        #expect(result.anomalies.contains(.transportSequence))
    }

    @Test func segmentWithoutFIRIsIgnored() {
        var state = DNP3.makeState()
        let frames = Array(B.fragment(Self.bigWrite, firstSequence: 0, chunk: 50).dropFirst())
        let result = functions(frames, state: &state)
        #expect(result.codes.isEmpty && result.anomalies == .transportSequence)
    }

    @Test func newFIRAbandonsTheOpenFragment() {
        var state = DNP3.makeState()
        let partial = Array(B.fragment(Self.bigWrite, firstSequence: 0, chunk: 50).prefix(2))
        let result = functions(partial + [B.readClasses], state: &state)
        #expect(result.codes == [1] && result.anomalies == .fragmentAbandoned)
    }

    @Test func directionsReassembleApart() {
        var state = DNP3.makeState()
        let request = B.fragment(Self.bigWrite, firstSequence: 0, chunk: 100)
        let response = B.frame(control: 0x44, [0xc5, 0xc0, 0x81, 0x00, 0x00])
        var codes: [Int] = []
        for (bytes, direction) in [(request[0], Direction.toServer), (response, .toClient),
            (request[1], .toServer), (request[2], .toServer)]
        {
            if case .success(let parsed) = B.parse(bytes, direction, state: &state), parsed.message.hasFunction {
                codes.append(parsed.message.functionCode)
            }
        }
        #expect(codes == [129, 2])
    }

    @Test func fragmentPastTheCapIsDropped() {
        var state = DNP3.makeState()
        // 61 full segments (249 application bytes each) without FIN, then a FIN segment.
        let app = [UInt8](repeating: 0x55, count: DNP3.Transport.maxFragmentLength + 300)
        let frames = B.fragment(app, firstSequence: 0, chunk: 249)
        let result = functions(frames, state: &state)
        #expect(result.codes.isEmpty)
        #expect(result.anomalies.contains(.fragmentTooLong))
        #expect(result.anomalies.contains(.transportSequence))
    }

    @Test func fragmentTooShortForItsHeader() throws {
        var state = DNP3.makeState()
        let frame = try B.parse(B.frame([0xc0, 0xc1]), state: &state).get().message
        #expect(frame.completesFragment && !frame.hasFunction && frame.anomalies == .fragmentTooShort)
        // A response needs its IIN too.
        let response = try B.parse(B.frame(control: 0x44, [0xc1, 0xc0, 0x81, 0x00]), .toClient, state: &state).get()
        #expect(response.message.hasFunction && response.message.anomalies.contains(.fragmentTooShort))
    }

    /// Flips a data byte in the last block, so that block's CRC fails.
    static func corrupted(_ frame: [UInt8]) -> [UInt8] {
        var bytes = frame
        bytes[bytes.count - 3] ^= 0xff
        return bytes
    }

    /// CRCs are checked while the blocks are copied: a segment whose last block fails is taken
    /// back whole, so its good retransmission continues the fragment.
    @Test func segmentFailingItsLastBlockCRCIsTakenBackWhole() {
        var state = DNP3.makeState()
        var frames = B.fragment(Self.bigWrite, firstSequence: 5, chunk: 50)
        #expect(frames[1].count > 60)  // several blocks
        frames.insert(Self.corrupted(frames[1]), at: 1)
        let result = functions(frames, state: &state)
        #expect(result.codes == [2])
        #expect(result.anomalies == .dataCRC)
        #expect(state.fragment(.toServer) == Self.bigWrite)
    }

    @Test func badCRCDropsTheSegmentAndTheNextOneIsOutOfSequence() {
        var state = DNP3.makeState()
        var frames = B.fragment(Self.bigWrite, firstSequence: 0, chunk: 50)
        frames[2] = Self.corrupted(frames[2])
        let result = functions(frames, state: &state)
        #expect(result.codes.isEmpty)
        #expect(result.anomalies == [.dataCRC, .transportSequence])
    }

    /// A FIR whose data CRC fails is discarded before it can abandon the open fragment.
    @Test func badCRCFIRLeavesTheOpenFragmentAlone() {
        var state = DNP3.makeState()
        var frames = B.fragment(Self.bigWrite, firstSequence: 0, chunk: 50)
        frames.insert(Self.corrupted(B.readClasses), at: 2)
        let result = functions(frames, state: &state)
        #expect(result.codes == [2])
        #expect(result.anomalies == .dataCRC)
        #expect(state.fragment(.toServer) == Self.bigWrite)
    }

    /// A completed fragment stays readable until the next FIR, even a FIR that fails its CRC
    /// drops it: the event of the frame that completed it has been built by then.
    @Test func completedFragmentLastsUntilTheNextFIR() throws {
        var state = DNP3.makeState()
        _ = try B.parse(B.readClasses, state: &state).get()
        #expect(state.fragment(.toServer).count == 14)
        let bad = try B.parse(Self.corrupted(B.selectCROB), state: &state).get().message
        #expect(bad.anomalies == .dataCRC && !bad.hasFunction)
        #expect(state.fragment(.toServer).isEmpty)
    }
}
