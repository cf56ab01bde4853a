import ConvergeDetection
import ConvergeEngine
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation
import Testing

/// Alerts and the baseline in the store: the same contract on SQLite and PostgreSQL.
@Suite(.serialized) struct AlertStoreTests {
    static let normal = StoreFixtures.path("baseline/modbus_normal.pcap")
    static let attack = StoreFixtures.path("baseline/modbus_attack.pcap")

    static func alert(
        _ id: String, severity: Alert.Severity = .high, count: Int = 1, at second: Int64 = 10, frames: [Int] = [1],
        capture: String = "a.pcap"
    ) -> Alert {
        Alert(
            id: id, rule: String(id.prefix { $0 != ":" }), title: "title of \(id)", severity: severity,
            techniques: ["T0836"], tactics: ["TA0106"], assets: ["10.0.0.9", "10.0.0.5"],
            firstSeen: Timestamp(seconds: second, nanoseconds: 0),
            lastSeen: Timestamp(seconds: second + 5, nanoseconds: 0),
            count: count, fields: ["proto": "modbus"],
            evidence: frames.map { Alert.EvidenceFrame(capture: capture, frame: $0) }, description: "what differs")
    }

    static func detection(_ store: any InventoryStore) throws -> any DetectionStore {
        try #require(store as? any DetectionStore)
    }

    @Test(arguments: StoreBackend.available)
    func alertsUpsertByIdAddingCountsMergingEvidenceAndKeepingTriage(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
            let d = try Self.detection(store)
            try await d.commitAlerts([
                Self.alert("r.one:k", count: 3, frames: [1, 2]), Self.alert("r.two:k", severity: .low),
            ])
            #expect(try await d.setTriage(id: "r.one:k", state: .acknowledged, note: "known maintenance", by: "ana"))
            #expect(try await d.setTriage(id: "missing", state: .closed, note: "", by: "ana") == false)
            try await d.commitAlerts([Self.alert("r.one:k", count: 2, at: 5, frames: [2, 3])])
            let one = try #require(try await d.alert(id: "r.one:k"))
            #expect(one.count == 5)
            #expect(one.firstSeen == Timestamp(seconds: 5, nanoseconds: 0))
            #expect(one.lastSeen == Timestamp(seconds: 15, nanoseconds: 0))
            #expect(one.evidence.map(\.frame) == [1, 2, 3])
            #expect(one.state == .acknowledged)
            let log = try await d.triageLog(id: "r.one:k")
            #expect(log.map(\.note) == ["known maintenance"] && log.first?.user == "ana")
            #expect(try await d.alert(id: "nope") == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func evidenceStaysCappedAcrossRuns(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
            let d = try Self.detection(store)
            try await d.commitAlerts([Self.alert("r:k", frames: Array(1...50))])
            try await d.commitAlerts([Self.alert("r:k", frames: Array(40...100))])
            let stored = try #require(try await d.alert(id: "r:k"))
            #expect(stored.evidence.count == Alert.maxEvidence)
            #expect(stored.evidence.map(\.frame) == Array(1...Alert.maxEvidence))
        }
    }

    @Test(arguments: StoreBackend.available)
    func filtersSelectBySeverityRuleAndState(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
            let d = try Self.detection(store)
            try await d.commitAlerts([
                Self.alert("a.x:1", severity: .critical, at: 1), Self.alert("a.x:2", severity: .medium, at: 2),
                Self.alert("b.y:1", severity: .low, at: 3), Self.alert("b.y:2", severity: .high, at: 4),
            ])
            try await d.setTriage(id: "b.y:2", state: .closed, note: "", by: "x")
            #expect(try await d.alerts(AlertFilter()).map(\.id) == ["b.y:2", "b.y:1", "a.x:2", "a.x:1"])
            #expect(try await d.alerts(AlertFilter(minimumSeverity: .high)).map(\.id) == ["b.y:2", "a.x:1"])
            #expect(try await d.alerts(AlertFilter(rule: "a.x")).map(\.id) == ["a.x:2", "a.x:1"])
            #expect(try await d.alerts(AlertFilter(state: .closed)).map(\.id) == ["b.y:2"])
            #expect(try await d.alerts(AlertFilter(state: .new)).count == 3)
            #expect(try await d.alerts(AlertFilter(limit: 1)).map(\.id) == ["b.y:2"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func hostileTextSurvivesTheRoundTrip(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
            let d = try Self.detection(store)
            let hostile = "'; DROP TABLE alerts; --\u{0}<script>|=\\\n"
            var alert = Self.alert("r:\(hostile)")
            alert.description = hostile
            alert.fields["tag"] = hostile
            try await d.commitAlerts([alert])
            let back = try #require(try await d.alert(id: "r:\(hostile)"))
            #expect(back == alert)
        }
    }

    @Test(arguments: StoreBackend.available)
    func theBaselineRoundTripsAndCanBePrunedAndReset(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
            let d = try Self.detection(store)
            #expect(try await d.loadBaseline().learned == false)
            let detector = BaselineDetector(baseline: Baseline(), mode: .learn)
            let analyzer = Analyzer()
            analyzer.eventSink = { detector.observe($0) }
            _ = analyzer.run(paths: [Self.normal])
            let learned = detector.baseline
            try await d.saveBaseline(learned)
            let back = try await d.loadBaseline()
            #expect(back.reviewLines() == learned.reviewLines())
            #expect(back.assets == learned.assets)
            let pair = try #require(Baseline.Pair("10.10.3.5>10.10.1.10/modbus"))
            #expect(back.knowsPair(client: pair.client, server: pair.server, proto: pair.proto))
            let removed = try await d.pruneBaseline(olderThan: nil, pair: pair)
            #expect(removed.pairs == 1)
            #expect(
                try await d.loadBaseline().knowsPair(client: pair.client, server: pair.server, proto: "modbus") == false
            )
            let all = try await d.pruneBaseline(olderThan: Timestamp(nanoseconds: Int64.max), pair: nil)
            #expect(all.pairs == back.pairs.count - 1)
            try await d.saveBaseline(learned)
            try await d.resetBaseline()
            #expect(try await d.loadBaseline().learned == false)
        }
    }

    /// `analyze --learn` on a capture the store already merged still learns it (and the inventory
    /// does not count it twice).
    @Test(arguments: StoreBackend.available)
    func learningFromACaptureAlreadyMerged(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
            let d = try Self.detection(store)
            _ = try await StoreIngest.run(paths: [Self.normal], store: store, detection: .off)
            let before = try await store.inventory()
            #expect(try await d.loadBaseline().learned == false)
            let again = try await StoreIngest.run(
                paths: [Self.normal], store: store, detection: DetectionOptions(baselining: .learn))
            #expect(again.summary == nil && again.baselinePairs == 4)
            #expect(try await d.loadBaseline().pairs.count == 4)
            let after = try await store.inventory()
            #expect(after.communications.map(\.client) == before.communications.map(\.client))
        }
    }

    /// `analyze --learn` on normal traffic, then the attack: the run's alerts are in the store with
    /// its inventory; the same capture again is skipped and changes no alert.
    @Test(arguments: StoreBackend.available)
    func ingestLearnsThenCommitsAlertsWithTheInventory(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
            let d = try Self.detection(store)
            let learn = DetectionOptions(baselining: .learn)
            let first = try await StoreIngest.run(paths: [Self.normal], store: store, detection: learn)
            #expect(first.alerts.isEmpty && first.baselinePairs > 0)
            #expect(
                try await d.loadBaseline().knowsPair(
                    client: IPAddress("10.10.2.20") ?? .none, server: IPAddress("10.10.1.10") ?? .none, proto: "modbus")
            )
            let second = try await StoreIngest.run(paths: [Self.attack], store: store, detection: DetectionOptions())
            #expect(!second.alerts.isEmpty)
            let stored = try await d.alerts(AlertFilter())
            #expect(Set(stored.map(\.id)) == Set(second.alerts.map(\.id)))
            let pair = try #require(try await d.alert(id: "baseline.new_pair:192.168.10.50>10.10.1.10/modbus"))
            #expect(pair.severity == .high && pair.evidence.first?.capture == Self.attack)
            let again = try await StoreIngest.run(paths: [Self.attack], store: store, detection: DetectionOptions())
            #expect(again.summary == nil)
            #expect(try await d.alert(id: pair.id)?.count == pair.count)
        }
    }
}
