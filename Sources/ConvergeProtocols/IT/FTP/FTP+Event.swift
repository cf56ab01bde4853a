import ConvergeModel

extension FTP {
    public enum TargetKind {
        /// USER: the login name (`name`).
        public static let user = "user"
        /// Any other command's argument, or a reply's text (`name`); never PASS's.
        public static let argument = "argument"
    }

    /// The line's argument as text: printable ASCII, others U+FFFD, at most 256 characters.
    static func argument(_ message: Message, _ bytes: Span<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var index = message.argumentOffset
        let stop = min(bytes.count, message.argumentOffset &+ message.argumentLength)
        while index < stop, scalars.count < 256 {
            let byte = bytes[index]
            scalars.append(byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : "\u{FFFD}")
            index &+= 1
        }
        return String(scalars)
    }

    public static func functionName(_ message: Message) -> String {
        if message.isCommand {
            return message.command == 0 ? "unknown_command" : commands[message.command].lowercased()
        }
        return message.replyCode == 0 ? "reply_continuation" : "reply_" + String(message.replyCode)
    }

    public static func event(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        var targets: [ConvergeModel.Message.Target] = []
        if parsed.argumentLength > 0 && parsed.command != Command.pass {
            let kind = parsed.command == Command.user && parsed.isCommand ? TargetKind.user : TargetKind.argument
            targets.append(.init(kind: kind, address: -1, name: argument(parsed, bytes)))
        }
        let status: ConvergeModel.Message.Status = parsed.replyCode >= 400
            ? .exception(code: Int(parsed.replyCode), name: "reply_" + String(parsed.replyCode))
            : parsed.isCommand ? .pending : .ok
        var anomalies = parsed.anomalies
        if parsed.isCommand && parsed.command == Command.user {
            let user = argument(parsed, bytes).lowercased()
            if user == "anonymous" || user == "ftp" { anomalies.insert(.anonymousLogin) }
        }
        return ConvergeModel.Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: functionName(parsed), operation: operation(parsed), targets: targets, status: status,
            anomalies: anomalies.names)
    }

    /// USER names the client's login; the 220 greeting names the server's software; the SYST
    /// reply (215) its operating system.
    public static func facts(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        func fact(_ endpoint: Endpoint, _ kind: AssetFact.Kind, _ source: String) -> [AssetFact] {
            let value = argument(parsed, bytes)
            guard value.count >= 2 else { return [] }
            return [AssetFact(time: context.time, address: endpoint.address, kind: kind, value: value, source: source)]
        }
        if parsed.isCommand && parsed.command == Command.user { return fact(context.client, .userName, "ftp/user") }
        if parsed.replyCode == 220 && parsed.direction == .toClient {
            return fact(context.server, .software, "ftp/220")
        }
        if parsed.replyCode == 215 && parsed.answers == Command.syst { return fact(context.server, .os, "ftp/syst") }
        return []
    }
}
