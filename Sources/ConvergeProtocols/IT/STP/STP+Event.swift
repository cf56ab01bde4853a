import ConvergeModel
import ConvergeWire

extension STP {
    /// Target kinds of an STP event; `address` is 0 unless said.
    public enum TargetKind {
        /// Value `32768/00:1b:…`, `values` [priority, system id extension].
        public static let rootBridge = "root_bridge"
        public static let bridge = "bridge"
        /// `values` [cost].
        public static let rootPathCost = "root_path_cost"
        /// `address` the port id (priority and number), `values` [role] for RST/MST.
        public static let port = "port"
        /// `values` [flags], value the flag names.
        public static let flags = "flags"
        /// `values` [message age, max age, hello time, forward delay] in 1/256 s.
        public static let timers = "timers"
        public static let cistBridge = "cist_bridge"
        /// `values` [MSTI records].
        public static let msti = "msti"
        /// PVST+ originating VLAN: `address` the VLAN.
        public static let vlan = "vlan"
    }

    static let flagNames: [(UInt32, String)] = [
        (0x01, "topology_change"), (0x02, "proposal"), (0x10, "learning"), (0x20, "forwarding"),
        (0x40, "agreement"), (0x80, "topology_change_ack"),
    ]
    static let roleNames = ["unknown", "alternate_backup", "root", "designated"]

    /// The normalised event: function the BPDU type's name, operation `other`, endpoints unset.
    public static func event(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> Message {
        let unset = Endpoint(address: .none, port: 0)
        var message = Message(
            time: context.time, flowID: 0, client: unset, server: unset, proto: name, direction: .toServer,
            functionCode: parsed.functionCode, functionName: parsed.functionName, operation: .other,
            targets: targets(parsed), anomalies: parsed.anomalies.names)
        message.sourceMAC = MACAddress.text(context.sourceMAC)
        message.destinationMAC = MACAddress.text(context.destinationMAC)
        return message
    }

    static func targets(_ frame: Frame) -> [Message.Target] {
        guard !frame.isTCN, !frame.anomalies.contains(.unknownType) else {
            return frame.pvstVLAN != 0 ? [Message.Target(kind: TargetKind.vlan, address: Int(frame.pvstVLAN))] : []
        }
        var targets: [Message.Target] = []
        func bridge(_ kind: String, _ id: BridgeID) {
            targets.append(
                Message.Target(
                    kind: kind, address: 0, values: [Int(id.priority), Int(id.systemIDExtension)], value: id.text))
        }
        bridge(TargetKind.rootBridge, frame.rootID)
        targets.append(Message.Target(kind: TargetKind.rootPathCost, address: 0, values: [Int(frame.rootPathCost)]))
        bridge(TargetKind.bridge, frame.bridgeID)
        let isRapid = frame.bpduType == BPDUType.rapid
        var flags = LinkText.flags(UInt32(frame.flags), names: flagNames)
        if isRapid {
            flags = flags.isEmpty ? "" : flags + ","
            flags += "role_" + roleNames[Int(frame.portRole)]
        }
        targets.append(
            Message.Target(
                kind: TargetKind.port, address: Int(frame.portID), values: isRapid ? [Int(frame.portRole)] : []))
        targets.append(
            Message.Target(
                kind: TargetKind.flags, address: 0, values: [Int(frame.flags)], value: flags.isEmpty ? nil : flags))
        targets.append(
            Message.Target(
                kind: TargetKind.timers, address: 0, count: 4,
                values: [
                    Int(frame.messageAge), Int(frame.maxAge), Int(frame.helloTime), Int(frame.forwardDelay),
                ]))
        if frame.version >= 3, isRapid, frame.cistBridgeID.raw != 0 {
            bridge(TargetKind.cistBridge, frame.cistBridgeID)
            targets.append(Message.Target(kind: TargetKind.msti, address: 0, values: [Int(frame.mstiCount)]))
        }
        if frame.pvstVLAN != 0 { targets.append(Message.Target(kind: TargetKind.vlan, address: Int(frame.pvstVLAN))) }
        return targets
    }
}
