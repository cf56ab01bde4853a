import ConvergeConsole
import ConvergeModel
import ConvergeStore
import Foundation
import Testing

/// Times the alert list's queries over a large store when CONVERGE_BENCH_ALERTS names a count
/// (e.g. 50000): prints the median of five runs per query on each available backend. A
/// measurement, not a check: it asserts only that the queries answer.
@Suite("Alert list benchmark", .serialized)
struct AlertBenchTests {
    static func alerts(_ count: Int) -> [Alert] {
        let severities = Alert.Severity.allCases
        let rules = ["modbus-write-new-host", "s7-stop", "policy.violation", "baseline.new_pair", "enip-firmware"]
        let techniques = ["T0836", "T0858", "T0886", "T0846", "T0857"]
        return (0..<count).map { i in
            let client = "10.\(i / 65_536 % 256).\(i / 256 % 256).\(i % 256)"
            return Alert(
                id: "\(rules[i % 5]):\(client)>10.9.0.\(i % 200)", rule: rules[i % 5],
                title: "Alert number \(i) from \(client)", severity: severities[i % 5], techniques: [techniques[i % 5]],
                tactics: ["TA0106"], assets: [client, "10.9.0.\(i % 200)"],
                firstSeen: Timestamp(nanoseconds: ConsoleFixtures.base &+ Int64(i) &* 1_000_000_000),
                lastSeen: Timestamp(nanoseconds: ConsoleFixtures.base &+ Int64(i) &* 1_000_000_000 &+ 500),
                count: 1 + i % 97, fields: ["proto": "modbus", "function": "write_single_register"],
                evidence: [Alert.EvidenceFrame(capture: "/captures/plant-\(i % 7).pcap", frame: i + 1)],
                description: "A description long enough to look like a rule's.", remediation: "Check it.")
        }
    }

    static func median(_ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            try await body()
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        return times.sorted()[2]
    }

    @Test(arguments: ConsoleBackend.available)
    func measure(_ backend: ConsoleBackend) async throws {
        guard let text = ProcessInfo.processInfo.environment["CONVERGE_BENCH_ALERTS"], let count = Int(text) else {
            print("AlertBenchTests: set CONVERGE_BENCH_ALERTS=COUNT to time the alert queries (skipped)")
            return
        }
        try await backend.withFilledStore(plain: 0) { store in
            let all = Self.alerts(count)
            var start = 0
            while start < all.count {
                try await store.commitAlerts(Array(all[start..<min(start + 5000, all.count)]))
                start += 5000
            }
            var queries: [(String, AlertQuery)] = [("first page, last seen", AlertQuery())]
            var q = AlertQuery()
            q.page = count / 50 / 2
            queries.append(("middle page", q))
            q = AlertQuery()
            q.sort = .severity
            queries.append(("sorted by severity", q))
            q = AlertQuery()
            q.rulePrefix = "policy."
            queries.append(("rule prefix policy.", q))
            q = AlertQuery()
            q.technique = "T0858"
            queries.append(("technique T0858", q))
            q = AlertQuery()
            q.assets = ["10.0.1.7"]
            queries.append(("one asset", q))
            q = AlertQuery()
            q.search = "number 4242 "
            queries.append(("title search", q))
            for (name, query) in queries {
                var total = 0
                let ms = try await Self.median { total = try await store.alertPage(query).total }
                print("AlertBenchTests \(backend.rawValue) \(count) alerts: \(name): \(String(format: "%.1f", ms)) ms (\(total) match)")
                #expect(total >= 0)
            }
            let ms = try await Self.median { _ = try await store.alertCounts() }
            print("AlertBenchTests \(backend.rawValue) \(count) alerts: counts: \(String(format: "%.1f", ms)) ms")
        }
    }
}
