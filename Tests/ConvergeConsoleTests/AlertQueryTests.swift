import ConvergeConsole
import ConvergeModel
import ConvergeStore
import Foundation
import Testing

/// The console's alert queries and triage: one contract on SQLite and (when CONVERGE_TEST_POSTGRES
/// is set) PostgreSQL.
@Suite("Alert queries", .serialized)
struct AlertQueryTests {
    static func query(_ change: (inout AlertQuery) -> Void) -> AlertQuery {
        var q = AlertQuery()
        change(&q)
        return q
    }

    @Test(arguments: ConsoleBackend.available)
    func listIsPaginatedAndSortedOnTheServer(_ backend: ConsoleBackend) async throws {
        try await backend.withAlertStore { store in
            let first = try await store.alertPage(Self.query { $0.pageSize = 20 })
            #expect(first.total == 65)
            #expect(first.alerts.count == 20)
            // Newest last-seen first by default: the scans (seconds 1000…1059) lead, 1059 first.
            #expect(first.alerts.first?.id == "scan:59")
            let last = try await store.alertPage(
                Self.query {
                    $0.pageSize = 20
                    $0.page = 4
                })
            #expect(last.alerts.count == 5)
            #expect(last.alerts.last?.id == AlertFixtures.policyConduit)
            let all = try await store.alertPage(Self.query { $0.pageSize = 200 })
            #expect(Set(all.alerts.map(\.id)).count == 65)
            let bySeverity = try await store.alertPage(
                Self.query {
                    $0.sort = .severity
                    $0.pageSize = 3
                })
            #expect(bySeverity.alerts.map(\.severity) == [.critical, .high, .medium])
            let byCount = try await store.alertPage(
                Self.query {
                    $0.sort = .count
                    $0.descending = false
                    $0.pageSize = 200
                })
            let counts = byCount.alerts.map(\.count)
            #expect(counts == counts.sorted())
            let firstSeen = try await store.alertPage(
                Self.query {
                    $0.sort = .firstSeen
                    $0.descending = false
                })
            #expect(firstSeen.alerts.first?.id == AlertFixtures.policyConduit)
            // Out-of-range numbers are clamped, not errors.
            let clamped = try await store.alertPage(
                Self.query {
                    $0.page = -4
                    $0.pageSize = 1_000_000
                })
            #expect(clamped.page == 1 && clamped.pageSize == AlertQuery.maxPageSize)
            let past = try await store.alertPage(Self.query { $0.page = 999 })
            #expect(past.alerts.isEmpty && past.total == 65)
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func filters(_ backend: ConsoleBackend) async throws {
        try await backend.withAlertStore { store in
            func ids(_ change: (inout AlertQuery) -> Void) async throws -> Set<String> {
                Set(
                    try await store.alertPage(
                        Self.query {
                            $0.pageSize = 200
                            change(&$0)
                        }
                    ).alerts.map(\.id))
            }
            #expect(try await ids { $0.severity = .high } == [AlertFixtures.write])
            #expect(try await ids { $0.minimumSeverity = .high } == [AlertFixtures.write, AlertFixtures.hostile])
            #expect(try await ids { $0.rule = "policy.conduit" } == [AlertFixtures.policyConduit])
            #expect(
                try await ids { $0.rulePrefix = "policy." } == [AlertFixtures.policyZone, AlertFixtures.policyConduit])
            // A prefix's own LIKE wildcards are literal.
            #expect(try await ids { $0.rulePrefix = "policy%" }.isEmpty)
            #expect(try await ids { $0.rulePrefix = "modbus_" }.isEmpty)
            #expect(try await ids { $0.technique = "T0836" } == [AlertFixtures.write])
            #expect(try await ids { $0.technique = "t0836" } == [AlertFixtures.write])
            #expect(try await ids { $0.technique = "TA0109" } == [AlertFixtures.policyZone])
            #expect(try await ids { $0.technique = "T083" }.isEmpty)
            let fiveAndNine: Set = [
                AlertFixtures.write, AlertFixtures.hostile, AlertFixtures.gone, AlertFixtures.policyConduit,
            ]
            #expect(try await ids { $0.assets = ["10.0.0.5", "10.0.0.9"] } == fiveAndNine)
            // An address is matched whole: 10.0.0.2 is not 10.0.0.20.
            #expect(try await ids { $0.assets = ["10.0.0.2"] }.isEmpty)
            #expect(try await ids { $0.search = "MODBUS WRITE" } == [AlertFixtures.write])
            #expect(try await ids { $0.search = "<script>" } == [AlertFixtures.hostile])
            #expect(try await ids { $0.search = "%" }.isEmpty)
            #expect(try await ids { $0.search = "unit-id SCAN 59" } == ["scan:59"])
            // Time range: alerts whose span overlaps it.
            #expect(
                try await ids {
                    $0.from = AlertFixtures.time(250)
                    $0.to = AlertFixtures.time(450)
                }
                    == [AlertFixtures.policyZone, AlertFixtures.hostile])
            #expect(try await ids { $0.to = AlertFixtures.time(15) } == [AlertFixtures.policyConduit])
            try await store.triage(ids: [AlertFixtures.write], state: .closed, note: "", by: "ana")
            #expect(try await ids { $0.state = .closed } == [AlertFixtures.write])
            #expect(
                try await ids {
                    $0.state = .closed
                    $0.severity = .low
                }.isEmpty)
            // Filters combine; a record filter still paginates.
            let page = try await store.alertPage(
                Self.query {
                    $0.technique = "T0846"
                    $0.pageSize = 7
                    $0.page = 2
                })
            #expect(page.total == 60 && page.alerts.count == 7 && page.alerts.first?.id == "scan:52")
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func countsAssetsAndLookups(_ backend: ConsoleBackend) async throws {
        try await backend.withAlertStore { store in
            let counts = try await store.alertCounts()
            #expect(counts.total == 65)
            #expect(counts.bySeverity.map(\.value) == ["critical", "high", "medium", "low", "info"])
            #expect(counts.bySeverity.map(\.count) == [1, 1, 1, 1, 61])
            #expect(counts.byState.first { $0.value == "new" }?.count == 65)
            try await store.triage(ids: [AlertFixtures.hostile, "scan:1"], state: .closed, note: "", by: "ana")
            let after = try await store.alertCounts()
            #expect(after.openBySeverity.map(\.count) == [0, 1, 1, 1, 60])
            #expect(after.byState.first { $0.value == "closed" }?.count == 2)
            let ids = try await store.alertIDs(limit: 1000)
            #expect(ids.count == 65)
            // An asset's alerts: its id or any of its addresses.
            let five = try await store.alerts(ofAsset: AlertFixtures.asset5, limit: 50)
            #expect(Set(five.alerts.map(\.id)) == [AlertFixtures.write, AlertFixtures.hostile, AlertFixtures.gone])
            #expect(try await store.alerts(ofAsset: "ip:10.9.9.9", limit: 50).total == 0)
            let lookup = try await store.assetIDs(for: ["10.0.0.5", AlertFixtures.asset9, Hostile.script, "10.0.2.1"])
            #expect(lookup["10.0.0.5"] == AlertFixtures.asset5)
            #expect(lookup[AlertFixtures.asset9] == AlertFixtures.asset9)
            #expect(lookup[Hostile.script] == nil && lookup["10.0.2.1"] == nil)
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func bulkTriageIsOneTransactionWithHistory(_ backend: ConsoleBackend) async throws {
        try await backend.withAlertStore { store in
            let ids = [AlertFixtures.write, AlertFixtures.policyZone, AlertFixtures.write]
            let done = try await store.triage(ids: ids, state: .acknowledged, note: "maint\u{0} window", by: "ana")
            #expect(done.updated == [AlertFixtures.write, AlertFixtures.policyZone] && done.missing.isEmpty)
            #expect(try await store.alert(id: AlertFixtures.policyZone)?.state == .acknowledged)
            // One unknown id: nothing changes, the unknown id comes back.
            let refused = try await store.triage(
                ids: [AlertFixtures.policyConduit, "nope", AlertFixtures.write], state: .closed, note: "x", by: "ana")
            #expect(refused.updated.isEmpty && refused.missing == ["nope"])
            #expect(try await store.alert(id: AlertFixtures.policyConduit)?.state == .new)
            #expect(try await store.alert(id: AlertFixtures.write)?.state == .acknowledged)
            try await store.triage(ids: [AlertFixtures.write], state: .closed, note: "fixed", by: "ada")
            let history = try await store.triageLog(id: AlertFixtures.write)
            #expect(history.map(\.state) == [.acknowledged, .closed])
            #expect(history.map(\.user) == ["ana", "ada"])
            // PostgreSQL's TEXT has no NUL: both backends keep U+FFFD.
            #expect(history.first?.note == "maint\u{FFFD} window")
            // A detection rerun keeps the triage state.
            try await store.commitAlerts([AlertFixtures.alerts(plain: 0)[0]])
            #expect(try await store.alert(id: AlertFixtures.write)?.state == .closed)
            // The hostile id round-trips through triage.
            #expect(
                try await store.triage(ids: [AlertFixtures.hostile], state: .closed, note: "", by: "ana").missing
                    .isEmpty)
        }
    }
}
