import ConvergeInventory
import ConvergeModel

extension ZoneMap {
    /// Which zones name each asset id, role and vendor: built once per report so claims per
    /// asset cost a few hash lookups, not a scan of every zone.
    struct MemberIndex {
        var assets: [String: [Int]] = [:]
        var roles: [Role: [Int]] = [:]
        var vendors: [(needle: String, zone: Int)] = []

        init(_ zones: [Zone]) {
            for (index, zone) in zones.enumerated() {
                for id in zone.members.assets { assets[id, default: []].append(index) }
                for role in zone.members.roles { roles[role, default: []].append(index) }
                for vendor in zone.members.vendors { vendors.append((vendor.lowercased(), index)) }
            }
        }
    }

    /// Every zone that claims the asset, most specific first (the first is the one `assign`
    /// picks): for telling a person when an asset matches zones by different kinds of member.
    public func claims(_ asset: Asset) -> [(zone: Int, reason: Reason)] {
        claims(asset, MemberIndex(zones))
    }

    func claims(_ asset: Asset, _ index: MemberIndex) -> [(zone: Int, reason: Reason)] {
        var out: [(zone: Int, reason: Reason)] = []
        func add(_ zone: Int, _ reason: Reason) {
            if !out.contains(where: { $0.zone == zone }) { out.append((zone, reason)) }
        }
        for zone in index.assets[asset.id] ?? [] { add(zone, .asset) }
        var best: (zone: Int, length: Int, address: IPAddress)?
        for item in asset.addresses {
            if let match = blocks.longestMatch(item.address.bits), match.length > (best?.length ?? -1) {
                best = (match.value, match.length, item.address)
            }
        }
        if let best { add(best.zone, .block(CIDR(network: best.address.bits, length: best.length))) }
        for zone in index.roles[asset.role] ?? [] { add(zone, .role(asset.role)) }
        if !index.vendors.isEmpty {
            let names = [asset.current(.vendor), asset.macVendor].compactMap { $0?.lowercased() }
            for (needle, zone) in index.vendors where names.contains(where: { $0.contains(needle) }) {
                add(zone, .vendor(needle))
            }
        }
        return out
    }

    /// One line per asset that more than one zone claims, naming the winner and why.
    public func overlapReport(_ inventory: Inventory) -> [String] {
        // Only zones with role or vendor members can claim an asset a second way; skip the scan otherwise.
        guard zones.contains(where: { !$0.members.roles.isEmpty || !$0.members.vendors.isEmpty }) else { return [] }
        let index = MemberIndex(zones)
        var lines: [String] = []
        for asset in inventory.assets {
            let found = claims(asset, index)
            guard found.count > 1, let winner = found.first else { continue }
            let others = found.dropFirst().map { "zone \(zones[$0.zone].name) (\($0.reason))" }
            let name = asset.addresses.first.map { "\($0.address)" } ?? asset.id
            lines.append(
                "asset \(name) is in zone \(zones[winner.zone].name) (\(winner.reason)); also claimed by "
                    + "\(others.joined(separator: ", ")): the more specific member wins (asset id, then "
                    + "longest address block, then role, then vendor; ties to the first declared)")
        }
        return lines
    }
}
