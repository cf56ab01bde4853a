import ArgumentParser
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What differs between two inventory stores: new and missing assets, identity, role and level changes, new edges."
    )

    @Argument(help: "The earlier store (SQLite file or postgres:// URL).")
    var before: String

    @Argument(help: "The later store.")
    var after: String

    @Flag(help: "Print the differences as JSON lines.")
    var json = false

    func run() async throws {
        let old = try await loadInventory(files: [], store: before)
        let new = try await loadInventory(files: [], store: after)
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
