import ConvergeInventory
import ConvergeModel

extension PolicyChecker {
    /// The alerts one communication raises. Ids are stable for (zone pair, client, server,
    /// protocol, operation), so storing a second check of the same traffic updates rather than
    /// duplicates: a protocol no conduit carries is one `policy.no-conduit` alert (operation
    /// `any`); operations a conduit does not allow are one `policy.conduit-violation` alert each,
    /// counting that operation's messages.
    func alerts(
        _ communication: Communication, from: String, to: String, denied: Set<Operation>, noConduit: Bool,
        assets: [String: Asset]
    ) -> [Alert] {
        let ordered = Operation.allCases.filter { denied.contains($0) }
        if noConduit {
            var mapping = ViolationMapping.protocolWithoutConduit(communication.proto)
            var severity = Alert.Severity.medium
            for operation in ordered {
                mapping.add(ViolationMapping.technique(operation))
                severity = max(severity, ViolationMapping.severity(operation))
            }
            return [
                alert(
                    communication, from: from, to: to, operation: nil, observed: ordered, severity: severity,
                    mapping: mapping, count: communication.messages, assets: assets)
            ]
        }
        let counts = Self.operationCounts(communication)
        return ordered.map { operation in
            alert(
                communication, from: from, to: to, operation: operation, observed: ordered,
                severity: ViolationMapping.severity(operation), mapping: ViolationMapping.technique(operation),
                count: counts[operation] ?? 0, assets: assets)
        }
    }

    /// Messages per operation; names the model does not know count as `other`, as in `operations(_:)`.
    static func operationCounts(_ communication: Communication) -> [Operation: UInt64] {
        var counts: [Operation: UInt64] = [:]
        for (name, count) in communication.operations where count > 0 {
            counts[Operation(rawValue: name) ?? .other, default: 0] &+= count
        }
        return counts
    }

    /// The stable id of a violation: rule, zone pair, client, server, protocol and operation.
    static func alertID(
        rule: String, from: String, to: String, client: String, server: String, proto: String, operation: String
    ) -> String {
        "\(rule):\(from)>\(to):\(client)>\(server)/\(proto)/\(operation)"
    }

    private func alert(
        _ communication: Communication, from: String, to: String, operation: Operation?, observed: [Operation],
        severity: Alert.Severity, mapping: ViolationMapping.Technique, count: UInt64, assets: [String: Asset]
    ) -> Alert {
        let proto = communication.proto
        let clientName = Self.display(communication.client, assets)
        let serverName = Self.display(communication.server, assets)
        let observedText = observed.map(\.rawValue).joined(separator: ", ")
        let pair = "zone \(from) to zone \(to)"
        let rule = operation == nil ? Self.noConduitRule : Self.conduitViolationRule
        let what: String
        let title: String
        if let operation {
            what = "\(proto) \(operation.rawValue)"
            title = "\(proto) \(operation.rawValue) from \(pair): not allowed by the conduit"
        } else {
            what = observedText.isEmpty ? "protocol \(proto)" : "protocol \(proto) (\(observedText))"
            title = "\(proto) from \(pair): no conduit allows it"
        }
        let description =
            "\(clientName) (\(from)) sent \(count) \(what) messages to \(serverName) (\(to)); "
            + "the policy allows no \(what) from \(from) to \(to)."
        let remediation =
            "If this traffic is intended, allow \(what) on a conduit from \(from) to \(to) (or add an exception "
            + "with an owner and an expiry date); "
            + "otherwise block it and find out why \(clientName) talks to \(serverName)."
        let operationName = operation?.rawValue ?? "any"
        return Alert(
            id: Self.alertID(
                rule: rule, from: from, to: to, client: communication.client, server: communication.server,
                proto: proto, operation: operationName),
            rule: rule, title: "Policy violation: \(title)", severity: severity, techniques: mapping.techniques,
            tactics: mapping.tactics, assets: [clientName, serverName], firstSeen: communication.firstSeen,
            lastSeen: communication.lastSeen, count: Int(clamping: count),
            fields: [
                "from_zone": from, "to_zone": to, "proto": proto,
                "not_allowed": operation?.rawValue ?? "protocol", "operation": operationName,
                "operations": observedText, "client": communication.client, "server": communication.server,
            ],
            description: description, remediation: remediation)
    }
}
