import ConvergeInventory
import ConvergeModel

/// Turns a policy into allow-list firewall rules: traffic inside a zone and the conduits'
/// protocols (by address and port) are accepted, everything else from one zone to another is
/// dropped. Overlapping zones are resolved into disjoint address ranges first (host claims,
/// then longest prefix, then the first declared), so rule order never decides membership.
/// Operations inside a protocol (read vs write) cannot be told apart by an L3/L4 firewall: the
/// rules say so in comments; `converge policy check` is what watches them.
public struct FirewallExport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case nftables, iptables
    }

    public let policy: Policy
    /// Each zone's addresses, indexed like `policy.zones`.
    public let ranges: [[AddressRange]]
    /// Members that could not be turned into addresses (roles, vendors or asset ids without an
    /// inventory to resolve them), per zone, for the comments.
    public let unresolved: [[String]]

    /// `inventory` resolves members named by asset id, role or vendor to the assets' addresses.
    public init(policy: Policy, inventory: Inventory? = nil) {
        self.policy = policy
        var claims: [AddressPartition.Claim] = []
        var order = 0
        for (index, zone) in policy.zones.enumerated() {
            for cidr in zone.members.cidrs {
                claims.append(.init(cidr: cidr, zone: index, order: order))
                order += 1
            }
        }
        var unresolved = policy.zones.map { zone -> [String] in
            guard inventory == nil else { return [] }
            return zone.members.assets.map { "asset \($0)" } + zone.members.roles.map { "role \($0.rawValue)" }
                + zone.members.vendors.map { "vendor \($0)" }
        }
        if let inventory {
            let map = ZoneMap(policy.zones)
            for asset in inventory.assets {
                guard let assignment = map.assign(asset) else { continue }
                switch assignment.reason {
                case .block: continue
                case .asset, .role, .vendor:
                    for item in asset.addresses {
                        claims.append(
                            .init(cidr: CIDR(host: item.address), zone: assignment.zone, host: true, order: order))
                        order += 1
                    }
                    if asset.addresses.isEmpty {
                        unresolved[assignment.zone].append("asset \(asset.id) (no IP address)")
                    }
                }
            }
        }
        self.ranges = AddressPartition.ranges(zoneCount: policy.zones.count, claims: claims)
        self.unresolved = unresolved
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .nftables: nftables()
        case .iptables: iptables()
        }
    }

    // MARK: Shared

    struct RuleSpec {
        var conduit: Conduit
        var permission: Conduit.Permission
        var ports: [PortSpec]
        var from: Int
        var to: Int
    }

    /// The conduit rules, and the permissions that cannot be exported (no known port).
    func rules() -> (rules: [RuleSpec], skipped: [String]) {
        var zoneIndex: [String: Int] = [:]
        for (index, zone) in policy.zones.enumerated() where zoneIndex[zone.name] == nil {
            zoneIndex[zone.name] = index
        }
        var rules: [RuleSpec] = []
        var skipped: [String] = []
        for conduit in policy.conduits where conduit.from != conduit.to {
            guard let from = zoneIndex[conduit.from], let to = zoneIndex[conduit.to] else { continue }
            for permission in conduit.protocols {
                if let ops = permission.operations, ops.isEmpty { continue }
                let ports = StandardPorts.ports(for: permission)
                if ports.isEmpty {
                    skipped.append(
                        "conduit \(conduit.name): \(permission.name) has no standard port; add `ports:` to export it")
                    continue
                }
                rules.append(RuleSpec(conduit: conduit, permission: permission, ports: ports, from: from, to: to))
            }
        }
        return (rules, skipped)
    }

    func comment(_ rule: RuleSpec) -> String {
        let ops = rule.permission.operations.map { $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "any"
        // What is allowed first: a long conduit name is what gets cut at the comment limit.
        return Self.safe("\(rule.permission.name) (\(ops)) on conduit \(rule.conduit.name)")
    }

    /// The line above a conduit's rules, naming both zones in full.
    func heading(_ rule: RuleSpec) -> String {
        Self.safe("# conduit \(rule.conduit.name): zone \(rule.conduit.from) -> zone \(rule.conduit.to)")
    }

    /// Comment text both tools accept: printable ASCII without quotes, at most 128 characters
    /// (nft's comment limit).
    static func safe(_ text: String) -> String {
        let scalars = text.unicodeScalars.map {
            $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0.value != 0x7f ? $0 : "_"
        }
        let cleaned = String(String.UnicodeScalarView(scalars))
        return cleaned.count > 120 ? String(cleaned.prefix(117)) + "..." : cleaned
    }

    func family(_ zone: Int) -> (v4: [AddressRange], v6: [AddressRange]) {
        var v4: [AddressRange] = []
        var v6: [AddressRange] = []
        for range in ranges[zone] {
            let split = range.splitByFamily
            if let part = split.v4 { v4.append(part) }
            v6.append(contentsOf: split.v6)
        }
        return (v4, v6)
    }

    func header(_ lines: inout [String], skipped: [String]) {
        lines.append(
            "# Converge policy export\(policy.name.map { " of \(Self.safe($0))" } ?? ""): allow-list between zones.")
        lines.append(
            "# Inside a zone and on the conduits' ports traffic is accepted; from zone to zone the rest is dropped.")
        lines.append(
            "# Operations (read/write/...) within a protocol cannot be enforced here: converge policy check "
            + "watches them."
        )
        for (index, zone) in policy.zones.enumerated() {
            if ranges[index].isEmpty {
                lines.append("# zone \(Self.safe(zone.name)): no addresses to export")
            }
            for member in unresolved[index] {
                lines.append(
                    "# zone \(Self.safe(zone.name)): \(Self.safe(member)) not exported (give --database to resolve it)")
            }
        }
        for line in skipped { lines.append("# skipped: \(Self.safe(line))") }
    }
}
