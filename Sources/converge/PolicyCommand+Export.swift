import ArgumentParser
import ConvergeInventory
import ConvergePolicy
import Foundation

struct PolicyExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the conduits as allow-list firewall rules (nftables or iptables-restore)."
    )

    @Argument(help: "The policy file (YAML).")
    var policy: String

    @Option(help: "nftables (an `nft -f` file) or iptables (an `iptables-restore` file).")
    var format: String = "nftables"

    @Option(
        name: [.customLong("database"), .customLong("store")],
        help: "Resolve zone members given by asset id, role or vendor through this store's inventory.")
    var store: String?

    @Option(name: .shortAndLong, help: "Write the rules to this file instead of standard output.")
    var output: String?

    func validate() throws {
        if FirewallExport.Format(rawValue: format) == nil {
            throw ValidationError("--format must be nftables or iptables (got \(format))")
        }
    }

    func run() async throws {
        let loaded = try loadPolicy(policy)
        var inventory: Inventory?
        if let store { inventory = try await loadInventory(files: [], store: store) }
        let text = FirewallExport(policy: loaded, inventory: inventory).render(
            FirewallExport.Format(rawValue: format) ?? .nftables)
        if let output {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                FileHandle.standardError.write(
                    Data("converge: cannot write \(output): \(error.localizedDescription)\n".utf8))
                throw ExitCode(1)
            }
        } else {
            print(text, terminator: "")
        }
    }
}
