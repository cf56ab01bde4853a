import ConvergeModel

extension SNMP {
    /// Varbinds turned into event targets; a bulk response may carry hundreds, the rest are counted.
    public static let maxEventTargets = 64

    /// Target kinds.
    public enum TargetKind {
        /// A varbind: `name` is the OID, `values`/`value` its value where the wire carries one.
        public static let oid = "oid"
        /// The v3 user (`name`, a login name) and the security level (`value`).
        public static let user = "snmpv3_user"
    }

    public static func event(
        _ parsed: Packet, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.pduType,
            functionName: parsed.encrypted ? "encrypted_pdu" : pduName(parsed.pduType),
            operation: operation(parsed.pduType, requestType: parsed.requestType),
            targets: targets(parsed, bytes: bytes), status: status(parsed), anomalies: parsed.anomalies.names)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// Requests are pending; a response with a non-zero error-status carries it.
    static func status(_ packet: Packet) -> Message.Status {
        if packet.isRequest { return .pending }
        guard packet.pduType == 2, packet.errorStatus != 0 else { return .ok }
        let code = Int(truncatingIfNeeded: packet.errorStatus)
        return .exception(code: code, name: errorName(packet.errorStatus))
    }

    static func targets(_ packet: Packet, bytes: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        if packet.version == 3, packet.hasMsgFlags {
            let user = text(bytes, from: packet.userNameStart, to: packet.userNameEnd)
            targets.append(
                Message.Target(
                    kind: TargetKind.user, address: 0, name: user, value: securityLevelName(packet.securityLevel)))
        }
        for (index, varbind) in varbinds(packet, bytes: bytes, limit: maxEventTargets).enumerated() {
            targets.append(
                Message.Target(
                    kind: TargetKind.oid, address: index, values: varbind.integer.map { [Int($0)] } ?? [],
                    name: varbind.oid, value: varbind.text))
        }
        return targets
    }
}
