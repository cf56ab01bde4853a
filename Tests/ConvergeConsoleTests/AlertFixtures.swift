import ConvergeConsole
import ConvergeModel
import ConvergeStore
import Foundation

/// Alerts for the console's alert tests, committed through the store's own `commitAlerts`: a
/// Modbus write with real evidence frames, two policy violations, a hostile alert whose every
/// string is markup or control characters, and `plain` info alerts for pagination.
enum AlertFixtures {
    static let capture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/baseline/modbus_attack.pcap").path
    static let base = ConsoleFixtures.base
    static let second: Int64 = 1_000_000_000

    static let write = "modbus-write-new-host:10.0.0.9>10.0.0.5"
    /// As `converge policy check --database` names its alerts (`PolicyChecker.rule`).
    static let policyZone = "policy.violation:10.0.0.20>10.0.1.10/modbus"
    static let policyConduit = "policy.conduit:10.0.0.9>10.0.0.20"
    static let hostile = "hostile<script>:\"><img src=x onerror=1>"
    static let gone = "evidence-gone:10.0.0.5"

    /// The crafted inventory's assets are keyed by MAC (each was bound by ARP).
    static let asset5 = "mac:00:1b:1b:00:00:05"
    static let asset9 = "mac:00:0c:29:00:00:09"
    static let asset5Path = "/assets/mac%3A00%3A1b%3A1b%3A00%3A00%3A05"

    static func time(_ seconds: Int64) -> Timestamp { Timestamp(nanoseconds: base &+ seconds &* second) }

    static func alerts(plain: Int = 60) -> [Alert] {
        var out = [
            Alert(
                id: write, rule: "modbus-write-new-host", title: "Modbus write from a host that never wrote",
                severity: .high, techniques: ["T0836"], tactics: ["TA0106"], assets: ["10.0.0.9", "10.0.0.5"],
                firstSeen: time(100), lastSeen: time(200), count: 7,
                fields: ["proto": "modbus", "function": "write_single_register"],
                evidence: [1, 2, 3].map { Alert.EvidenceFrame(capture: capture, frame: $0) },
                description: "A host wrote registers it never wrote while learning.",
                remediation: "Confirm the engineering change."),
            Alert(
                id: policyZone, rule: "policy.violation", title: "Conversation crosses zones without a conduit",
                severity: .medium, techniques: ["T0886"], tactics: ["TA0108", "TA0109"],
                assets: ["10.0.0.20", "10.0.1.10"],
                firstSeen: time(50), lastSeen: time(300), count: 2),
            Alert(
                id: policyConduit, rule: "policy.conduit", title: "Protocol not allowed on the conduit",
                severity: .low, techniques: ["T0869"], tactics: ["TA0101"], assets: ["10.0.0.9", "10.0.0.20"],
                firstSeen: time(10), lastSeen: time(20), count: 1),
            Alert(
                id: hostile, rule: "s7-<img src=x onerror=window.__pwned=4>",
                title: Hostile.script + " " + Hostile.image, severity: .critical, techniques: ["T0843", "<b>T</b>"],
                tactics: ["TA0106"], assets: [Hostile.script, "10.0.0.5"], firstSeen: time(400), lastSeen: time(500),
                count: 3, fields: ["<b>bold</b>": Hostile.control, "module": Hostile.svg],
                evidence: [Alert.EvidenceFrame(capture: "/nonexistent/<script>.pcap", frame: 1)],
                description: Hostile.image, remediation: Hostile.control),
            Alert(
                id: gone, rule: "evidence-gone", title: "An alert whose capture was deleted", severity: .info,
                assets: ["10.0.0.5"], firstSeen: time(600), lastSeen: time(600),
                evidence: [Alert.EvidenceFrame(capture: "/nonexistent/old.pcap", frame: 4)]),
        ]
        for i in 0..<plain {
            out.append(
                Alert(
                    id: "scan:\(i)", rule: "modbus-unit-scan", title: "Modbus unit-id scan \(i)", severity: .info,
                    techniques: ["T0846"], tactics: ["TA0102"], assets: ["10.0.2.\(i)"],
                    firstSeen: time(1000 + Int64(i)),
                    lastSeen: time(1000 + Int64(i)), count: i + 1))
        }
        return out
    }

    static func fill(_ store: any ConsoleStore, plain: Int = 60) async throws {
        try await store.commitAlerts(alerts(plain: plain))
    }
}

extension ConsoleBackend {
    /// The crafted inventory plus the fixture alerts and users.
    func withAlertStore<T>(_ body: (any ConsoleStore) async throws -> T) async throws -> T {
        try await withFilledStore { store in
            try await AlertFixtures.fill(store)
            try await ConsoleFixtures.addUsers(store)
            return try await body(store)
        }
    }
}
