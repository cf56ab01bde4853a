import ConvergeModel
import Foundation
import Testing

@testable import ConvergeInventory
@testable import ConvergePolicy

/// Exported rule sets are checked by the real tools from Debian (`nft -c -f`, `iptables-restore
/// --test`); the tests skip with a message when a tool is not installed.
@Suite struct FirewallExportTests {
    typealias T = PolicyTestSupport

    static func tool(_ names: [String]) -> String? {
        for directory in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] {
            for name in names where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// Runs `tool arguments… file` on the text; returns the exit status and what it printed.
    static func run(_ tool: String, _ arguments: [String], text: String) throws -> (Int32, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("converge-policy-\(UUID().uuidString)")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments + [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static func policies() throws -> [(String, Policy, Inventory?)] {
        let plant = try Policy.load(path: PolicyParserTests.plantPath, now: T.now)
        let overlapping = try Policy.parse(
            yaml: """
                zones:
                  - name: site
                    cidrs: [10.0.0.0/16, "fd00::/8"]
                  - name: "cell: north/1"
                    cidrs: [10.0.1.0/24]
                  - name: pinned
                    cidrs: [10.0.1.7]
                  - name: everything-else
                    cidrs: [0.0.0.0/0]
                conduits:
                  - from: site
                    to: "cell: north/1"
                    protocols: [modbus, enip, dnp3, {name: custom, ports: [1234/tcp, 1235/udp]}, unknownproto, tcp/8080]
                  - from: pinned
                    to: site
                    protocols: [s7comm]
                """, now: T.now)
        let inventory = Inventory(
            assets: [
                T.asset("10.10.9.9", role: .engineeringWorkstation), T.asset("10.10.1.77", id: "mac:00:1b:1b:aa:bb:cc"),
            ], communications: [], changes: [], dropped: 0)
        var many = "zones:\n"
        for index in 0..<300 { many += "  - name: z\(index)\n    cidrs: [10.\(index / 100).\(index % 100).0/24]\n" }
        many += "conduits:\n"
        for index in 0..<299 { many += "  - from: z\(index)\n    to: z\(index + 1)\n    protocols: [modbus, s7comm]\n" }
        return [
            ("plant", plant, nil), ("plant+inventory", plant, inventory), ("overlapping", overlapping, nil),
            ("300 zones", try Policy.parse(yaml: many, now: T.now), nil),
        ]
    }

    @Test func nftablesExportHasSetsRulesAndComments() throws {
        let plant = try Policy.load(path: PolicyParserTests.plantPath, now: T.now)
        let text = FirewallExport(policy: plant).render(.nftables)
        #expect(text.contains("set z0_v4 {"))
        #expect(text.contains("elements = { 10.10.2.0/24 }"))
        #expect(text.contains("set z1_v6 {") && text.contains("2001:db8:1::/48"))
        #expect(
            text.contains(
                "ip saddr @z0_v4 ip daddr @z1_v4 tcp dport 502 accept comment "
                    + "\"modbus (read,write) on conduit hmi-supervises-control\""
            ))
        #expect(text.contains("# conduit hmi-supervises-control: zone hmi -> zone control\n"))
        #expect(text.contains("ip saddr @zones_v4 ip daddr @zones_v4 drop"))
        // The engineering zone is by asset id and role: without an inventory it has no addresses.
        #expect(text.contains("# zone engineering: role engineering_workstation not exported"))
        let resolved = FirewallExport(policy: plant, inventory: try Self.policies()[1].2).render(.nftables)
        #expect(resolved.contains("10.10.9.9") && resolved.contains("10.10.1.77"))
        #expect(resolved.contains("ip saddr @z2_v4 ip daddr @z1_v4 tcp dport 102 accept"))
    }

    @Test func iptablesExportUsesRangesForCarvedBlocks() throws {
        let (_, overlapping, _) = try Self.policies()[2]
        let text = FirewallExport(policy: overlapping).render(.iptables)
        #expect(text.contains("-m iprange --src-range 10.0.1.0-10.0.1.6"))
        #expect(text.contains("-p udp -m udp --dport 1235"))
        #expect(text.contains("# skipped: conduit site->cell: north/1: unknownproto has no standard port"))
        #expect(text.hasSuffix("COMMIT\n"))
    }

    @Test func nftAcceptsEveryExport() throws {
        guard let nft = Self.tool(["nft"]) else {
            print("skipped: nft is not installed (apt-get install nftables)")
            return
        }
        for (name, policy, inventory) in try Self.policies() {
            let text = FirewallExport(policy: policy, inventory: inventory).render(.nftables)
            let (status, output) = try Self.run(nft, ["-c", "-f"], text: text)
            #expect(status == 0, "nft -c refused the \(name) export: \(output)\n\(text)")
        }
    }

    @Test func iptablesRestoreAcceptsEveryExport() throws {
        guard let tool = Self.tool(["iptables-restore", "iptables-legacy-restore"]) else {
            print("skipped: iptables-restore is not installed (apt-get install iptables)")
            return
        }
        for (name, policy, inventory) in try Self.policies() {
            let text = FirewallExport(policy: policy, inventory: inventory).render(.iptables)
            let (status, output) = try Self.run(tool, ["--test"], text: text)
            #expect(status == 0, "iptables-restore --test refused the \(name) export: \(output)")
        }
    }
}
