import ConvergeDetection
import ConvergeInventory

extension ZoneMap {
    /// Writes each asset's zone into the directory rules read (`AssetContext.zone`), so a rule can
    /// match on the zone of a source or destination.
    public func annotate(_ directory: inout AssetDirectory, inventory: Inventory) {
        for asset in inventory.assets {
            guard let assignment = assign(asset) else { continue }
            let name = zones[assignment.zone].name
            for item in asset.addresses {
                guard var context = directory[item.address] else { continue }
                context.zone = name
                directory[item.address] = context
            }
        }
    }
}
