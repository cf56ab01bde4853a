import ConvergeModel
import ConvergeWire

extension LLDP {
    /// Target kinds of an LLDP event; `address` is the TLV type (127 for org-specific ones).
    public enum TargetKind {
        public static let chassisID = "chassis_id"
        public static let portID = "port_id"
        public static let timeToLive = "ttl"
        public static let portDescription = "port_description"
        public static let systemName = "system_name"
        public static let systemDescription = "system_description"
        /// Value the supported capabilities, `values` [supported, enabled] bits.
        public static let capabilities = "capabilities"
        public static let managementAddress = "management_address"
        public static let portVLAN = "port_vlan"
        /// `address` the VLAN id, value its name.
        public static let vlanName = "vlan_name"
        /// `values` [auto-negotiation support/status, operational MAU type].
        public static let macPHY = "mac_phy"
        public static let nameOfStation = "profinet_name_of_station"
        public static let chassisMAC = "chassis_mac"
    }

    /// The normalised event: function `lldpdu` or `lldp_shutdown`, operation `discovery`, the
    /// sender's management address as client (unset when none), targets the announced values.
    public static func event(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> Message {
        let identity = identity(parsed, payload: payload)
        let client = Endpoint(address: identity.managementAddresses.first ?? .none, port: 0)
        var message = Message(
            time: context.time, flowID: 0, client: client, server: Endpoint(address: .none, port: 0), proto: name,
            direction: .toServer, functionCode: parsed.functionCode,
            functionName: parsed.isShutdown ? "lldp_shutdown" : "lldpdu", operation: .discovery,
            targets: targets(parsed, identity), anomalies: parsed.anomalies.names)
        message.sourceMAC = MACAddress.text(context.sourceMAC)
        message.destinationMAC = MACAddress.text(context.destinationMAC)
        return message
    }

    static func targets(_ frame: Frame, _ identity: Identity) -> [Message.Target] {
        var targets: [Message.Target] = []
        func add(_ kind: String, _ type: UInt8, _ value: String?, values: [Int] = []) {
            guard let value, !value.isEmpty else { return }
            targets.append(Message.Target(kind: kind, address: Int(type), values: values, value: value))
        }
        add(TargetKind.chassisID, TLVType.chassisID, identity.chassisID, values: [Int(frame.chassisSubtype)])
        add(TargetKind.portID, TLVType.portID, identity.portID, values: [Int(frame.portSubtype)])
        targets.append(
            Message.Target(
                kind: TargetKind.timeToLive, address: Int(TLVType.timeToLive), values: [Int(frame.timeToLive)]))
        add(TargetKind.portDescription, TLVType.portDescription, identity.portDescription)
        add(TargetKind.systemName, TLVType.systemName, identity.systemName)
        add(TargetKind.systemDescription, TLVType.systemDescription, identity.systemDescription)
        if frame.hasCapabilities {
            targets.append(
                Message.Target(
                    kind: TargetKind.capabilities, address: Int(TLVType.systemCapabilities),
                    values: [Int(frame.capabilitiesSupported), Int(frame.capabilitiesEnabled)],
                    value: identity.capabilities))
        }
        for address in identity.managementAddresses {
            add(TargetKind.managementAddress, TLVType.managementAddress, address.description)
        }
        for other in identity.otherManagementAddresses {
            add(TargetKind.managementAddress, TLVType.managementAddress, other)
        }
        let org = TLVType.organizationSpecific
        if frame.portVLAN != 0 {
            targets.append(Message.Target(kind: TargetKind.portVLAN, address: Int(org), values: [Int(frame.portVLAN)]))
        }
        if let vlanName = identity.vlanName {
            targets.append(
                Message.Target(kind: TargetKind.vlanName, address: Int(frame.vlanNameID), value: vlanName))
        }
        if frame.hasMACPHY {
            targets.append(
                Message.Target(
                    kind: TargetKind.macPHY, address: Int(org),
                    values: [Int(frame.autoNegotiation), Int(frame.operationalMAUType)]))
        }
        add(TargetKind.nameOfStation, org, identity.nameOfStation)
        if let mac = identity.chassisMAC { add(TargetKind.chassisMAC, TLVType.chassisID, MACAddress.text(mac)) }
        return targets
    }
}
