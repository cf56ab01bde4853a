import ConvergeModel

extension HARTIP {
    /// Target kinds of HART-IP events.
    public enum TargetKind {
        /// The HART command a pass-through message carries: `address` is its number, `name` its name.
        public static let command = "hart_command"
        /// The field device a long-frame PDU addresses: `address` is the 38-bit long address.
        public static let device = "hart_device"
        /// A session initiate's inactivity close timer in milliseconds (`address`), host type in `values`.
        public static let session = "hart_session"
    }

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var functionName = messageName(parsed.messageID)
        var operation: Operation = parsed.messageID == discoveryID ? .discovery : .session
        var targets: [Message.Target] = []
        if parsed.hasCommand {
            let command = command(parsed.command)
            let commandName = command?.name ?? "command_\(parsed.command)"
            functionName = commandName
            operation = command?.operation ?? .other
            targets.append(Message.Target(kind: TargetKind.command, address: parsed.command, name: commandName))
        }
        if let address = parsed.longAddress {
            targets.append(Message.Target(kind: TargetKind.device, address: Int(truncatingIfNeeded: address)))
        }
        if let timer = parsed.inactivityTimer {
            targets.append(
                Message.Target(
                    kind: TargetKind.session, address: Int(timer), values: [Int(parsed.hostType ?? 0)]))
        }
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: functionName, operation: operation, targets: targets, status: status(parsed),
            anomalies: parsed.anomalies.names)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// Requests and publishes are pending/ok; a response is ok unless the header status, the
    /// message type (error, NAK) or the HART response code says otherwise.
    static func status(_ frame: Frame) -> Message.Status {
        if frame.isRequest { return .pending }
        if frame.messageType == 3 || frame.messageType == 15 {
            return .exception(code: Int(frame.status), name: frame.messageType == 3 ? "error" : "nak")
        }
        if frame.status != 0 { return .exception(code: Int(frame.status), name: "hart_ip_status_\(frame.status)") }
        if frame.hasCommand, frame.responseCode != 0 {
            return .exception(code: Int(frame.responseCode), name: responseCodeName(frame.responseCode))
        }
        return .ok
    }
}
