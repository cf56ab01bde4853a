import ConvergeInventory
import ConvergeModel

/// The inventory as text for a terminal and as CSV. Every string may come from the wire, so it is
/// made safe first: control characters are shown as escapes (they could move a terminal's
/// cursor or rewrite earlier lines), and CSV fields are quoted.
enum AssetTable {
    static func text(_ assets: [Asset]) -> String {
        var out = "\(assets.count) asset\(assets.count == 1 ? "" : "s")\n"
        for asset in assets {
            let addresses = asset.addresses.map { "\($0.address)" }.joined(separator: ", ")
            let level = asset.level.map { "level \($0.rawValue)" } ?? "level ?"
            out += "\n\(safe(asset.id))  \(level)  \(asset.role.label)\n"
            if !addresses.isEmpty { out += "  addresses: \(addresses)\n" }
            if let vendor = asset.macVendor { out += "  MAC vendor: \(safe(vendor))\n" }
            for kind in shownKinds {
                guard let value = asset.current(kind) else { continue }
                let others = (asset.identity[kind.rawValue]?.count ?? 1) - 1
                out += "  \(kind.rawValue): \(safe(value))" + (others > 0 ? "  (+\(others) other value(s))" : "") + "\n"
            }
            if !asset.serves.isEmpty { out += "  answers: \(asset.serves.keys.sorted().joined(separator: ", "))\n" }
            if !asset.uses.isEmpty { out += "  uses: \(asset.uses.keys.sorted().joined(separator: ", "))\n" }
            for reason in asset.levelReasons.isEmpty ? asset.roleReasons : asset.levelReasons {
                out += "  why: \(safe(reason))\n"
            }
            for note in asset.notes { out += "  note: \(safe(note))\n" }
        }
        return out
    }

    static func changes(_ changes: [AssetChange]) -> String {
        var out = "\n\(changes.count) change\(changes.count == 1 ? "" : "s")\n"
        for change in changes { out += "  \(change.time)  \(safe(change.text))\n" }
        return out
    }

    static let shownKinds: [AssetFact.Kind] = [
        .vendor, .model, .productCode, .moduleName, .firmware, .revision, .serial, .hostname, .os,
    ]

    static func csv(_ assets: [Asset]) -> String {
        let header = ["id", "level", "role", "addresses", "macs", "mac_vendor"] + shownKinds.map(\.rawValue)
            + ["answers", "uses", "first_seen", "last_seen", "reasons"]
        var out = header.joined(separator: ",") + "\n"
        for asset in assets {
            var row = [
                asset.id, asset.level?.rawValue ?? "", asset.role.rawValue,
                asset.addresses.map { "\($0.address)" }.joined(separator: " "), asset.macs.joined(separator: " "),
                asset.macVendor ?? "",
            ]
            row += shownKinds.map { asset.current($0) ?? "" }
            row += [
                asset.serves.keys.sorted().joined(separator: " "), asset.uses.keys.sorted().joined(separator: " "),
                "\(asset.firstSeen)", "\(asset.lastSeen)",
                (asset.levelReasons.isEmpty ? asset.roleReasons : asset.levelReasons).joined(separator: " | "),
            ]
            out += row.map(csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    /// RFC 4180 quoting; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does
    /// not run a hostname as a formula.
    static func csvField(_ value: String) -> String {
        var value = safe(value)
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Control characters (C0, DEL, C1) and bidirectional overrides as `\u{…}` escapes.
    static func safe(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                out += "\\u{" + String(v, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension AssetTable {
    /// One asset in full: every value of every identity kind with where and when it was seen.
    static func detail(_ asset: Asset, communications: [Communication], changes: [AssetChange]) -> String {
        var out = text([asset])
        out += "\n  identity, every value with its provenance:\n"
        for kind in asset.identity.keys.sorted() {
            for o in asset.identity[kind] ?? [] {
                out += "    \(kind): \(safe(o.value))  [\(safe(o.source)), \(o.confidence.rawValue), "
                    + "×\(o.count), \(o.firstSeen) – \(o.lastSeen)]\n"
            }
        }
        out += "  addresses:\n"
        for a in asset.addresses {
            out += "    \(a.address)  \(a.scope.rawValue), by \(a.binding), \(a.firstSeen) – \(a.lastSeen)\n"
        }
        if !communications.isEmpty {
            out += "  communications:\n"
            for c in communications {
                let ops = c.operations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                out += "    \(safe(c.client)) → \(safe(c.server))  \(safe(c.proto)): \(c.messages) messages"
                    + (ops.isEmpty ? "" : " (\(ops))") + ", \(c.packets) packets, \(c.bytes) bytes\n"
            }
        }
        if !changes.isEmpty {
            out += "  changes:\n"
            for c in changes { out += "    \(c.time)  \(safe(c.text))\n" }
        }
        return out
    }
}
