import ConvergeInventory
import ConvergeModel

/// What rules know about an endpoint beyond the packet: its asset's role, Purdue level, vendor
/// and zone. Built once from the inventory a run starts from (or the one it is building).
public struct AssetContext: Sendable, Hashable {
    public var assetID: String
    public var role: Role
    public var level: PurdueLevel?
    public var vendor: String?
    /// The policy zone the asset sits in, when a policy is loaded.
    public var zone: String?
    public var external: Bool

    public init(
        assetID: String, role: Role, level: PurdueLevel?, vendor: String?, zone: String? = nil, external: Bool = false
    ) {
        self.assetID = assetID
        self.role = role
        self.level = level
        self.vendor = vendor
        self.zone = zone
        self.external = external
    }
}

/// Address → asset context, for rules that match on role, level, vendor or zone.
public struct AssetDirectory: Sendable {
    private var byAddress: [IPAddress: AssetContext] = [:]

    public init() {}

    public init(_ inventory: Inventory) {
        for asset in inventory.assets {
            let context = AssetContext(
                assetID: asset.id, role: asset.role, level: asset.level,
                vendor: asset.current(.vendor) ?? asset.macVendor, external: asset.external)
            for item in asset.addresses where byAddress[item.address] == nil {
                byAddress[item.address] = context
            }
        }
    }

    public subscript(address: IPAddress) -> AssetContext? {
        get { byAddress[address] }
        set { byAddress[address] = newValue }
    }

    public var count: Int { byAddress.count }
}
