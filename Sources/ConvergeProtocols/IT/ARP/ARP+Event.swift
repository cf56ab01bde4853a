import ConvergeModel

extension ARP {
    /// Anomaly names, stable for rules.
    public enum Anomaly {
        /// An IP moved to another MAC (T0830 when unexpected).
        public static let bindingChanged = "arp_binding_changed"
        /// A reply whose sender MAC differs from the Ethernet source: a proxy, or a forged reply.
        public static let senderMismatch = "arp_sender_mac_mismatch"
        /// A reply sent to the broadcast address without a request (gratuitous reply).
        public static let gratuitous = "arp_gratuitous"
        /// Sender IP 0.0.0.0 with a target: RFC 5227 duplicate-address probe.
        public static let probe = "arp_probe"
        public static let bindingTableFull = "arp_binding_table_full"
    }

    /// The normalised event: who asked or told what, the binding as a target.
    public static func event(
        _ frame: Frame, change: BindingChange, time: Timestamp, sourceMAC: UInt64, destinationMAC: UInt64
    ) -> Message {
        var anomalies: [String] = []
        if case .changed = change { anomalies.append(Anomaly.bindingChanged) }
        if case .untracked = change { anomalies.append(Anomaly.bindingTableFull) }
        if frame.isGratuitous { anomalies.append(Anomaly.gratuitous) }
        if frame.isProbe { anomalies.append(Anomaly.probe) }
        if frame.senderMAC != 0, sourceMAC != 0, frame.senderMAC != sourceMAC { anomalies.append(Anomaly.senderMismatch) }
        let sender = IPAddress(v4: frame.senderIP)
        let target = IPAddress(v4: frame.targetIP)
        let isReply = frame.operation == 2 || frame.operation == 4 || frame.operation == 9
        var targets: [Message.Target] = []
        if frame.isIPv4OverEthernet {
            var binding = Message.Target(kind: "binding", address: 0, count: 1, values: [])
            binding.name = sender.description
            binding.value = MACAddress.text(frame.senderMAC)
            targets.append(binding)
            var asked = Message.Target(kind: "target_ip", address: 0, count: 1, values: [])
            asked.name = target.description
            if frame.targetMAC != 0 { asked.value = MACAddress.text(frame.targetMAC) }
            targets.append(asked)
            if case .changed(let previous) = change {
                var old = Message.Target(kind: "previous_mac", address: 0, count: 1, values: [])
                old.name = sender.description
                old.value = MACAddress.text(previous)
                targets.append(old)
            }
        }
        var message = Message(
            time: time, flowID: 0, client: Endpoint(address: sender, port: 0),
            server: Endpoint(address: target, port: 0), proto: name,
            direction: isReply ? .toClient : .toServer, functionCode: Int(frame.operation),
            functionName: functionName(frame.operation), operation: .discovery, targets: targets,
            anomalies: anomalies)
        message.sourceMAC = MACAddress.text(sourceMAC)
        message.destinationMAC = MACAddress.text(destinationMAC)
        return message
    }

    /// A binding fact when the table learned something: the sender's IP is at its MAC.
    public static func facts(_ frame: Frame, change: BindingChange, time: Timestamp) -> [AssetFact] {
        guard frame.isIPv4OverEthernet, frame.senderIP != 0, frame.senderMAC != 0 else { return [] }
        switch change {
        case .same, .untracked: return []
        case .new, .changed:
            let macText = MACAddress.text(frame.senderMAC)
            var fact = AssetFact(
                time: time, address: IPAddress(v4: frame.senderIP), kind: .macAddress, value: macText,
                source: "arp/\(functionName(frame.operation))")
            fact.mac = macText
            return [fact]
        }
    }
}
