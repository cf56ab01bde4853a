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

@Suite struct GOOSESequenceTableTests {
    typealias Table = GOOSE.SequenceTable
    typealias P = GOOSE.Publisher

    @Test func publishersKeepTheirOwnState() {
        var table = Table()
        let a = P(sourceMAC: 0x0000_0000_0001, appID: 1, reference: 7)
        let b = P(sourceMAC: 0x0000_0000_0002, appID: 1, reference: 7)
        let c = P(sourceMAC: 0x0000_0000_0001, appID: 1, reference: 8)  // same device and APPID, other gocbRef
        #expect(table.observe(a, stNum: 5, sqNum: 3).isEmpty)
        #expect(table.observe(b, stNum: 9, sqNum: 0).isEmpty)
        #expect(table.observe(c, stNum: 1, sqNum: 0).isEmpty)
        #expect(table.observe(a, stNum: 6, sqNum: 0) == .stChange)
        #expect(table.observe(b, stNum: 9, sqNum: 0) == .replay)
        #expect(table.observe(c, stNum: 1, sqNum: 4) == .sqGap)
        #expect(table.observe(a, stNum: 2, sqNum: 0) == .stRegress)
        #expect(table.count == 3 && table.evictions == 0)
        #expect(table.check(for: a)?.stNum == 2 && table.check(for: b)?.stNum == 9)
        #expect(table.check(for: P(sourceMAC: 3, appID: 1, reference: 7)) == nil)
    }

    @Test func tableStaysBounded() {
        var table = Table(capacity: 10)
        #expect(table.capacity == 16)
        for mac in 0..<10_000 {
            _ = table.observe(P(sourceMAC: UInt64(mac), appID: UInt16(mac & 0xFFFF), reference: 1), stNum: 1, sqNum: 0)
        }
        #expect(table.count <= 16 && table.count > 8 && table.evictions == 10_000 - table.count)
        // The latest publisher is still held and continues quietly.
        let last = P(sourceMAC: 9_999, appID: UInt16(9_999 & 0xFFFF), reference: 1)
        #expect(table.observe(last, stNum: 1, sqNum: 1).isEmpty)
        #expect(Table(capacity: 1 << 30).capacity == Table.maxCapacity)
        #expect(Table(capacity: -1).capacity == Table.maxProbe)
    }

    @Test func findingNamesAreOrdered() {
        let both: GOOSE.SequenceCheck.Findings = [.sqGap, .stChange]
        #expect(both.names == ["goose_st_change", "goose_sq_gap"])
        #expect(GOOSE.SequenceCheck.Findings.replay.names == ["goose_replay"])
    }

    @Test func parsedFramesAreKeyedByGocbRef() throws {
        let first = F.goose(stNum: [0x05], sqNum: [0x00])
        let other = F.goose(gocbRef: "IED1/LLN0$GO$gcb2", stNum: [0x01], sqNum: [0x00])
        let next = F.goose(stNum: [0x06], sqNum: [0x00])
        var table = Table()
        let mac: UInt64 = 0x001b_1baa_bb01
        func observe(_ bytes: [UInt8]) throws -> GOOSE.SequenceCheck.Findings {
            let pdu = try GOOSE.parse(bytes.span)
            return table.observe(pdu, payload: bytes.span, sourceMAC: mac)
        }
        #expect(try observe(first).isEmpty)
        #expect(try observe(other).isEmpty)
        #expect(try observe(next) == .stChange)
        #expect(table.count == 2)
        // A frame without stNum/sqNum, or not a goosePdu, is not observed.
        var wrongTag = first
        wrongTag[8] = 0x62
        #expect(try observe(wrongTag).isEmpty && table.count == 2)
        let pdu = try GOOSE.parse(first.span)
        let reference = GOOSE.Publisher(pdu, payload: first.span, sourceMAC: mac).reference
        #expect(reference == Self.fnv1a(Array("IED1/LLN0$GO$gcb1".utf8)))
    }

    typealias F = GOOSEFixtures

    static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(UInt32(0x811C_9DC5)) { ($0 ^ UInt32($1)) &* 0x0100_0193 }
    }

    /// Over the real capture, keyed as the engine will key it: state changes, no replays.
    @Test func realCaptureThroughTheTable() {
        let url = LinkCaptureHarness.fixtures("goose").appendingPathComponent("iti-goose.pcap")
        let result = LinkCaptureHarness.run(GOOSE.self, url: url)
        var table = Table()
        var changes = 0
        for (event, pdu) in zip(result.events, result.parsed) {
            let reference = Self.fnv1a(Array((event.targets.first?.name ?? "").utf8))
            let publisher = GOOSE.Publisher(sourceMAC: 0, appID: pdu.header.appID, reference: reference)
            if table.observe(publisher, stNum: pdu.stNum, sqNum: pdu.sqNum).contains(.stChange) { changes += 1 }
        }
        #expect(changes > 100 && table.count == 5 && table.evictions == 0)
    }
}
