import ConvergeConsole
import ConvergeModel
import ConvergePolicy
import ConvergeStore
import Foundation
import Testing

@testable import converge

/// `converge policy check --database`: violations land in the store as alerts (once, recounted on
/// a rerun), the policy is stored, and the console's zone view is built from it. On SQLite, and on
/// PostgreSQL when CONVERGE_TEST_POSTGRES names a server.
@Suite(.serialized) struct PolicyCheckStoreTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static var backends: [String] {
        ProcessInfo.processInfo.environment["CONVERGE_TEST_POSTGRES"] == nil ? ["sqlite"] : ["sqlite", "postgres"]
    }

    /// A new empty store's location.
    static func location(_ backend: String) -> String {
        if backend == "postgres", let base = ProcessInfo.processInfo.environment["CONVERGE_TEST_POSTGRES"] {
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            return base + (base.contains("?") ? "&" : "?") + "schema=" + schema
        }
        return FileManager.default.temporaryDirectory
            .appendingPathComponent("converge-policy-\(UUID().uuidString).sqlite").path
    }

    static func temporary(_ name: String, _ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The policy proposed from the store, with every conduit narrowed to reads.
    static func readOnlyPolicy(_ store: String) async throws -> String {
        let proposed = PolicyProposer.propose(try await loadInventory(files: [], store: store))
        let lines = proposed.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("operations: [") else { return String(line) }
            return String(repeating: " ", count: line.count - trimmed.count) + "operations: [read]"
        }
        return lines.joined(separator: "\n")
    }

    static func alerts(_ location: String) async throws -> [Alert] {
        try await withStore(location) { store in
            try await (store as? any DetectionStore)?.alerts(AlertFilter()) ?? []
        }.filter { $0.rule.hasPrefix(PolicyChecker.ruleFamily) }
    }

    static let cases: [(backend: String, capture: String, expected: String)] = backends.flatMap { backend in
        [
            (backend, "EIP-SoftwareUpload.pcap", "program"),
            (backend, "EIP-RemoteModeChangeAttempt.pcap", "control"),
        ]
    }

    @Test(arguments: cases.indices)
    func readOnlyPolicyViolationsLandAsAlertsOnce(index: Int) async throws {
        let (backend, capture, expected) = Self.cases[index]
        let store = Self.location(backend)
        let path = Self.fixtures.appendingPathComponent("policy/\(capture)").path
        try await AnalyzeCommand.parse([path, "--database", store, "--no-detect"]).run()
        let policyText = try await Self.readOnlyPolicy(store)
        let policyPath = try Self.temporary("read-only.yaml", policyText)
        defer { try? FileManager.default.removeItem(atPath: policyPath) }

        try await PolicyCheckCommand.parse(["--database", store, policyPath, "--json"]).run()
        let first = try await Self.alerts(store)
        #expect(!first.isEmpty)
        #expect(first.contains { $0.rule == "policy.conduit-violation" && $0.fields["operation"] == expected })
        #expect(!first.contains { $0.fields["operation"] == "read" })
        #expect(first.allSatisfy { $0.count > 0 && $0.fields["from_zone"] != nil && $0.fields["to_zone"] != nil })

        // A second check of the same store: the same alerts, the same counts.
        try await PolicyCheckCommand.parse(["--database", store, policyPath, "--json"]).run()
        let second = try await Self.alerts(store)
        #expect(second.map(\.id).sorted() == first.map(\.id).sorted())
        #expect(
            Dictionary(uniqueKeysWithValues: second.map { ($0.id, $0.count) })
                == Dictionary(uniqueKeysWithValues: first.map { ($0.id, $0.count) }))

        // `--no-commit` reports only.
        try await PolicyCheckCommand.parse(["--database", store, policyPath, "--json", "--no-commit"]).run()
        #expect(try await Self.alerts(store).map(\.count).sorted() == first.map(\.count).sorted())

        // The policy is stored, and the console's zones come from it.
        let console = try await openConsoleStore(store)
        let stored = try await (console as? any PolicyStore)?.currentPolicy()
        #expect(stored?.sha256 == StoredPolicy.hash(policyText))
        let view = try #require(try await PolicyZoneSource(store: console, fixed: nil).zoneView())
        await console.close()
        #expect(view.policy.origin == "store" && !view.zones.isEmpty)
        #expect(view.matrix.contains { $0.violations > 0 })
        #expect(!view.membership.isEmpty)
    }

    /// `converge serve --policy FILE` shows that file's zones, names as written (the console escapes them).
    @Test func servePolicyFileOverridesTheStoredOne() async throws {
        let store = Self.location("sqlite")
        let path = Self.fixtures.appendingPathComponent("policy/EIP-RebootorRestart.pcap").path
        try await AnalyzeCommand.parse([path, "--database", store, "--no-detect"]).run()
        let hostile = "<script>window.__pwned=1</script>"
        let policyPath = try Self.temporary(
            "hostile.yaml",
            """
            policy: "<b>plant</b>"
            zones:
              - name: "\(hostile)"
                level: 2
                cidrs: [0.0.0.0/0]
            """)
        defer { try? FileManager.default.removeItem(atPath: policyPath) }
        let console = try await openConsoleStore(store)
        let none = try await PolicyZoneSource(store: console, fixed: nil).zoneView()
        #expect(none == nil)
        let fixed = (policy: try loadPolicy(policyPath), text: try String(contentsOfFile: policyPath, encoding: .utf8),
            path: policyPath)
        let view = try #require(try await PolicyZoneSource(store: console, fixed: fixed).zoneView())
        await console.close()
        #expect(view.policy.origin == "file" && view.policy.name == "<b>plant</b>")
        #expect(view.zones.map(\.name) == [hostile])
        // Every asset with an IPv4 address is in the zone; assets known only by MAC are outside it.
        #expect(view.zones.first?.members ?? 0 > 0)
        #expect(Set(view.membership.values) == [hostile])
    }
}
