import ConvergeModel
import ConvergeStore
import Foundation
import Testing

/// The policy table (`v4_policy`) and policy violations committed as recounted alerts: the same
/// contract on SQLite and PostgreSQL.
@Suite(.serialized) struct PolicyStoreTests {
    static func violation(_ operation: String, count: Int, frames: [Int] = []) -> Alert {
        Alert(
            id: "policy.conduit-violation:hmi>control:ip:10.0.0.9>ip:10.0.0.5/modbus/\(operation)",
            rule: "policy.conduit-violation", title: "Policy violation: modbus \(operation)", severity: .high,
            techniques: ["T0855"], tactics: ["TA0106"], assets: ["10.0.0.9", "10.0.0.5"],
            firstSeen: Timestamp(seconds: 10, nanoseconds: 0), lastSeen: Timestamp(seconds: 20, nanoseconds: 0),
            count: count, fields: ["from_zone": "hmi", "to_zone": "control", "operation": operation],
            evidence: frames.map { Alert.EvidenceFrame(capture: "a.pcap", frame: $0) })
    }

    @Test(arguments: StoreBackend.available)
    func policyIsStoredAndTheLatestIsCurrent(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, location in
            let policies = try #require(store as? any PolicyStore)
            #expect(try await policies.currentPolicy() == nil)
            let first = StoredPolicy(
                text: "zones:\n  - name: \"<b>hmi</b>\"\n", source: "/p/a.yaml",
                storedAt: Timestamp(seconds: 100, nanoseconds: 0))
            try await policies.savePolicy(first)
            let second = StoredPolicy(
                text: "zones: []\n# ünïcode\n", source: "/p/b.yaml", storedAt: Timestamp(seconds: 200, nanoseconds: 0))
            try await policies.savePolicy(second)
            #expect(try await policies.currentPolicy() == second)
            // The first text again, later: it becomes current without a second row of it.
            var again = first
            again.storedAt = Timestamp(seconds: 300, nanoseconds: 0)
            again.source = "/p/a-moved.yaml"
            try await policies.savePolicy(again)
            let current = try #require(try await policies.currentPolicy())
            #expect(current == again && current.sha256 == StoredPolicy.hash(first.text))
            #expect(current.sha256.count == 64)
            // It survives reopening.
            let reopened = try await backend.withExisting(location) { reopened throws -> StoredPolicy? in
                try await (reopened as? any PolicyStore)?.currentPolicy()
            }
            #expect(reopened == again)
        }
    }

    @Test(arguments: StoreBackend.available)
    func recountedAlertsKeepIdsAndCountsAcrossChecks(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
            let detection = try #require(store as? any DetectionStore)
            let check = [Self.violation("write", count: 7, frames: [3, 4]), Self.violation("control", count: 2)]
            try await detection.commitRecounted(check)
            try await detection.commitRecounted(check)
            let stored = try await detection.alerts(AlertFilter(rule: "policy.conduit-violation"))
            #expect(stored.count == 2)
            #expect(Set(stored.map(\.id)) == Set(check.map(\.id)))
            #expect(stored.first { $0.fields["operation"] == "write" }?.count == 7)
            #expect(stored.first { $0.fields["operation"] == "write" }?.evidence.map(\.frame) == [3, 4])
            // Triage survives a recheck; more traffic raises the count to the new total.
            let write = check[0].id
            #expect(try await detection.setTriage(id: write, state: .acknowledged, note: "planned", by: "ana"))
            try await detection.commitRecounted([Self.violation("write", count: 9)])
            let after = try #require(try await detection.alert(id: write))
            #expect(after.count == 9 && after.state == .acknowledged)
            // A smaller total (a pruned store) never lowers or breaks the count.
            try await detection.commitRecounted([Self.violation("write", count: 1)])
            #expect(try await detection.alert(id: write)?.count == 9)
        }
    }
}
