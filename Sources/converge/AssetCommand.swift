import ArgumentParser
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation

struct AssetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asset",
        abstract: "Everything known about one asset (by id, IP or MAC), with the provenance of each value."
    )

    @Argument(help: "An asset id (mac:… or ip:…), an IP address or a MAC address.")
    var key: String

    @Argument(help: "Capture files to build the inventory from (leave out with --database).")
    var files: [String] = []

    @Option(name: [.customLong("database"), .customLong("store")], help: "Read the inventory from this store.")
    var store: String?

    @Flag(help: "Print the asset, its communications and changes as JSON.")
    var json = false

    func validate() throws {
        if files.isEmpty == (store == nil) { throw ValidationError("name capture files or a --database, not both") }
    }

    func run() async throws {
        let inventory = try await loadInventory(files: files, store: store)
        guard let asset = Self.find(key, in: inventory) else {
            FileHandle.standardError.write(Data("converge: no asset \(AssetTable.safe(key))\n".utf8))
            throw ExitCode(1)
        }
        let communications = inventory.communications.filter { $0.client == asset.id || $0.server == asset.id }
        let changes = inventory.changes.filter { $0.asset == asset.id }
        if json {
            struct Detail: Encodable {
                var asset: Asset
                var communications: [Communication]
                var changes: [AssetChange]
            }
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(Detail(asset: asset, communications: communications, changes: changes)))
            print()
            return
        }
        print(AssetTable.detail(asset, communications: communications, changes: changes), terminator: "")
    }

    /// By id, else by an address or MAC the asset holds (a MAC is matched in any case).
    static func find(_ key: String, in inventory: Inventory) -> Asset? {
        if let asset = inventory.asset(key) { return asset }
        if let address = IPAddress(key) { return inventory.asset(at: address) }
        let mac = key.lowercased().replacingOccurrences(of: "-", with: ":")
        return inventory.assets.first { $0.macs.contains(mac) }
    }
}
