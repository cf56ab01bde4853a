import ConvergeInventory
import ConvergeModel

/// What a policy says about itself: zones that claim the same members (and which one wins),
/// conduits no traffic can ever be decided by, exceptions past their date.
enum PolicyAnalysis {
    static func diagnose(_ policy: Policy, now: Timestamp) -> [PolicyDiagnostic] {
        var out: [PolicyDiagnostic] = []
        overlaps(policy.zones, into: &out)
        let empty = emptyZones(policy.zones)
        unreachable(policy, emptyZones: empty, into: &out)
        for exception in policy.exceptions where !exception.isLive(at: now) {
            out.append(
                .init(
                    kind: .expired, line: exception.line,
                    message:
                        "exception \(exception.name) (owner \(exception.owner)) expired after "
                        + "\(exception.expires); it allows nothing"
                ))
        }
        if out.count > PolicyLimits.maxDiagnostics {
            let rest = out.count - PolicyLimits.maxDiagnostics
            out.removeLast(rest)
            out.append(.init(kind: .overlap, line: 0, message: "\(rest) more findings not listed"))
        }
        return out
    }

    private static func overlaps(_ zones: [Zone], into out: inout [PolicyDiagnostic]) {
        var table = PrefixTable<Int>()
        for (index, zone) in zones.enumerated() {
            for cidr in zone.members.cidrs { table.insert(cidr, index) }
        }
        for (index, zone) in zones.enumerated() {
            var reported: Set<Int> = []
            for cidr in zone.members.cidrs {
                if let owner = table.exact(cidr), owner != index, reported.insert(owner).inserted {
                    let winner = zones[owner]
                    out.append(
                        .init(
                            kind: .overlap, line: zone.line,
                            message:
                                "zone \(zone.name) and zone \(winner.name) (line \(winner.line)) both claim "
                                + "\(cidr): \(winner.name) wins (declared first)"
                        ))
                }
                if let outer = table.enclosing(cidr), outer.value != index {
                    let container = zones[outer.value]
                    out.append(
                        .init(
                            kind: .overlap, line: zone.line,
                            message:
                                "zone \(zone.name)'s \(cidr) lies inside zone \(container.name)'s "
                                + "/\(CIDR(network: cidr.network, length: outer.length).displayLength) (line "
                                + "\(container.line)): \(zone.name) wins for \(cidr) (longest prefix)"
                        ))
                }
            }
        }
        var assets: [String: Int] = [:]
        var roles: [Role: Int] = [:]
        var vendors: [String: Int] = [:]
        for (index, zone) in zones.enumerated() {
            func claim<Key: Hashable>(_ key: Key, _ table: inout [Key: Int], _ what: String) {
                if let first = table[key] {
                    guard first != index else { return }
                    out.append(
                        .init(
                            kind: .overlap, line: zone.line,
                            message:
                                "zone \(zone.name) and zone \(zones[first].name) (line \(zones[first].line)) "
                                + "both claim \(what): \(zones[first].name) wins (declared first)"
                        ))
                } else {
                    table[key] = index
                }
            }
            for id in zone.members.assets { claim(id, &assets, "asset \(id)") }
            for role in zone.members.roles { claim(role, &roles, "role \(role.rawValue)") }
            for vendor in zone.members.vendors { claim(vendor.lowercased(), &vendors, "vendor \(vendor)") }
        }
    }

    /// Zones whose only members are address blocks that other zones win entirely.
    private static func emptyZones(_ zones: [Zone]) -> Set<Int> {
        var claims: [AddressPartition.Claim] = []
        var order = 0
        for (index, zone) in zones.enumerated() {
            for cidr in zone.members.cidrs {
                claims.append(.init(cidr: cidr, zone: index, order: order))
                order += 1
            }
        }
        let owned = AddressPartition.ranges(zoneCount: zones.count, claims: claims)
        var empty: Set<Int> = []
        for (index, zone) in zones.enumerated()
        where owned[index].isEmpty && zone.members.assets.isEmpty && zone.members.roles.isEmpty
            && zone.members.vendors.isEmpty
        {
            empty.insert(index)
        }
        return empty
    }

    private static func unreachable(_ policy: Policy, emptyZones: Set<Int>, into out: inout [PolicyDiagnostic]) {
        var zoneIndex: [String: Int] = [:]
        for (index, zone) in policy.zones.enumerated() where zoneIndex[zone.name] == nil {
            zoneIndex[zone.name] = index
        }
        for index in emptyZones.sorted() {
            let zone = policy.zones[index]
            out.append(
                .init(
                    kind: .overlap, line: zone.line,
                    message: "zone \(zone.name) can never have a member: other zones win every address it claims"))
        }
        /// What earlier conduits already allow per (from, to, protocol): nil = every operation.
        var allowed: [String: (operations: Set<Operation>?, conduit: String, line: Int)] = [:]
        for conduit in policy.conduits {
            if conduit.from == conduit.to {
                out.append(
                    .init(
                        kind: .unreachable, line: conduit.line,
                        message:
                            "conduit \(conduit.name) joins zone \(conduit.from) to itself: traffic inside a "
                            + "zone is not checked, so it never applies"
                    ))
                continue
            }
            for end in [conduit.from, conduit.to] {
                if let index = zoneIndex[end], emptyZones.contains(index) {
                    out.append(
                        .init(
                            kind: .unreachable, line: conduit.line,
                            message: "conduit \(conduit.name) can never match: zone \(end) can never have a member"))
                }
            }
            var addsSomething = false
            var covering: Set<String> = []
            for permission in conduit.protocols {
                if let operations = permission.operations, operations.isEmpty {
                    out.append(
                        .init(
                            kind: .unreachable, line: permission.line,
                            message:
                                "conduit \(conduit.name) lists \(permission.name) with no operations: it allows nothing"
                        ))
                    continue
                }
                let key = "\(conduit.from)\u{0}\(conduit.to)\u{0}\(permission.name)"
                if let earlier = allowed[key] {
                    let earlierAll = earlier.operations == nil
                    let subset =
                        earlierAll || (permission.operations.map { $0.isSubset(of: earlier.operations ?? []) } ?? false)
                    if subset {
                        covering.insert("\(earlier.conduit) (line \(earlier.line))")
                        continue
                    }
                    addsSomething = true
                    let merged: Set<Operation>? = permission.operations.map { $0.union(earlier.operations ?? []) }
                    allowed[key] = (merged, earlier.conduit, earlier.line)
                } else {
                    addsSomething = true
                    allowed[key] = (permission.operations, conduit.name, conduit.line)
                }
            }
            if !addsSomething, !covering.isEmpty {
                out.append(
                    .init(
                        kind: .unreachable, line: conduit.line,
                        message:
                            "conduit \(conduit.name) adds nothing: everything it allows is already allowed by "
                            + "\(covering.sorted().joined(separator: ", "))"
                    ))
            }
        }
    }
}
