import ConvergeModel
import Testing

@testable import ConvergeInventory
@testable import ConvergePolicy

@Suite struct PolicyCheckerTests {
    typealias T = PolicyTestSupport

    static func plant() throws -> Policy {
        try Policy.load(path: PolicyParserTests.plantPath, now: T.now)
    }

    static let assets = [
        T.asset("10.10.2.20", role: .hmi, level: .level2),
        T.asset("10.10.2.21", role: .hmi, level: .level2),
        T.asset("10.10.1.10", role: .plc, level: .level1),
        T.asset("10.10.3.5", role: .historian, level: .level3),
        T.asset("10.10.9.9", role: .engineeringWorkstation, level: .level2),
        T.asset("192.168.10.50"),
    ]

    func check(_ communications: [Communication]) throws -> PolicyCheckResult {
        let inventory = Inventory(assets: Self.assets, communications: communications, changes: [], dropped: 0)
        return PolicyChecker(policy: try Self.plant(), now: T.now).check(inventory)
    }

    @Test func allowedTrafficRaisesNothing() throws {
        let result = try check([
            T.communication("10.10.2.20", "10.10.1.10", "modbus", ["read": 40, "write": 2]),
            T.communication("10.10.3.5", "10.10.1.10", "modbus", ["read": 10]),
            // The engineering workstation is in its zone by role; every modbus operation is allowed.
            T.communication("10.10.9.9", "10.10.1.10", "modbus", ["program": 1, "control": 1]),
            // Inside one zone: not checked.
            T.communication("10.10.2.20", "10.10.2.21", "vnc", ["other": 3]),
            // The live exception: reads from the commissioning laptop.
            T.communication("192.168.10.50", "10.10.1.10", "modbus", ["read": 4]),
        ])
        #expect(result.violations.isEmpty)
        #expect(result.unzoned.map(\.id) == ["ip:192.168.10.50"])
        #expect(result.conduits.map(\.used) == [1, 1, 1])
        #expect(result.zones.first { $0.name == "engineering" }?.reasons == ["role engineering_workstation": 1])
        #expect(result.expiredExceptions.count == 1)
    }

    @Test func operationsNoConduitAllowsAreViolations() throws {
        let result = try check([
            T.communication(
                "10.10.2.20", "10.10.1.10", "modbus", ["read": 40, "write": 2, "program": 1, "control": 3]),
            T.communication("10.10.3.5", "10.10.1.10", "modbus", ["read": 10, "write": 1]),
        ])
        // One alert per operation the conduit does not allow: control and program, then write.
        #expect(result.violations.count == 3)
        let hmi = result.violations.filter { $0.fields["from_zone"] == "hmi" }
        #expect(Set(hmi.map { $0.fields["not_allowed"] ?? "" }) == ["control", "program"])
        #expect(hmi.allSatisfy { $0.rule == "policy.conduit-violation" && $0.fields["operations"] == "control, program" })
        let program = try #require(hmi.first { $0.fields["operation"] == "program" })
        #expect(program.fields["to_zone"] == "control" && program.fields["proto"] == "modbus")
        #expect(program.severity == .critical && program.count == 1)
        #expect(program.techniques == ["T0843", "T0845"])
        #expect(program.assets == ["10.10.2.20", "10.10.1.10"])
        #expect(program.title.contains("zone hmi to zone control"))
        #expect(program.id == "policy.conduit-violation:hmi>control:ip:10.10.2.20>ip:10.10.1.10/modbus/program")
        let control = try #require(hmi.first { $0.fields["operation"] == "control" })
        #expect(control.severity == .high && control.count == 3 && control.techniques == ["T0855"])
        let historian = try #require(result.violations.first { $0.fields["from_zone"] == "historian" })
        #expect(historian.fields["not_allowed"] == "write" && historian.severity == .high && historian.count == 1)
        #expect(historian.techniques == ["T0855"] && historian.tactics == ["TA0106"])
    }

    @Test func idsAreStableAcrossChecks() throws {
        let traffic = [
            T.communication("10.10.2.20", "10.10.1.10", "modbus", ["write": 2, "control": 3]),
            T.communication("10.10.2.20", "10.10.1.10", "s7comm", ["read": 1]),
        ]
        let first = try check(traffic).violations.map(\.id).sorted()
        let second = try check(traffic).violations.map(\.id).sorted()
        // Modbus control (hmi → control allows read and write only) and s7comm (no conduit).
        #expect(first == second && Set(first).count == first.count && first.count == 2)
        #expect(first.allSatisfy { $0.hasPrefix(PolicyChecker.ruleFamily) })
    }

    @Test func remoteAccessWithoutAConduitIsRemoteServices() throws {
        let result = try check([
            T.communication("10.10.3.5", "10.10.1.10", "ssh", ["session": 1]),
            T.communication("10.10.3.5", "10.10.1.10", "tcp/9999", [:]),
        ])
        let ssh = try #require(result.violations.first { $0.fields["proto"] == "ssh" })
        #expect(ssh.rule == "policy.no-conduit" && ssh.techniques == ["T0886"] && ssh.fields["operation"] == "any")
        let bare = try #require(result.violations.first { $0.fields["proto"] == "tcp/9999" })
        #expect(bare.techniques.isEmpty && bare.tactics.isEmpty)
    }

    @Test func protocolsWithoutAConduitAndUnzonedHostsAreViolations() throws {
        let result = try check([
            T.communication("10.10.2.20", "10.10.1.10", "s7comm", ["read": 1]),
            T.communication("192.168.10.50", "10.10.1.10", "modbus", ["read": 4, "write": 9]),
            T.communication("10.10.1.10", "10.10.3.5", "tcp/8080", [:]),
            // Expired exception: hmi → historian http is no longer allowed.
            T.communication("10.10.2.20", "10.10.3.5", "http", ["read": 2]),
        ])
        #expect(result.violations.count == 4)
        let s7 = try #require(result.violations.first { $0.fields["proto"] == "s7comm" })
        #expect(s7.fields["not_allowed"] == "protocol" && s7.title.contains("no conduit allows it"))
        #expect(s7.rule == "policy.no-conduit" && s7.techniques == ["T0801"])
        let laptop = try #require(result.violations.first { $0.fields["client"] == "ip:192.168.10.50" })
        // The exception allows its reads; the writes stay a violation.
        #expect(laptop.fields["from_zone"] == "(outside)" && laptop.fields["not_allowed"] == "write")
        let bare = try #require(result.violations.first { $0.fields["proto"] == "tcp/8080" })
        #expect(bare.fields["not_allowed"] == "protocol" && bare.fields["operations"] == "")
        #expect(result.violations.contains { $0.fields["proto"] == "http" && $0.fields["to_zone"] == "historian" })
        let cell = try #require(result.matrix.first { $0.from == "hmi" && $0.to == "control" })
        #expect(cell.communications == 1 && cell.violations == 1 && cell.protocols == ["s7comm"])
        #expect(PolicyReport.text(result).contains("Violations (4)"))
    }

    @Test func matrixCountsEveryPair() throws {
        let result = try check([
            T.communication("10.10.2.20", "10.10.1.10", "modbus", ["read": 40], messages: 40),
            T.communication("10.10.2.21", "10.10.1.10", "modbus", ["read": 5], messages: 5),
            T.communication("10.10.2.20", "10.10.2.21", "vnc", [:], messages: 7),
        ])
        #expect(result.matrix.count == 2)
        let cell = try #require(result.matrix.first { $0.from == "hmi" && $0.to == "control" })
        #expect(cell.communications == 2 && cell.messages == 45 && cell.violations == 0)
        let inside = try #require(result.matrix.first { $0.from == "hmi" && $0.to == "hmi" })
        #expect(inside.messages == 7)
        let table = PolicyReport.matrix(result.matrix)
        #expect(table.contains("1 = control") && table.contains("2 = hmi"))
    }
}
