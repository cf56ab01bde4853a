import ConvergeInventory
import ConvergeModel

/// Collects the packets behind policy violations: a second look at the messages of the checked
/// captures keeps, per violation, the first frames (up to `Alert.maxEvidence`) whose client,
/// server and protocol match it and whose operation is the one it is about (any operation for a
/// protocol no conduit carries).
public struct ViolationEvidence: Sendable {
    private var assetByAddress: [IPAddress: String] = [:]
    /// "client\0server\0proto" → indexes into `alerts` (one per denied operation).
    private var index: [String: [Int]] = [:]
    /// The denied operation per alert; nil when the whole protocol was not allowed.
    private var denied: [Operation?] = []
    public private(set) var alerts: [Alert]

    public init(violations: [Alert], inventory: Inventory) {
        alerts = violations
        for asset in inventory.assets {
            for item in asset.addresses where assetByAddress[item.address] == nil {
                assetByAddress[item.address] = asset.id
            }
        }
        for (position, alert) in violations.enumerated() {
            let client = alert.fields["client"] ?? "", server = alert.fields["server"] ?? ""
            index["\(client)\u{0}\(server)\u{0}\(alert.fields["proto"] ?? "")", default: []].append(position)
            denied.append(Operation(rawValue: alert.fields["not_allowed"] ?? ""))
        }
    }

    /// Whether every alert already holds `Alert.maxEvidence` frames (a caller may stop early).
    public var isFull: Bool { alerts.allSatisfy { $0.evidence.count >= Alert.maxEvidence } }

    public mutating func add(_ message: Message, capture: String) {
        guard !alerts.isEmpty, message.direction == .toServer, let frame = message.frame else { return }
        let client = assetByAddress[message.client.address] ?? "ip:\(message.client.address)"
        let server = assetByAddress[message.server.address] ?? "ip:\(message.server.address)"
        guard let positions = index["\(client)\u{0}\(server)\u{0}\(message.proto.lowercased())"] else { return }
        for position in positions where alerts[position].evidence.count < Alert.maxEvidence {
            if let operation = denied[position], operation != message.operation { continue }
            alerts[position].evidence.append(.init(capture: capture, frame: frame))
        }
    }
}
