import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Hostile input: random bytes, flipped bytes in real messages, bodies cut short inside a sound
/// frame, counts that exceed the bytes. Nothing may trap; parse either consumes or throws.
@Suite struct OPCUARobustnessTests {
    /// Bodies of every service the tests build, each as a request or response of a None channel.
    static let bodies: [(body: [UInt8], direction: Direction)] = [
        (UAMessage.openRequestBody(), .toServer),
        (UAMessage.body(631) { w in
            w.requestHeader(handle: 3); w.double(0); w.u32(2); w.i32(1)
            w.stringNodeID("Boiler.Temperature", ns: 2); w.u32(13); w.string(nil); w.u16(0); w.string(nil)
        }, .toServer),
        (UAMessage.body(634) { w in
            w.responseHeader(handle: 3); w.i32(2); w.doubleDataValue(1); w.int32DataValue(2); w.i32(-1)
        }, .toClient),
        (UAMessage.body(673) { w in
            w.requestHeader(handle: 4); w.i32(1)
            w.stringNodeID("P", ns: 2); w.u32(13); w.string(nil); w.doubleDataValue(5)
        }, .toServer),
        (OPCUAServiceTests.endpointsResponse, .toClient),
        (OPCUAServiceTests.activate(user: "operator", password: [1, 2, 3], algorithm: nil), .toServer),
        (UAMessage.body(712) { w in
            w.requestHeader(handle: 6); w.i32(1); w.nodeID(1, ns: 2); w.nodeID(2, ns: 2); w.i32(1); w.u8(1); w.u8(1)
        }, .toServer),
    ]

    /// Runs parse over `bytes` until it stops, building events and facts; returns how many parsed.
    @discardableResult
    static func drain(_ bytes: [UInt8], _ direction: Direction, state: inout OPCUA.State) -> Int {
        var rest = bytes
        var parsed = 0
        while !rest.isEmpty {
            switch OPCUAHarness.parse(rest, direction, state: &state) {
            case .success(let result):
                #expect(result.consumed > 0 && result.consumed <= rest.count)
                let context = OPCUAHarness.context(direction)
                _ = OPCUA.event(result.message, bytes: rest.span, context: context, state: &state)
                _ = OPCUA.facts(result.message, bytes: rest.span, context: context, state: state)
                rest.removeFirst(max(1, result.consumed))
                parsed += 1
            case .failure(.needMore(let needed)):
                #expect(needed > rest.count)
                return parsed
            case .failure(.malformed):
                let after = Array(rest.dropFirst())
                guard let skip = OPCUA.resynchronize(after.span, direction: direction) else { return parsed }
                rest.removeFirst(1 + skip)
            }
        }
        return parsed
    }

    @Test(arguments: 0..<7)
    func bodiesCutShortInsideASoundFrame(index: Int) {
        let (body, direction) = Self.bodies[index]
        var malformed = 0
        for length in 0...body.count {
            var state = OPCUASecureChannelTests.openedNoneChannel()
            let bytes = UAMessage.symmetric(sequence: 2, requestID: 2, body: Array(body.prefix(length)))
            guard case .success(let result) = OPCUAHarness.parse(bytes, direction, state: &state) else {
                Issue.record("length \(length) did not parse")
                continue
            }
            #expect(result.consumed == bytes.count)
            let context = OPCUAHarness.context(direction)
            let event = OPCUA.event(result.message, bytes: bytes.span, context: context, state: &state)
            if event.anomalies.contains("opcua.malformed_body") { malformed += 1 }
        }
        #expect(malformed > body.count / 2)
    }

    @Test(arguments: 0..<7)
    func everyTruncatedMessageAsksForMore(index: Int) {
        let (body, direction) = Self.bodies[index]
        let bytes = UAMessage.symmetric(sequence: 2, requestID: 2, body: body)
        for length in 0..<bytes.count {
            var state = OPCUA.makeState()
            let result = OPCUAHarness.parse(Array(bytes.prefix(length)), direction, state: &state)
            guard case .failure(.needMore) = result else {
                Issue.record("prefix \(length) of \(bytes.count)")
                continue
            }
        }
    }

    @Test func countsExceedingTheBytes() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        // A Read request claiming 1,000,000 nodes in a few bytes; a Publish with 2^31−1 notifications.
        let read = UAMessage.body(631) { w in w.requestHeader(handle: 1); w.double(0); w.u32(0); w.i32(1_000_000) }
        let result = try #require(OPCUAHarness.message(
            UAMessage.symmetric(sequence: 2, requestID: 2, body: read), .toServer, state: &state))
        #expect(result.message.anomalies == ["opcua.malformed_body"])
        #expect(result.message.targets.isEmpty)
        let publish = UAMessage.body(829) { w in
            w.responseHeader(handle: 9); w.u32(1); w.i32(-1); w.u8(0); w.u32(1); w.u64(0); w.i32(Int32.max)
        }
        let answer = try #require(OPCUAHarness.message(
            UAMessage.symmetric(sequence: 2, requestID: 3, body: publish), .toClient, state: &state))
        #expect(answer.message.anomalies.contains("opcua.malformed_body"))
    }

    @Test func tooManyTargetsAreCapped() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let read = UAMessage.body(631) { w in
            w.requestHeader(handle: 1); w.double(0); w.u32(0); w.i32(1000)
            for index in 0..<1000 { w.nodeID(UInt32(index), ns: 2); w.u32(13); w.string(nil); w.u16(0); w.string(nil) }
        }
        let result = try #require(OPCUAHarness.message(
            UAMessage.symmetric(sequence: 2, requestID: 2, body: read), .toServer, state: &state))
        #expect(result.message.targets.count == OPCUA.maxTargetsPerMessage)
        #expect(result.message.anomalies.isEmpty)
    }

    @Test func pendingTableIsBounded() {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let read = UAMessage.body(631) { w in w.requestHeader(handle: 1); w.double(0); w.u32(0); w.i32(0) }
        var overflowed = false
        for id in 0..<(OPCUA.PendingTable.capacity + 10) {
            let bytes = UAMessage.symmetric(sequence: UInt32(id + 2), requestID: UInt32(id + 100), body: read)
            if OPCUAHarness.message(bytes, .toServer, state: &state)?.message.anomalies == ["opcua.pending_overflow"] {
                overflowed = true
            }
        }
        #expect(overflowed)
        #expect(state.pending.count == OPCUA.PendingTable.capacity)
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x0bc0_0a11)
        let starts: [[UInt8]] = [Array("MSGF".utf8), Array("OPNF".utf8), Array("HELF".utf8), Array("MSGC".utf8), []]
        for round in 0..<3_000 {
            let length = Int.random(in: 0..<300, using: &generator)
            var bytes = starts[round % starts.count]
            if bytes.count == 4 {
                let size = UInt32(8 + length)
                bytes += [UInt8(size & 0xff), UInt8(size >> 8), 0, 0]
            }
            for _ in 0..<length { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
            var state = round % 2 == 0 ? OPCUA.makeState() : OPCUASecureChannelTests.openedNoneChannel()
            Self.drain(bytes, round % 3 == 0 ? .toClient : .toServer, state: &state)
        }
    }

    @Test func flippedBytesInRealMessagesNeverTrap() {
        var generator = SeededGenerator(seed: 42)
        var parsed = 0
        for round in 0..<3_000 {
            let (body, direction) = Self.bodies[round % Self.bodies.count]
            var bytes = UAMessage.symmetric(sequence: 2, requestID: 2, body: body)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[at] = UInt8.random(in: 0...255, using: &generator)
            }
            var state = OPCUASecureChannelTests.openedNoneChannel()
            parsed += Self.drain(bytes, direction, state: &state)
        }
        #expect(parsed > 1_000)
    }

    @Test func chunkStormNeverTraps() {
        var generator = SeededGenerator(seed: 7)
        var state = OPCUASecureChannelTests.openedNoneChannel()
        for round in 0..<2_000 {
            let type: Character = ["C", "F", "A", "C"][Int.random(in: 0..<4, using: &generator)]
            let length = Int.random(in: 0..<64, using: &generator)
            let body = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let requestID = UInt32.random(in: 1...3, using: &generator)
            let bytes = UAMessage.symmetric(chunk: type, sequence: UInt32(round + 2), requestID: requestID, body: body)
            Self.drain(bytes, round % 2 == 0 ? .toServer : .toClient, state: &state)
        }
        #expect(state.reassembledBody(.toServer).count <= OPCUA.maxReassemblyBytes)
    }
}
