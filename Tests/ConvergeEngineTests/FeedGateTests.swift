import ConvergeEngine
import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// The message feed's gate (`Analyzer.messageVerdict`) builds no event for the shapes its readers
/// skip. What it keeps must be exactly the full feed's messages minus the skipped ones, and a
/// dissector's `FeedKey` must keep its promise: debug builds build each skipped message anyway
/// and check its shape against the first of its key (`ApplicationLayer.assertSameShape`).
@Suite struct FeedGateTests {
    /// The messages a gate with this verdict for every keyed shape lets through, in one comparable
    /// line each, and the sightings of the messages it counted.
    static func feed(_ path: String, scope: FeedScope = .flow, verdict: @escaping (Message) -> FeedVerdict)
        -> (kept: [String], skipped: UInt64, sightings: [String])
    {
        var kept: [String] = []
        var sightings: [String] = []
        let analyzer = Analyzer()
        analyzer.inventorySink = { _ in }
        analyzer.messageSink = { kept.append(MessageFeedTargetsTests.essentials($0)) }
        analyzer.messageGate = MessageGate(
            verdict: verdict,
            count: { plan, s in
                sightings.append("\(plan)|\(s.time.nanoseconds)|\(s.unit ?? -1)|\(s.frame)|\(s.capture)")
                return true
            }, skipScope: scope)
        _ = analyzer.run(paths: [path])
        #expect(Int(analyzer.messagesCounted) == sightings.count)
        return (kept, analyzer.messagesSkipped, sightings)
    }

    @Test(arguments: MessageFeedTargetsTests.directories)
    func skippingEveryKeyedShapeKeepsTheRestUnchanged(_ directory: String) {
        for path in MessageFeedTargetsTests.captures(in: directory) {
            let all = Self.feed(path) { _ in .build }
            #expect(all.skipped == 0 && all.sightings.isEmpty)
            let gated = Self.feed(path) { _ in .skip }
            // Each flow's first message of a shape is built (its verdict is asked); the rest go.
            #expect(gated.kept.count + Int(gated.skipped) == all.kept.count, "\(path)")
            let keptSet = Set(gated.kept)
            #expect(all.kept.filter { keptSet.contains($0) }.count == gated.kept.count, "\(path)")
        }
    }

    /// Skips that reach every flow between the same endpoints: the first message of a shape
    /// between two endpoints is built, the rest of that shape go on every flow between them; in
    /// debug builds each is built anyway and its shape checked against the endpoints' first.
    @Test(arguments: MessageFeedTargetsTests.directories)
    func skipsBetweenEndpointsKeepTheRestUnchanged(_ directory: String) {
        for path in MessageFeedTargetsTests.captures(in: directory) {
            let all = Self.feed(path) { _ in .build }
            let perFlow = Self.feed(path) { _ in .skip }
            for scope in [FeedScope.endpoints(clientPort: false), .endpoints(clientPort: true)] {
                let gated = Self.feed(path, scope: scope) { _ in .skip }
                #expect(gated.kept.count + Int(gated.skipped) == all.kept.count, "\(path)")
                #expect(gated.skipped >= perFlow.skipped, "\(path)")
                let keptSet = Set(gated.kept)
                #expect(all.kept.filter { keptSet.contains($0) }.count == gated.kept.count, "\(path)")
            }
        }
    }

    /// Each DNS query is a flow of its own: only skips between endpoints spare their events.
    @Test func dnsQueriesAreSkippedBetweenTheSameEndpoints() {
        let path = Fixtures.directory.appendingPathComponent("dns/bench-dns.pcap").path
        let all = Self.feed(path) { _ in .build }
        let perFlow = Self.feed(path) { _ in .skip }
        let ends = Self.feed(path, scope: .endpoints(clientPort: false)) { _ in .skip }
        let perPort = Self.feed(path, scope: .endpoints(clientPort: true)) { _ in .skip }
        #expect(perFlow.skipped == 0 && perPort.skipped == 0)
        // 40 of its 120 messages: the rest are the first of their shape between their endpoints.
        #expect(ends.skipped * 4 > UInt64(all.kept.count), "\(ends.skipped) of \(all.kept.count)")
    }

    /// A counted message's sighting carries what its event would have: time, unit and packet.
    @Test(arguments: ["baseline/modbus_attack.pcap", "baseline/modbus_normal.pcap"])
    func countedMessagesReportWhatTheirEventsWouldCarry(_ name: String) {
        let path = Fixtures.directory.appendingPathComponent(name).path
        var events: [Message] = []
        let reference = Analyzer()
        reference.inventorySink = { _ in }
        reference.messageSink = { events.append($0) }
        _ = reference.run(paths: [path])

        let counted = Self.feed(path) { _ in .count(plan: 7) }
        #expect(!counted.sightings.isEmpty)
        #expect(counted.kept.count + counted.sightings.count == events.count)
        let expected = Set(
            events.map { "7|\($0.time.nanoseconds)|\($0.unit ?? -1)|\($0.frame ?? -1)|\($0.captureIndex ?? -1)" })
        #expect(counted.sightings.allSatisfy(expected.contains))
    }

    /// Polls repeat a few shapes per flow: most of their messages need no event.
    @Test(arguments: [
        "baseline/modbus_normal.pcap", "enip/generated-enip.pcap", "detection/public__iti__dnp3__dnp3_test_data_part1.pcap",
    ])
    func pollingCapturesAreMostlySkipped(_ name: String) throws {
        let path = Fixtures.directory.appendingPathComponent(name).path
        let all = Self.feed(path) { _ in .build }
        let gated = Self.feed(path) { _ in .skip }
        #expect(all.kept.count > 20)
        #expect(gated.skipped * 2 > UInt64(all.kept.count), "\(gated.skipped) of \(all.kept.count)")
    }

    @Test func modbusKeysAnomaliesButNotExceptions() {
        let modbus = ModbusTCP.makeState()
        var request = ModbusTCP.Frame(transactionID: 1, lengthField: 6, unitID: 1, rawFunction: 3, direction: .toServer)
        var response = request
        response.direction = .toClient
        #expect(ModbusTCP.feedKey(request, state: modbus) != nil && ModbusTCP.feedKey(response, state: modbus) != nil)
        #expect(ModbusTCP.feedKey(request, state: modbus) != ModbusTCP.feedKey(response, state: modbus))
        var other = request
        other.unitID = 9
        other.transactionID = 7
        // The unit and the transaction are not shape; the unit comes with the key.
        #expect(ModbusTCP.feedKey(other, state: modbus)?.bits == ModbusTCP.feedKey(request, state: modbus)?.bits)
        #expect(ModbusTCP.feedKey(other, state: modbus)?.unit == 9)
        other.subFunction = 14
        #expect(ModbusTCP.feedKey(other, state: modbus)?.bits != ModbusTCP.feedKey(request, state: modbus)?.bits)
        response.rawFunction = 0x83
        #expect(ModbusTCP.feedKey(response, state: modbus) == nil)
        // Anomalies are shape: a message's come with its key.
        let plain = ModbusTCP.feedKey(request, state: modbus)
        request.anomalies.insert(.invalidLength)
        #expect(ModbusTCP.feedKey(request, state: modbus) != nil && ModbusTCP.feedKey(request, state: modbus) != plain)
    }

    @Test func s7KeysOnlyReadAndWriteJobsThatSucceed() {
        let s7 = S7Comm.makeState()
        var job = S7Comm.Frame(direction: .toServer)
        job.rosctr = S7Comm.ROSCTR.job
        job.function = S7Comm.Function.readVariable
        job.hasFunction = true
        #expect(S7Comm.feedKey(job, state: s7) != nil)
        var answer = job
        answer.direction = .toClient
        answer.rosctr = S7Comm.ROSCTR.ackData
        answer.dataLength = 8
        answer.returnCode = 0xff
        let answerKey = S7Comm.feedKey(answer, state: s7)
        #expect(answerKey != nil && answerKey != S7Comm.feedKey(job, state: s7))
        answer.returnCode = 0x05  // address out of range: an exception
        #expect(S7Comm.feedKey(answer, state: s7) == nil)
        answer.returnCode = 0xff
        answer.errorClass = 0x81
        #expect(S7Comm.feedKey(answer, state: s7) == nil)
        var stop = job
        stop.function = S7Comm.Function.plcStop
        #expect(S7Comm.feedKey(stop, state: s7) == nil)
    }
}
