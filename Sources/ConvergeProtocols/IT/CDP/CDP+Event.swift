import ConvergeModel
import ConvergeWire

extension CDP {
    /// Target kinds of a CDP event; `address` is the TLV type.
    public enum TargetKind {
        public static let deviceID = "device_id"
        public static let address = "address"
        public static let portID = "port_id"
        /// Value the capability names, `values` [bits].
        public static let capabilities = "capabilities"
        public static let softwareVersion = "software_version"
        public static let platform = "platform"
        public static let vtpDomain = "vtp_domain"
        public static let nativeVLAN = "native_vlan"
        /// `values` [0 half, 1 full].
        public static let duplex = "duplex"
        public static let managementAddress = "management_address"
        public static let timeToLive = "ttl"
    }

    /// The normalised event: function `cdp_announcement` (code the version), operation
    /// `discovery`, the device's management address as client (unset when none).
    public static func event(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> Message {
        let identity = identity(parsed, payload: payload)
        let client = Endpoint(address: identity.primaryAddress ?? .none, port: 0)
        var anomalies = parsed.anomalies
        if !addressList(parsed.addresses, in: payload).complete
            || !addressList(parsed.managementAddresses, in: payload).complete
        {
            anomalies.insert(.badAddressList)
        }
        var message = Message(
            time: context.time, flowID: 0, client: client, server: Endpoint(address: .none, port: 0), proto: name,
            direction: .toServer, functionCode: parsed.functionCode, functionName: "cdp_announcement",
            operation: .discovery, targets: targets(parsed, identity), anomalies: anomalies.names)
        message.sourceMAC = MACAddress.text(context.sourceMAC)
        message.destinationMAC = MACAddress.text(context.destinationMAC)
        return message
    }

    static func targets(_ frame: Frame, _ identity: Identity) -> [Message.Target] {
        var targets: [Message.Target] = []
        func add(_ kind: String, _ type: UInt16, _ value: String?, values: [Int] = []) {
            guard let value, !value.isEmpty else { return }
            targets.append(Message.Target(kind: kind, address: Int(type), values: values, value: value))
        }
        add(TargetKind.deviceID, TLVType.deviceID, identity.deviceID)
        for address in identity.addresses { add(TargetKind.address, TLVType.addresses, address.description) }
        add(TargetKind.portID, TLVType.portID, identity.portID)
        if frame.hasCapabilities {
            targets.append(
                Message.Target(
                    kind: TargetKind.capabilities, address: Int(TLVType.capabilities),
                    values: [Int(frame.capabilities)], value: identity.capabilities))
        }
        add(TargetKind.softwareVersion, TLVType.softwareVersion, identity.softwareVersion)
        add(TargetKind.platform, TLVType.platform, identity.platform)
        add(TargetKind.vtpDomain, TLVType.vtpDomain, identity.vtpDomain)
        if frame.nativeVLAN != 0 {
            targets.append(
                Message.Target(
                    kind: TargetKind.nativeVLAN, address: Int(TLVType.nativeVLAN), values: [Int(frame.nativeVLAN)]))
        }
        if frame.hasDuplex {
            targets.append(
                Message.Target(
                    kind: TargetKind.duplex, address: Int(TLVType.duplex), values: [Int(frame.duplex)],
                    value: frame.duplex == 1 ? "full" : "half"))
        }
        for address in identity.managementAddresses {
            add(TargetKind.managementAddress, TLVType.managementAddresses, address.description)
        }
        targets.append(Message.Target(kind: TargetKind.timeToLive, address: 0, values: [Int(frame.timeToLive)]))
        return targets
    }
}
