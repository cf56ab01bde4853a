import ConvergeDetection
import ConvergeModel
import Testing

@testable import ConvergeInventory
@testable import ConvergePolicy

@Suite struct PolicyProposerTests {
    typealias T = PolicyTestSupport

    static func inventory(vendor: String? = nil) -> Inventory {
        Inventory(
            assets: [
                T.asset("10.0.1.10", role: .plc, level: .level1, vendor: vendor),
                T.asset("10.0.1.11", role: .plc, level: .level1),
                T.asset("10.0.2.20", role: .hmi, level: .level2),
                T.asset("10.0.2.21", role: .engineeringWorkstation, level: .level2),
            ],
            communications: [
                T.communication("10.0.2.20", "10.0.1.10", "modbus", ["read": 90, "write": 3], messages: 93),
                T.communication("10.0.2.20", "10.0.1.11", "modbus", ["read": 10], messages: 10),
                T.communication("10.0.2.21", "10.0.1.10", "s7comm", ["program": 2, "read": 1], messages: 3),
                T.communication("10.0.1.10", "10.0.1.11", "modbus", ["read": 4], messages: 4),
            ], changes: [], dropped: 0)
    }

    @Test func zonesBySubnetLevelAndRoleConduitsByWhatWasSeen() throws {
        let text = PolicyProposer.propose(Self.inventory(), title: "plant a")
        let policy = try Policy.parse(yaml: text, file: "proposed.yaml", now: T.now)
        #expect(policy.name == "plant a")
        #expect(
            Set(policy.zones.map(\.name)) == [
                "control-plc-10.0.1.x", "supervisory-hmi-10.0.2.x", "supervisory-engineering_workstation-10.0.2.x",
            ])
        #expect(policy.zone(named: "control-plc-10.0.1.x")?.members.cidrs.count == 2)
        #expect(policy.zone(named: "control-plc-10.0.1.x")?.level == .level1)
        #expect(policy.conduits.count == 2)
        let hmi = try #require(policy.conduits.first { $0.from == "supervisory-hmi-10.0.2.x" })
        // Least privilege: the union of what the HMI did to both PLCs, nothing more.
        #expect(hmi.protocols.map(\.name) == ["modbus"] && hmi.protocols.first?.operations == [.read, .write])
        let ews = try #require(policy.conduits.first { $0.from.hasPrefix("supervisory-engineering") })
        #expect(ews.protocols.first?.operations == [.program, .read])
        // The comments say what was seen.
        #expect(text.contains("# 103 messages in 2 conversation(s)"))
        #expect(text.contains("# operations seen: read 100, write 3"))
        #expect(text.contains("# e.g. 10.0.2.20 → 10.0.1.10"))
        let result = PolicyChecker(policy: policy, now: T.now).check(Self.inventory())
        #expect(result.violations.isEmpty)
    }

    /// Names learned from the wire end up in comments: line breaks of every kind YAML knows
    /// (including NEL and U+2028) must not let them add lines to the policy.
    @Test func wireNamesCannotInjectPolicyLines() throws {
        let evil = "Evil\n  - name: injected\u{2028}  - name: injected2\u{85}cidrs: [0.0.0.0/0]\r#"
        let text = PolicyProposer.propose(Self.inventory(vendor: evil))
        let policy = try Policy.parse(yaml: text, now: T.now)
        #expect(policy.zones.count == 3)
        #expect(!policy.zones.contains { $0.name.hasPrefix("injected") })
        #expect(!policy.zones.contains { $0.members.cidrs.contains { $0.length == 96 } })
        #expect(PolicyProposer.yamlString("a\u{2028}b\"c") == "\"a\\u2028b\\\"c\"")
    }

    @Test func emptyInventoryProposesAnEmptyButValidFile() throws {
        let text = PolicyProposer.propose(Inventory(assets: [], communications: [], changes: [], dropped: 0))
        #expect(throws: PolicyError.self) { try Policy.parse(yaml: text, now: T.now) }
        #expect(text.contains("No assets were seen"))
        do {
            _ = try Policy.parse(yaml: text, file: "p.yaml", now: T.now)
        } catch {
            #expect(error.description.contains("p.yaml:9") && error.description.contains("`zones:` is empty"))
        }
    }

    @Test func zonesReachTheRulesAssetDirectory() throws {
        let inventory = Self.inventory()
        let policy = try Policy.parse(yaml: PolicyProposer.propose(inventory), now: T.now)
        var directory = AssetDirectory(inventory)
        ZoneMap(policy.zones).annotate(&directory, inventory: inventory)
        #expect(directory[IPAddress("10.0.1.11") ?? .none]?.zone == "control-plc-10.0.1.x")
        #expect(directory[IPAddress("10.0.2.20") ?? .none]?.zone == "supervisory-hmi-10.0.2.x")
    }
}
