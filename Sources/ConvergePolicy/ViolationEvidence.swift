import ConvergeInventory
import ConvergeModel

/// Collects the packets behind policy violations: a second look at the messages of the checked
/// captures keeps, per violation, the first frames (up to `Alert.maxEvidence`) whose client,
/// server and protocol match it and whose operation was not allowed.
public struct ViolationEvidence: Sendable {
    private var assetByAddress: [IPAddress: String] = [:]
    /// "client\0server\0proto" → index into `alerts`.
    private var index: [String: Int] = [:]
    /// Denied operations per alert; nil when the whole protocol was not allowed.
    private var denied: [Set<Operation>?] = []
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
            index["\(client)\u{0}\(server)\u{0}\(alert.fields["proto"] ?? "")"] = position
            if alert.fields["not_allowed"] == "protocol" {
                denied.append(nil)
            } else {
                let names = (alert.fields["operations"] ?? "").split(separator: ",").map {
                    $0.trimmingSpaces()
                }
                denied.append(Set(names.compactMap { Operation(rawValue: $0) }))
            }
        }
    }

    /// Whether every alert already holds `Alert.maxEvidence` frames (a caller may stop early).
    public var isFull: Bool { alerts.allSatisfy { $0.evidence.count >= Alert.maxEvidence } }

    public mutating func add(_ message: Message, capture: String) {
        guard !alerts.isEmpty, message.direction == .toServer, let frame = message.frame else { return }
        let client = assetByAddress[message.client.address] ?? "ip:\(message.client.address)"
        let server = assetByAddress[message.server.address] ?? "ip:\(message.server.address)"
        guard let position = index["\(client)\u{0}\(server)\u{0}\(message.proto.lowercased())"],
            alerts[position].evidence.count < Alert.maxEvidence
        else { return }
        if let ops = denied[position], !ops.contains(message.operation) { return }
        alerts[position].evidence.append(.init(capture: capture, frame: frame))
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
