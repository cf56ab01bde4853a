import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// TPKT/COTP framing under S7comm: partial PDUs ask for more, connection TPDUs are walked past,
/// fragments are gathered within bounds, broken framing is malformed, and nothing traps.
@Suite struct S7CommFramingTests {
    /// A connection request and a setup job, as a client's first bytes.
    static let opening = S7Fixtures.connectionRequest + S7Fixtures.setupJob

    @Test(arguments: 0..<opening.count)
    func truncatedOpeningNeedsMore(length: Int) {
        var state = S7Comm.makeState()
        let result = S7Fixtures.parse(S7Comm.self, Array(Self.opening.prefix(length)), .toServer, state: &state)
        guard case .failure(.needMore(let needed)) = result else {
            Issue.record("prefix \(length): \(result)")
            return
        }
        #expect(needed > length)
        #expect(needed <= Self.opening.count)
        #expect(state.pending.count == 0)
    }

    @Test(arguments: 0..<S7Fixtures.writeJob.count)
    func truncatedWriteNeedsMore(length: Int) {
        var state = S7Comm.makeState()
        let result = S7Fixtures.parse(S7Comm.self, Array(S7Fixtures.writeJob.prefix(length)), .toServer, state: &state)
        guard case .failure(.needMore(let needed)) = result else {
            Issue.record("prefix \(length): \(result)")
            return
        }
        #expect(needed > length && needed <= S7Fixtures.writeJob.count)
    }

    @Test func connectionRequestIsWalkedPast() throws {
        var state = S7Comm.makeState()
        let (frame, consumed) = try S7Fixtures.parse(S7Comm.self, Self.opening, .toServer, state: &state).get()
        #expect(consumed == Self.opening.count)
        #expect(frame.function == 0xf0 && frame.hasFunction)
        #expect(frame.calledTSAP == 0x0102)
        #expect(frame.negotiatedPDUSize == 480)
    }

    func probe<D: Dissector>(_ dissector: D.Type, _ bytes: [UInt8]) -> ProbeResult {
        D.probe(bytes.span, direction: .toServer)
    }

    @Test func probeDecidesOnTheFirstUserPDU() {
        #expect(probe(S7Comm.self, S7Fixtures.connectionRequest) == .needMore)
        #expect(probe(S7Comm.self, Self.opening) == .match)
        #expect(probe(S7Comm.self, Array(S7Fixtures.setupJob.prefix(8))) == .match)
        var plus = S7Fixtures.setupJob
        plus[7] = 0x72
        #expect(probe(S7Comm.self, plus) == .reject)
        #expect(probe(S7CommPlus.self, plus) == .match)
        #expect(probe(S7CommPlus.self, S7Fixtures.setupJob) == .reject)
        #expect(probe(S7Comm.self, [0x00, 0x01, 0x00, 0x00]) == .reject)
        // MMS over the same framing starts with an ISO session byte.
        var mms = S7Fixtures.setupJob
        mms[7] = 0x0d
        #expect(probe(S7Comm.self, mms) == .reject)
    }

    @Test func twoPDUsInOneSegmentAndAPartialThird() throws {
        let stream = S7Fixtures.readJob + S7Fixtures.writeJob + Array(S7Fixtures.setupJob.prefix(5))
        var state = S7Comm.makeState()
        var offset = 0
        var functions: [UInt8] = []
        while true {
            let rest = Array(stream[offset...])
            let result = S7Fixtures.parse(S7Comm.self, rest, .toServer, state: &state)
            guard case .success(let parsed) = result else { break }
            functions.append(parsed.message.function)
            offset += parsed.consumed
        }
        #expect(functions == [0x04, 0x05])
        #expect(offset == S7Fixtures.readJob.count + S7Fixtures.writeJob.count)
    }

    @Test func drippedByteByByte() {
        var state = S7Comm.makeState()
        var buffer: [UInt8] = []
        var parsed: [S7Comm.Frame] = []
        for byte in Self.opening + S7Fixtures.readJob {
            buffer.append(byte)
            if case .success(let result) = S7Fixtures.parse(S7Comm.self, buffer, .toServer, state: &state) {
                parsed.append(result.message)
                buffer.removeFirst(result.consumed)
            }
        }
        #expect(parsed.map(\.function) == [0xf0, 0x04])
        #expect(buffer.isEmpty)
    }

    @Test(arguments: [1, 3, 7, 13])
    func fragmentsAreReassembled(size: Int) throws {
        let stream = S7Fixtures.fragmented(S7Fixtures.writeJob, size: size)
        var state = S7Comm.makeState()
        for length in 0..<stream.count {
            let result = S7Fixtures.parse(S7Comm.self, Array(stream.prefix(length)), .toServer, state: &state)
            guard case .failure(.needMore) = result else {
                Issue.record("prefix \(length): \(result)")
                return
            }
        }
        let (frame, consumed) = try S7Fixtures.parse(S7Comm.self, stream, .toServer, state: &state).get()
        #expect(consumed == stream.count)
        #expect(frame.pdu.reassembled == (size < S7Fixtures.writeJob.count - 7))
        #expect(frame.function == 0x05 && frame.anomalies.isEmpty)
        let event = S7Comm.event(frame, bytes: stream.span, context: S7Fixtures.context(.toServer), state: &state)
        #expect(event.targets.map(\.values) == [[0xab, 0xcd]])
    }

    @Test func emptyFragmentsBeforeAPDULeaveItInline() throws {
        let keepAlive: [UInt8] = [0x03, 0x00, 0x00, 0x07, 0x02, 0xf0, 0x00]
        let stream = keepAlive + keepAlive + S7Fixtures.readJob
        var state = S7Comm.makeState()
        let (frame, consumed) = try S7Fixtures.parse(S7Comm.self, stream, .toServer, state: &state).get()
        #expect(consumed == stream.count)
        #expect(!frame.pdu.reassembled && frame.pdu.fragments == 3)
        #expect(frame.function == 0x04)
    }

    @Test func fragmentChainsAreBounded() throws {
        // One byte per DT without EOT: the chain exceeds `maxFragments` and is dropped.
        let fragment: [UInt8] = [0x03, 0x00, 0x00, 0x08, 0x02, 0xf0, 0x00, 0x32]
        let stream = Array(repeating: fragment, count: ISOOnTCP.maxFragments + 5).flatMap { $0 }
        var state = S7Comm.makeState()
        let (frame, consumed) = try S7Fixtures.parse(S7Comm.self, stream, .toServer, state: &state).get()
        #expect(frame.kind == .overflow && frame.anomalies.contains(.reassemblyOverflow))
        #expect(consumed == fragment.count * (ISOOnTCP.maxFragments + 1))
        #expect(!frame.hasFunction)
        // Payload bytes are bounded too: 16 KiB fragments overflow at the third.
        var big: [UInt8] = [0x03, 0x00, 0x40, 0x07, 0x02, 0xf0, 0x00]
        big += Array(repeating: 0x32, count: 0x4000)
        let bigStream = big + big + big
        let (bigFrame, bigConsumed) = try S7Fixtures.parse(S7Comm.self, bigStream, .toServer, state: &state).get()
        #expect(bigFrame.kind == .overflow && bigConsumed == bigStream.count)
    }

    static let brokenFraming: [(bytes: [UInt8], why: String)] = [
        ([0x04, 0x00, 0x00, 0x19], "version 4"),
        ([0x03, 0x00, 0x00, 0x03], "tpkt length below a TPDU"),
        ([0x03, 0x00, 0x00, 0x07, 0x07, 0xf0, 0x80], "length indicator beyond the tpkt"),
        ([0x03, 0x00, 0x00, 0x07, 0x01, 0xf0, 0x80], "DT header of 2 bytes"),
        ([0x03, 0x00, 0x00, 0x07, 0x00, 0xf0, 0x80], "length indicator 0"),
    ]

    @Test(arguments: 0..<5)
    func brokenFramingIsMalformed(index: Int) {
        let (bytes, why) = Self.brokenFraming[index]
        var state = S7Comm.makeState()
        let result = S7Fixtures.parse(S7Comm.self, bytes + [0, 0, 0, 0], .toServer, state: &state)
        guard case .failure(.malformed) = result else {
            Issue.record("\(why): \(result)")
            return
        }
    }

    @Test func resynchronizeFindsTheNextTPKT() {
        let garbage: [UInt8] = [0x41, 0x03, 0x07, 0x00, 0x99, 0x03]
        let stream = garbage + S7Fixtures.readJob + S7Fixtures.readAck
        #expect(S7Comm.resynchronize(stream.span, direction: .toServer) == garbage.count)
        #expect(S7Comm.resynchronize(garbage.span, direction: .toServer) == nil)
    }

    @Test func mismatchedLengthsAreAnomalies() throws {
        var longer = S7Fixtures.readJob
        longer[14] = 0x20  // parameter length 32, but 14 bytes follow
        var state = S7Comm.makeState()
        let frame = try S7Fixtures.parse(S7Comm.self, longer, .toServer, state: &state).get().message
        #expect(frame.anomalies.contains(.lengthMismatch))
        #expect(frame.function == 0x04)

        var tooManyItems = S7Fixtures.readJob
        tooManyItems[18] = 0x09  // 9 items announced, 1 present
        let second = try S7Fixtures.parse(S7Comm.self, tooManyItems, .toServer, state: &state).get().message
        #expect(second.anomalies.contains(.invalidParameter))
        let context = S7Fixtures.context(.toServer)
        let event = S7Comm.event(second, bytes: tooManyItems.span, context: context, state: &state)
        #expect(event.targets.count == 1)

        var huge = S7Fixtures.readJob
        huge[18] = 0xff  // beyond `maxItems`
        let third = try S7Fixtures.parse(S7Comm.self, huge, .toServer, state: &state).get().message
        #expect(third.anomalies.contains(.tooManyItems))
    }

    @Test func unknownCodesAreAnomalies() throws {
        var state = S7Comm.makeState()
        var unknownFunction = S7Fixtures.setupJob
        unknownFunction[17] = 0x77
        let first = try S7Fixtures.parse(S7Comm.self, unknownFunction, .toServer, state: &state).get().message
        #expect(first.anomalies.contains(.unknownFunction) && first.functionCode == 0x77 && first.hasFunction)
        var unknownROSCTR = S7Fixtures.setupJob
        unknownROSCTR[8] = 0x05
        let second = try S7Fixtures.parse(S7Comm.self, unknownROSCTR, .toServer, state: &state).get().message
        #expect(second.anomalies.contains(.unknownROSCTR) && !second.hasFunction)
        var notS7 = S7Fixtures.setupJob
        notS7[7] = 0x72
        let third = try S7Fixtures.parse(S7Comm.self, notS7, .toServer, state: &state).get().message
        #expect(third.kind == .foreign && third.anomalies.contains(.notS7comm) && !third.hasFunction)
        let shortHeader: [UInt8] = [0x03, 0x00, 0x00, 0x0b, 0x02, 0xf0, 0x80, 0x32, 0x01, 0x00, 0x00]
        let fourth = try S7Fixtures.parse(S7Comm.self, shortHeader, .toServer, state: &state).get().message
        #expect(fourth.anomalies.contains(.truncatedHeader) && !fourth.hasFunction)
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x5737)
        let seeds = [Self.opening, S7Fixtures.readAck, S7Fixtures.writeJob, S7Fixtures.deleteJob, S7Fixtures.szlRequest]
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                // Mutate a real PDU so the framing mostly holds and the body parsers get exercised.
                bytes = seeds[round % seeds.count]
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let at = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[at] = UInt8.random(in: 0...255, using: &generator)
                }
                if round % 6 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator))) }
            } else {
                let count = Int.random(in: 0...80, using: &generator)
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if round % 3 == 1 { bytes = [0x03, 0x00] + bytes }
            }
            for direction in [Direction.toServer, .toClient] {
                var state = S7Comm.makeState()
                _ = S7Comm.probe(bytes.span, direction: direction)
                _ = S7Comm.resynchronize(bytes.span, direction: direction)
                if case .success(let parsed) = S7Fixtures.parse(S7Comm.self, bytes, direction, state: &state) {
                    #expect(parsed.consumed > 0 && parsed.consumed <= bytes.count)
                    let context = S7Fixtures.context(direction)
                    _ = S7Comm.event(parsed.message, bytes: bytes.span, context: context, state: &state)
                    _ = S7Comm.facts(parsed.message, context: context, state: state)
                }
                var plusState = S7CommPlus.makeState()
                if case .success(let parsed) = S7Fixtures.parse(S7CommPlus.self, bytes, direction, state: &plusState) {
                    let context = S7Fixtures.context(direction)
                    _ = S7CommPlus.event(parsed.message, bytes: bytes.span, context: context, state: &plusState)
                    _ = S7CommPlus.facts(parsed.message, bytes: bytes.span, context: context, state: plusState)
                }
            }
        }
    }
}

extension S7CommFramingTests {
    @Test func aFloodOfConnectionTPDUsIsConsumed() throws {
        let stream = Array(repeating: S7Fixtures.connectionRequest, count: 40).flatMap { $0 } + S7Fixtures.setupJob
        var state = S7Comm.makeState()
        let (first, consumed) = try S7Fixtures.parse(S7Comm.self, stream, .toServer, state: &state).get()
        #expect(first.anomalies.contains(.connectionFlood) && !first.hasFunction)
        #expect(consumed == S7Fixtures.connectionRequest.count * (ISOOnTCP.maxConnectionTPDUs + 1))
        var rest = Array(stream[consumed...])
        var functions: [UInt8] = []
        while case .success(let parsed) = S7Fixtures.parse(S7Comm.self, rest, .toServer, state: &state) {
            if parsed.message.hasFunction { functions.append(parsed.message.function) }
            rest.removeFirst(parsed.consumed)
        }
        #expect(functions == [0xf0] && rest.isEmpty)
    }
}
