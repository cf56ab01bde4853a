import ConvergeInventory
import ConvergeModel

/// One row of the asset list, as the page and `/api/assets` show it.
struct AssetSummary: Codable, Sendable {
    var id: String
    var name: String
    var role: String
    var roleLabel: String
    var level: String?
    var vendor: String?
    var model: String?
    var firmware: String?
    var hostname: String?
    var addresses: [String]
    var protocols: [String]
    var firstSeen: String
    var lastSeen: String

    init(_ asset: Asset) {
        id = asset.id
        hostname = asset.current(.hostname)
        addresses = asset.addresses.map { "\($0.address)" }
        name = hostname ?? addresses.first ?? asset.id
        role = asset.role.rawValue
        roleLabel = asset.role.label
        level = asset.level?.rawValue
        vendor = asset.current(.vendor) ?? asset.macVendor
        model = asset.current(.model) ?? asset.current(.productCode)
        firmware = asset.current(.firmware) ?? asset.current(.revision)
        protocols = Set(asset.serves.keys).union(asset.uses.keys).sorted()
        firstSeen = asset.firstSeen.iso
        lastSeen = asset.lastSeen.iso
    }
}

extension Asset {
    /// What a person calls this asset: its hostname, else its first address, else its id.
    var displayName: String { current(.hostname) ?? addresses.first.map { "\($0.address)" } ?? id }
}
