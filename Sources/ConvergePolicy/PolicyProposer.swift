import ConvergeInventory
import ConvergeModel

/// Proposes a policy from what the plant really does: one zone per subnet × Purdue level × role,
/// conduits for exactly the protocols and operations seen between them (least privilege),
/// written as YAML with comments that say what was seen, for a person to review and edit.
public enum PolicyProposer {
    /// Hosts listed by address per zone before the rest are only counted in a comment.
    public static let maxHostsPerZone = 4_096
    /// Example hosts named in a conduit's comment.
    static let exampleHosts = 3

    struct Group {
        var key: String
        var subnet: String
        var level: PurdueLevel?
        var role: Role
        var external: Bool
        var assets: [Asset] = []
        var name = ""
    }

    struct Seen {
        var from: Int
        var to: Int
        var proto: String
        var operations: [String: UInt64] = [:]
        var messages: UInt64 = 0
        var communications = 0
        var first = Timestamp(nanoseconds: .max)
        var last = Timestamp(nanoseconds: .min)
        var examples: [String] = []
    }

    public static func propose(_ inventory: Inventory, title: String = "proposed") -> String {
        // Zones.
        var groups: [Group] = []
        var groupOf: [String: Int] = [:]
        var byKey: [String: Int] = [:]
        for asset in inventory.assets.sorted(by: { $0.id < $1.id }) {
            let subnet = subnetName(asset)
            let key = "\(asset.external ? "ext" : subnet)|\(asset.level?.rawValue ?? "-")|\(asset.role.rawValue)"
            let index: Int
            if let existing = byKey[key] {
                index = existing
            } else {
                index = groups.count
                byKey[key] = index
                groups.append(
                    Group(key: key, subnet: subnet, level: asset.level, role: asset.role, external: asset.external))
            }
            groups[index].assets.append(asset)
            groupOf[asset.id] = index
        }
        var used: Set<String> = []
        for index in groups.indices {
            let group = groups[index]
            var base =
                group.external
                ? "external-\(group.role.rawValue)"
                : "\(levelWord(group.level))-\(group.role.rawValue)-\(group.subnet)"
            base = base.replacingUnsafe()
            var name = base
            var suffix = 2
            while !used.insert(name).inserted {
                name = "\(base)-\(suffix)"
                suffix += 1
            }
            groups[index].name = name
        }
        // Conduits.
        var seen: [String: Seen] = [:]
        var order: [String] = []
        var byID: [String: Asset] = [:]
        for asset in inventory.assets where byID[asset.id] == nil { byID[asset.id] = asset }
        for communication in inventory.communications {
            guard let from = groupOf[communication.client], let to = groupOf[communication.server], from != to else {
                continue
            }
            let proto = communication.proto.lowercased()
            let key = "\(from)|\(to)|\(proto)"
            var entry = seen[key] ?? Seen(from: from, to: to, proto: proto)
            if seen[key] == nil { order.append(key) }
            for (name, count) in communication.operations where count > 0 {
                let op = Operation(rawValue: name)?.rawValue ?? Operation.other.rawValue
                entry.operations[op, default: 0] &+= count
            }
            entry.messages &+= communication.messages
            entry.communications += 1
            entry.first = min(entry.first, communication.firstSeen)
            entry.last = max(entry.last, communication.lastSeen)
            if entry.examples.count < exampleHosts {
                entry.examples.append(
                    "\(PolicyChecker.display(communication.client, byID)) → "
                    + "\(PolicyChecker.display(communication.server, byID))"
                )
            }
            seen[key] = entry
        }
        return render(groups: groups, seen: order.compactMap { seen[$0] }, title: title, inventory: inventory)
    }

    private static func render(groups: [Group], seen: [Seen], title: String, inventory: Inventory) -> String {
        var out = """
            # Converge zones-and-conduits policy, proposed from observed traffic.
            # \(inventory.assets.count) assets, \(inventory.communications.count) conversations.
            # Review every zone and conduit: the proposal allows exactly what was seen (least privilege),
            # including anything unwanted that was already happening. Zones list the hosts seen; replace
            # them with the subnet (cidrs: [10.0.1.0/24]) to admit new devices there.
            # Operations: read, write, control, program, firmware, diagnostic, discovery, session, auth, other.
            policy: \(yamlString(title))

            zones:

            """
        if groups.isEmpty { out += "  # No assets were seen: nothing to propose. Add zones by hand.\n" }
        var claimed: Set<IPAddress> = []
        for group in groups {
            out += "  # \(group.assets.count) asset(s), role \(group.role.label)"
            if let level = group.level { out += ", Purdue level \(level.rawValue)" }
            out += group.external ? ", outside the plant\n" : ", subnet \(group.subnet)\n"
            let vendors = Set(group.assets.compactMap { $0.current(.vendor) ?? $0.macVendor }).sorted().prefix(5)
            if !vendors.isEmpty { out += "  # vendors: \(comment(vendors.joined(separator: ", ")))\n" }
            out += "  - name: \(yamlString(group.name))\n"
            if let level = group.level { out += "    level: \(yamlString(level.rawValue))\n" }
            out +=
                "    security_level: \(proposedSecurityLevel(group.level))  # target SL proposed from the "
                + "level: set it from your risk assessment\n"
            out += "    members:\n"
            var cidrs: [(String, String)] = []
            var ids: [(String, String)] = []
            for asset in group.assets {
                let label = comment(describe(asset))
                if !asset.addresses.isEmpty {
                    // An address two assets answered from goes to the first zone only (no overlap).
                    for item in asset.addresses where claimed.insert(item.address).inserted {
                        cidrs.append((item.address.description, label))
                    }
                } else if asset.id.hasPrefix("ip:"), let cidr = CIDR(String(asset.id.dropFirst(3))),
                    claimed.insert(IPAddress(bits: cidr.network)).inserted
                {
                    cidrs.append((String(asset.id.dropFirst(3)), label))
                } else {
                    ids.append((asset.id, label))
                }
            }
            if cidrs.isEmpty && ids.isEmpty {
                // Every address went to an earlier zone: name the assets instead, so the zone is not empty.
                ids = group.assets.map { ($0.id, comment(describe($0))) }
            }
            if !cidrs.isEmpty {
                out += "      cidrs:\n"
                for (address, label) in cidrs.prefix(maxHostsPerZone) { out += "        - \(address)  # \(label)\n" }
                if cidrs.count > maxHostsPerZone {
                    out += "        # … \(cidrs.count - maxHostsPerZone) more hosts not listed\n"
                }
            }
            if !ids.isEmpty {
                out += "      assets:\n"
                for (id, label) in ids.prefix(maxHostsPerZone) { out += "        - \(yamlString(id))  # \(label)\n" }
            }
            out += "\n"
        }
        out += "conduits:\n"
        if seen.isEmpty { out += "  []\n" }
        var byPair: [String: [Seen]] = [:]
        var pairs: [String] = []
        for item in seen {
            let key = "\(item.from)|\(item.to)"
            if byPair[key] == nil { pairs.append(key) }
            byPair[key, default: []].append(item)
        }
        for key in pairs {
            guard let items = byPair[key], let firstItem = items.first else { continue }
            let from = groups[firstItem.from].name
            let to = groups[firstItem.to].name
            out += "\n  - name: \(yamlString("\(from) to \(to)"))\n"
            out += "    from: \(yamlString(from))\n    to: \(yamlString(to))\n    protocols:\n"
            for item in items.sorted(by: { $0.proto < $1.proto }) {
                out += "      # \(item.messages) messages in \(item.communications) conversation(s), "
                out += "seen \(isoTime(item.first)) – \(isoTime(item.last))\n"
                out += "      # e.g. \(comment(item.examples.joined(separator: ", ")))\n"
                let ops = Operation.allCases.filter { item.operations[$0.rawValue] != nil }
                if !ops.isEmpty {
                    let counts = ops.map { "\($0.rawValue) \(item.operations[$0.rawValue] ?? 0)" }.joined(
                        separator: ", ")
                    out += "      # operations seen: \(counts)\n"
                }
                out += "      - name: \(yamlString(item.proto))\n"
                out += "        operations: [\(ops.map(\.rawValue).joined(separator: ", "))]\n"
            }
        }
        out += "\n# Temporary allowances, each with an owner and an expiry date (YYYY-MM-DD):\n"
        out += "exceptions: []\n"
        out += "#  - from: 10.0.0.9\n#    to: \(groups.first.map { yamlString($0.name) } ?? "zone")\n"
        out +=
            "#    protocol: modbus\n#    operations: [write]\n#    owner: name@example.com\n#    expires: 2027-01-31\n"
        return out
    }

    static func subnetName(_ asset: Asset) -> String {
        let address =
            asset.addresses.first(where: { $0.address.isV4 })?.address ?? asset.addresses.first?.address
            ?? (asset.id.hasPrefix("ip:") ? IPAddress(String(asset.id.dropFirst(3))) : nil)
        guard let address else { return "link" }
        if let v4 = address.v4 { return "\(v4 >> 24).\(v4 >> 16 & 0xff).\(v4 >> 8 & 0xff).x" }
        let prefix = CIDR(network: address.bits, length: 64)
        return prefix.description.replacingUnsafe()
    }

    static func levelWord(_ level: PurdueLevel?) -> String {
        switch level {
        case .level0: "process"
        case .level1: "control"
        case .level2: "supervisory"
        case .level3: "operations"
        case .dmz: "dmz"
        case .level4: "business"
        case .level5: "enterprise"
        case nil: "unlevelled"
        }
    }

    /// IEC 62443 target SL proposed from the Purdue level: control and safety highest.
    static func proposedSecurityLevel(_ level: PurdueLevel?) -> Int {
        switch level {
        case .level0, .level1: 3
        case .level2, .dmz: 3
        case .level3: 2
        case .level4, .level5, nil: 1
        }
    }

    static func describe(_ asset: Asset) -> String {
        var parts = [asset.role.label]
        if let vendor = asset.current(.vendor) ?? asset.macVendor { parts.append(vendor) }
        if let model = asset.current(.model) { parts.append(model) }
        if let host = asset.current(.hostname) { parts.append(host) }
        parts.append(asset.id)
        return parts.joined(separator: ", ")
    }

    /// Scalars YAML (1.1, as libyaml reads it) takes as line breaks or that are invisible controls:
    /// C0, DEL, C1 (NEL is U+0085), the line and paragraph separators, the byte-order mark.
    static func isBreakOrControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7f...0x9f).contains(value) || value == 0x2028 || value == 0x2029 || value == 0xfeff
    }

    /// Wire-learned text inside a comment: one line (a hostname must not start a YAML line of
    /// its own), printable, bounded.
    static func comment(_ text: String) -> String {
        let cleaned = String(
            String.UnicodeScalarView(text.unicodeScalars.map { isBreakOrControl($0) ? " " : $0 }))
        return cleaned.count > 160 ? String(cleaned.prefix(157)) + "…" : cleaned
    }

    /// A YAML double-quoted string when the text needs it.
    static func yamlString(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || "0123456789.-_".unicodeScalars.contains($0)))
        }
        if plain, let first = text.unicodeScalars.first, first.properties.isAlphabetic { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where isBreakOrControl(scalar):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `2026-11-27T13:14:00Z`, from the epoch seconds (civil-from-days, no calendar needed).
    static func isoTime(_ time: Timestamp) -> String {
        let seconds = time.nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000).quotient
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}

extension String {
    /// Characters that would need quoting in names (`:` `/` spaces) become `-`.
    func replacingUnsafe() -> String {
        String(
            String.UnicodeScalarView(
                unicodeScalars.map {
                    $0.isASCII && ($0.properties.isAlphabetic || "0123456789.-_".unicodeScalars.contains($0)) ? $0 : "-"
                }))
    }
}
