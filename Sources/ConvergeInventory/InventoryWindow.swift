import ConvergeModel

/// A span of capture time, open at either end, for comparing what a store saw in two periods.
public struct TimeWindow: Sendable, Hashable {
    public var from: Timestamp?
    public var to: Timestamp?

    public init(from: Timestamp?, to: Timestamp?) {
        self.from = from
        self.to = to
    }

    /// Whether something seen from `first` to `last` was seen inside the window.
    public func overlaps(_ first: Timestamp, _ last: Timestamp) -> Bool {
        if let from, last < from { return false }
        if let to, first > to { return false }
        return true
    }
}

extension Inventory {
    /// The inventory as the window saw it: assets, addresses and conversations seen in it, and each
    /// identity as known by the window's end (observations made later are left out, so a firmware
    /// update after the window does not show in it). Roles and levels are the store's: they are
    /// conclusions over all the evidence, not per window.
    public func seen(in window: TimeWindow) -> Inventory {
        var assets: [Asset] = []
        for var asset in self.assets where window.overlaps(asset.firstSeen, asset.lastSeen) {
            asset.addresses = asset.addresses.filter { window.overlaps($0.firstSeen, $0.lastSeen) }
            if let end = window.to {
                asset.identity = asset.identity.compactMapValues { observations in
                    let known = observations.filter { $0.firstSeen <= end }.map { observation in
                        var observation = observation
                        observation.lastSeen = min(observation.lastSeen, end)
                        return observation
                    }
                    return known.isEmpty ? nil : known
                }
            }
            assets.append(asset)
        }
        let communications = self.communications.filter { window.overlaps($0.firstSeen, $0.lastSeen) }
        let changes = self.changes.filter { window.overlaps($0.time, $0.time) }
        return Inventory(assets: assets, communications: communications, changes: changes, dropped: dropped)
    }
}
