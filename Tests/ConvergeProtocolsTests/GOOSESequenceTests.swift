import Testing

@testable import ConvergeProtocols

@Suite struct GOOSESequenceTests {
    typealias Check = GOOSE.SequenceCheck

    /// Feeds (stNum, sqNum) pairs and returns what each one raised.
    static func run(_ pairs: [(Int64, Int64)]) -> [[String]] {
        var check = Check()
        return pairs.map { check.observe(stNum: $0.0, sqNum: $0.1).names }
    }

    @Test func steadyRetransmissionIsQuiet() {
        #expect(Self.run([(7, 3), (7, 4), (7, 5), (7, 6)]) == [[], [], [], []])
    }

    @Test func stateChangeResetsSqNum() {
        #expect(Self.run([(7, 5), (8, 0), (8, 1), (9, 1)]) == [[], [Check.stChange], [], [Check.stChange]])
    }

    @Test func gapsAreNamed() {
        #expect(Self.run([(7, 5), (7, 9)]) == [[], [Check.sqGap]])
        #expect(Self.run([(7, 5), (10, 0)]) == [[], [Check.stChange, Check.sqGap]])
        #expect(Self.run([(7, 5), (8, 4)]) == [[], [Check.stChange, Check.sqGap]])
    }

    @Test func regressAndReplay() {
        #expect(Self.run([(7, 5), (6, 9), (6, 10)]) == [[], [Check.stRegress], []])
        #expect(Self.run([(7, 5), (7, 5)]) == [[], [Check.replay]])
        // An old frame resent does not move the state: the next genuine frame is quiet.
        #expect(Self.run([(7, 5), (7, 2), (7, 6)]) == [[], [Check.replay], []])
    }

    @Test func countersWrap() {
        let top = Int64(UInt32.max)
        #expect(Self.run([(top, 3), (1, 0)]) == [[], [Check.stChange]])
        #expect(Self.run([(4, top), (4, 1)]) == [[], []])
    }

    @Test func stateIsKept() {
        var check = Check()
        #expect(!check.seen)
        _ = check.observe(stNum: 3, sqNum: 4)
        #expect(check.seen && check.stNum == 3 && check.sqNum == 4)
    }

    /// Over the real capture: each gocbRef's stream, as tshark's stNum/sqNum columns give it,
    /// raises as many state changes as stNum advances.
    @Test func realCaptureStreams() throws {
        let url = LinkCaptureHarness.fixtures("goose").appendingPathComponent("iti-goose.pcap")
        let result = LinkCaptureHarness.run(GOOSE.self, url: url)
        #expect(result.messages == 494)
        var checks: [String: Check] = [:]
        var tally: [String: Int] = [:]
        for (event, pdu) in zip(result.events, result.parsed) {
            let key = event.targets.first?.name ?? ""
            for name in checks[key, default: Check()].observe(stNum: pdu.stNum, sqNum: pdu.sqNum).names {
                tally[name, default: 0] += 1
            }
        }
        // The fixture joins captures of the same relays at different times, so a regress or a
        // gap between them is expected; within them states do change.
        #expect(tally[Check.stChange, default: 0] > 100)
    }
}
