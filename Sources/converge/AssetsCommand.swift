import ArgumentParser
import ConvergeEngine
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation

struct AssetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "List every device the captures show: addresses, identity, role and Purdue level with reasons."
    )

    @Argument(help: "Capture files to build the inventory from (leave out with --store to read the store).")
    var files: [String] = []

    @Option(
        name: [.customLong("database"), .customLong("store")],
        help: "Read the inventory from this store (an SQLite file or postgres:// URL) instead of captures.")
    var store: String?

    @Flag(help: "Print the whole inventory (assets, communications, changes) as JSON.")
    var json = false

    @Flag(help: "Print the assets as CSV.")
    var csv = false

    @Flag(help: "Print the assets as a CycloneDX 1.6 hardware bill of materials (JSON).")
    var cyclonedx = false

    @Flag(help: "Also list the changes seen (new assets and addresses, identity changes).")
    var changes = false

    @Option(help: "Only assets at this Purdue level (0, 1, 2, 3, 3.5, 4, 5).")
    var level: String?

    @Option(help: "Only assets with this role (plc, rtu, ied, hmi, engineering_workstation, …).")
    var role: String?

    @Option(help: "Only assets whose vendor (reported or from the MAC) contains this text.")
    var vendor: String?

    @Option(name: .customLong("protocol"), help: "Only assets that answer or use this protocol (modbus, s7comm …).")
    var proto: String?

    func validate() throws {
        if let level, PurdueLevel(rawValue: level) == nil {
            throw ValidationError("--level must be one of 0, 1, 2, 3, 3.5, 4, 5 (got \(level))")
        }
        if let role, Role(rawValue: role) == nil {
            throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if [json, csv, cyclonedx].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --json, --csv and --cyclonedx")
        }
        if files.isEmpty == (store == nil) {
            throw ValidationError("name capture files or a --database, not both")
        }
    }

    func run() async throws {
        var inventory = try await loadInventory(files: files, store: store)
        inventory.assets = inventory.assets.filter(matches)
        if cyclonedx {
            print(try CycloneDX.document(inventory.assets))
        } else if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(inventory))
            print()
        } else if csv {
            print(AssetTable.csv(inventory.assets), terminator: "")
        } else {
            print(AssetTable.text(inventory.assets), terminator: "")
            if changes { print(AssetTable.changes(inventory.changes), terminator: "") }
        }
    }

    private func matches(_ asset: Asset) -> Bool {
        if let level, asset.level?.rawValue != level { return false }
        if let role, asset.role.rawValue != role { return false }
        if let vendor {
            let names = [asset.current(.vendor), asset.macVendor].compactMap { $0?.lowercased() }
            if !names.contains(where: { $0.contains(vendor.lowercased()) }) { return false }
        }
        if let proto, asset.serves[proto] == nil, asset.uses[proto] == nil { return false }
        return true
    }
}
