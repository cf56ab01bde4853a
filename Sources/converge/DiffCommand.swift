import ArgumentParser
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What differs between two inventory stores, or two time windows of one: new and missing assets, identity, role and level changes, new edges.",
        discussion: """
            converge diff BEFORE.db AFTER.db
            converge diff plant.db --earlier 2024-03-01..2024-03-02 --later 2024-03-02T00:00:00Z..
            A window is FROM..TO in capture time, either end open: an ISO 8601 date or date and time
            (UTC unless it says otherwise) or Unix seconds.
            """
    )

    @Argument(help: "Two stores (earlier, later), or one store with --earlier and --later windows.")
    var stores: [String]

    @Option(help: "The earlier window of one store (FROM..TO).")
    var earlier: String?

    @Option(help: "The later window of one store (FROM..TO).")
    var later: String?

    @Flag(help: "Print the differences as JSON lines.")
    var json = false

    func validate() throws {
        if earlier != nil || later != nil {
            guard earlier != nil, later != nil else { throw ValidationError("give both --earlier and --later") }
            guard stores.count == 1 else { throw ValidationError("windows compare one store: give exactly one") }
            _ = try WindowText.parse(earlier ?? "", option: "--earlier")
            _ = try WindowText.parse(later ?? "", option: "--later")
        } else if stores.count != 2 {
            throw ValidationError("give two stores, or one store with --earlier and --later")
        }
    }

    func run() async throws {
        let old: Inventory
        let new: Inventory
        if let earlier, let later, let store = stores.first {
            let whole = try await loadInventory(files: [], store: store)
            old = whole.seen(in: try WindowText.parse(earlier, option: "--earlier"))
            new = whole.seen(in: try WindowText.parse(later, option: "--later"))
        } else {
            old = try await loadInventory(files: [], store: stores[0])
            new = try await loadInventory(files: [], store: stores[1])
        }
        let lines = InventoryDiff.between(old, new)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for line in lines { print(String(decoding: try encoder.encode(line), as: UTF8.self)) }
        } else {
            print(lines.isEmpty ? "no differences" : lines.map { AssetTable.safe($0.text) }.joined(separator: "\n"))
        }
    }
}

/// The differences between two inventories, in words.
enum InventoryDiff {
    struct Line: Encodable, Equatable {
        var kind: String
        var asset: String
        var text: String
    }

    static func between(_ old: Inventory, _ new: Inventory) -> [Line] {
        var out: [Line] = []
        let before = Dictionary(old.assets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.assets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for asset in new.assets where before[asset.id] == nil {
            out.append(Line(kind: "new_asset", asset: asset.id, text: "new: \(name(asset)) (\(asset.role.label))"))
        }
        for asset in old.assets where after[asset.id] == nil {
            out.append(Line(kind: "missing_asset", asset: asset.id, text: "missing: \(name(asset)) (\(asset.role.label))"))
        }
        for asset in new.assets {
            guard let earlier = before[asset.id] else { continue }
            for kind in InventoryBuilder.trackedKinds {
                let was = earlier.current(kind)
                let now = asset.current(kind)
                if was != now, let now {
                    out.append(Line(
                        kind: "identity_change", asset: asset.id,
                        text: "\(name(asset)): \(kind.rawValue) \(was ?? "unknown") → \(now)"))
                }
            }
            if earlier.role != asset.role {
                out.append(Line(kind: "role_change", asset: asset.id,
                                text: "\(name(asset)): role \(earlier.role.label) → \(asset.role.label)"))
            }
            if earlier.level != asset.level {
                out.append(Line(
                    kind: "level_change", asset: asset.id,
                    text: "\(name(asset)): level \(earlier.level?.rawValue ?? "?") → \(asset.level?.rawValue ?? "?")"))
            }
            for address in asset.addresses where !earlier.addresses.contains(where: { $0.address == address.address }) {
                out.append(Line(kind: "new_address", asset: asset.id, text: "\(name(asset)): new address \(address.address)"))
            }
        }
        let oldEdges = Set(old.communications.map { "\($0.client)\u{0}\($0.server)\u{0}\($0.proto)" })
        for c in new.communications where !oldEdges.contains("\(c.client)\u{0}\(c.server)\u{0}\(c.proto)") {
            let client = after[c.client].map(name) ?? c.client
            let server = after[c.server].map(name) ?? c.server
            out.append(Line(kind: "new_edge", asset: c.server, text: "new conversation: \(client) → \(server) over \(c.proto)"))
        }
        return out
    }

    static func name(_ asset: Asset) -> String {
        asset.addresses.first.map { "\($0.address)" } ?? asset.macs.first ?? asset.id
    }
}
