import ConvergeInventory
import ConvergeModel

/// Checks an inventory's communications against a policy: every protocol and operation that no
/// conduit and no live exception allows between two zones becomes an alert of the `policy.` family
/// (`policy.no-conduit` for a protocol no conduit carries, `policy.conduit-violation` for an
/// operation the conduit does not allow). Traffic inside one zone is not checked (zones are
/// trusted inside; conduits join them).
public struct PolicyChecker: Sendable {
    public let policy: Policy
    public let map: ZoneMap
    public let now: Timestamp
    /// Permissions by "from\0to\0protocol": the operations allowed (nil = all) and the conduits.
    private var permissions: [String: (operations: Set<Operation>?, conduits: [Int])] = [:]

    /// A protocol between two zones that no conduit (and no live exception) carries.
    public static let noConduitRule = "policy.no-conduit"
    /// An operation a conduit carries the protocol of but does not allow.
    public static let conduitViolationRule = "policy.conduit-violation"
    /// Every rule id of the policy check starts with this.
    public static let ruleFamily = "policy."

    public init(policy: Policy, now: Timestamp? = nil) {
        self.policy = policy
        self.map = ZoneMap(policy.zones)
        self.now = now ?? .wallClock()
        for (index, conduit) in policy.conduits.enumerated() where conduit.from != conduit.to {
            for permission in conduit.protocols {
                let key = Self.key(conduit.from, conduit.to, permission.name)
                var entry = permissions[key] ?? (operations: [], conduits: [])
                if let ops = permission.operations, let current = entry.operations {
                    entry.operations = current.union(ops)
                } else {
                    entry.operations = nil
                }
                entry.conduits.append(index)
                permissions[key] = entry
            }
        }
    }

    private static func key(_ from: String, _ to: String, _ proto: String) -> String {
        "\(from)\u{0}\(to)\u{0}\(proto)"
    }

    public func check(_ inventory: Inventory) -> PolicyCheckResult {
        var assets: [String: Asset] = [:]
        for asset in inventory.assets where assets[asset.id] == nil { assets[asset.id] = asset }
        var zoneOf: [String: (zone: Int, reason: ZoneMap.Reason)] = [:]
        var zoneReports = policy.zones.map {
            PolicyCheckResult.ZoneReport(
                name: $0.name, level: $0.level?.rawValue, securityLevel: $0.securityLevel, assets: 0, reasons: [:])
        }
        var unzoned: [PolicyCheckResult.UnzonedAsset] = []
        for asset in inventory.assets {
            if let assignment = map.assign(asset) {
                zoneOf[asset.id] = assignment
                zoneReports[assignment.zone].assets += 1
                zoneReports[assignment.zone].reasons[assignment.reason.description, default: 0] += 1
            } else {
                unzoned.append(
                    .init(
                        id: asset.id, addresses: asset.addresses.map(\.address.description), role: asset.role.rawValue))
            }
        }
        var conduitUse = Array(repeating: 0, count: policy.conduits.count)
        var cells: [String: PolicyCheckResult.MatrixCell] = [:]
        var violations: [Alert] = []
        for communication in inventory.communications {
            let client = zoneOf[communication.client]?.zone
            let server = zoneOf[communication.server]?.zone
            let fromName = client.map { policy.zones[$0].name } ?? PolicyCheckResult.outside
            let toName = server.map { policy.zones[$0].name } ?? PolicyCheckResult.outside
            let proto = communication.proto.lowercased()
            let observed = Self.operations(communication)
            var denied: Set<Operation> = []
            var noConduit = false
            if let client, let server, client == server {
                // Inside one zone: not checked.
            } else {
                var allowed: Set<Operation>? = []
                var known = false
                if client != nil, server != nil, let entry = permissions[Self.key(fromName, toName, proto)] {
                    known = true
                    allowed = entry.operations
                    for index in entry.conduits { conduitUse[index] += 1 }
                }
                for exception in policy.exceptions where exception.isLive(at: now) {
                    let clientAsset = assets[communication.client]
                    let serverAsset = assets[communication.server]
                    guard exception.proto == nil || exception.proto == proto,
                        matches(exception.from, zone: client, asset: clientAsset, id: communication.client),
                        matches(exception.to, zone: server, asset: serverAsset, id: communication.server)
                    else { continue }
                    known = true
                    if let ops = exception.operations, let current = allowed {
                        allowed = current.union(ops)
                    } else {
                        allowed = nil
                    }
                }
                if !known {
                    noConduit = true
                    denied = observed
                } else if let allowed {
                    denied = observed.subtracting(allowed)
                }
            }
            let cellKey = Self.key(fromName, toName, "")
            var cell =
                cells[cellKey]
                ?? .init(from: fromName, to: toName, communications: 0, messages: 0, violations: 0, protocols: [])
            cell.communications += 1
            cell.messages &+= communication.messages
            if !cell.protocols.contains(proto) { cell.protocols.append(proto) }
            if noConduit || !denied.isEmpty {
                cell.violations += 1
                violations += alerts(
                    communication, from: fromName, to: toName, denied: denied, noConduit: noConduit, assets: assets)
            }
            cells[cellKey] = cell
        }
        let conduits = policy.conduits.enumerated().map { index, conduit in
            PolicyCheckResult.ConduitReport(
                name: conduit.name, from: conduit.from, to: conduit.to,
                protocols: conduit.protocols.map { permission in
                    let ops = permission.operations.map { $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "any"
                    return "\(permission.name)(\(ops))"
                }, used: conduitUse[index])
        }
        var result = PolicyCheckResult(
            violations: violations.sorted { ($0.severity.rank, $0.id) > ($1.severity.rank, $1.id) },
            matrix: cells.values.sorted { ($0.from, $0.to) < ($1.from, $1.to) },
            zones: zoneReports, conduits: conduits, unzoned: unzoned,
            expiredExceptions: policy.exceptions.filter { !$0.isLive(at: now) }.map {
                "\($0.name) (owner \($0.owner), expired after \($0.expires))"
            },
            diagnostics: policy.diagnostics.map { $0.formatted(file: policy.file) })
        result.overlaps = map.overlapReport(inventory)
        return result
    }

    /// The operations a communication carried; one with no classified message counts as `other`
    /// only when it carried messages, so a bare TCP connection needs just the protocol allowed.
    static func operations(_ communication: Communication) -> Set<Operation> {
        var set: Set<Operation> = []
        for (name, count) in communication.operations where count > 0 {
            set.insert(Operation(rawValue: name) ?? .other)
        }
        return set
    }

    private func matches(_ endpoint: PolicyException.Endpoint, zone: Int?, asset: Asset?, id: String) -> Bool {
        switch endpoint {
        case .zone(let name):
            guard let zone else { return false }
            return policy.zones[zone].name == name
        case .block(let cidr):
            if let asset { return asset.addresses.contains { cidr.contains($0.address) } }
            if id.hasPrefix("ip:"), let address = IPAddress(String(id.dropFirst(3))) { return cidr.contains(address) }
            return false
        }
    }

    /// An asset by its first address (what people and firewalls know it by), else its id.
    static func display(_ id: String, _ assets: [String: Asset]) -> String {
        if let address = assets[id]?.addresses.first?.address { return address.description }
        if id.hasPrefix("ip:") { return String(id.dropFirst(3)) }
        return id
    }
}

extension PolicyChecker {
    /// Each asset's zone by name (assets no zone claims are absent), e.g. for drawing them by zone.
    public func membership(_ inventory: Inventory) -> [String: String] {
        var out: [String: String] = [:]
        out.reserveCapacity(inventory.assets.count)
        for asset in inventory.assets {
            if let zone = map.assign(asset)?.zone { out[asset.id] = policy.zones[zone].name }
        }
        return out
    }
}
