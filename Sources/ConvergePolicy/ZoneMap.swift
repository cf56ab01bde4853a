import ConvergeInventory
import ConvergeModel

/// Which zone an address or an asset belongs to. Precedence, most specific first: an asset named
/// by id; the longest address block holding one of its addresses (two zones with the same block:
/// the first declared); the first zone whose roles or vendors match the asset.
public struct ZoneMap: Sendable {
    public let zones: [Zone]
    private(set) var blocks = PrefixTable<Int>()
    private var byAsset: [String: Int] = [:]
    private var byRole: [Role: Int] = [:]
    private var vendors: [(needle: String, zone: Int)] = []
    private var byName: [String: Int] = [:]

    /// Why an asset is in its zone.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        case asset
        case block(CIDR)
        case role(Role)
        case vendor(String)

        public var description: String {
            switch self {
            case .asset: "named by asset id"
            case .block(let cidr): "address in \(cidr)"
            case .role(let role): "role \(role.rawValue)"
            case .vendor(let vendor): "vendor matches \(vendor)"
            }
        }
    }

    public init(_ zones: [Zone]) {
        self.zones = zones
        for (index, zone) in zones.enumerated() {
            if byName[zone.name] == nil { byName[zone.name] = index }
            for cidr in zone.members.cidrs { blocks.insert(cidr, index) }
            for id in zone.members.assets where byAsset[id] == nil { byAsset[id] = index }
            for role in zone.members.roles where byRole[role] == nil { byRole[role] = index }
            for vendor in zone.members.vendors { vendors.append((vendor.lowercased(), index)) }
        }
    }

    public func index(named name: String) -> Int? { byName[name] }

    /// The zone of an address by its blocks alone (longest prefix).
    public func zone(of address: IPAddress) -> Int? { blocks.longestMatch(address.bits)?.value }

    /// The zone of an asset, and why.
    public func assign(_ asset: Asset) -> (zone: Int, reason: Reason)? {
        if let zone = byAsset[asset.id] { return (zone, .asset) }
        var best: (zone: Int, length: Int)?
        for item in asset.addresses {
            if let match = blocks.longestMatch(item.address.bits), match.length > (best?.length ?? -1) {
                best = (match.value, match.length)
            }
        }
        if let best,
            let item = asset.addresses.first(where: { blocks.longestMatch($0.address.bits)?.length == best.length })
        {
            return (best.zone, .block(CIDR(network: item.address.bits, length: best.length)))
        }
        // Asset ids of hosts known only by IP carry the address: `ip:10.0.0.5`.
        if asset.addresses.isEmpty, asset.id.hasPrefix("ip:"), let address = IPAddress(String(asset.id.dropFirst(3))),
            let match = blocks.longestMatch(address.bits)
        {
            return (match.value, .block(CIDR(network: address.bits, length: match.length)))
        }
        if let zone = byRole[asset.role] { return (zone, .role(asset.role)) }
        if !vendors.isEmpty {
            let names = [asset.current(.vendor), asset.macVendor].compactMap { $0?.lowercased() }
            for (needle, zone) in vendors where names.contains(where: { $0.contains(needle) }) {
                return (zone, .vendor(needle))
            }
        }
        return nil
    }
}
