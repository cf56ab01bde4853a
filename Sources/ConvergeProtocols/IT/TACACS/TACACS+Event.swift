import ConvergeModel

extension TACACS {
    public enum TargetKind {
        /// `values` [session id, seq_no].
        public static let session = "session"
        /// Clear requests: `name` the user.
        public static let user = "user"
        /// Clear requests: `name` the NAS port (`tty0`, `vty1`).
        public static let port = "port"
        /// Clear requests: `name` the user's remote address.
        public static let remoteAddress = "rem_addr"
        /// Clear START: `values` [action, authentication type].
        public static let start = "start"
    }

    /// Longest field text kept (a field holds at most 255 bytes).
    public static let maxTextLength = 255

    public static func typeName(_ type: UInt8) -> String {
        switch type {
        case PacketType.authentication: "authentication"
        case PacketType.authorization: "authorization"
        case PacketType.accounting: "accounting"
        default: "type_" + String(type)
        }
    }

    /// `authentication_start`, `authentication_reply`, `authentication_continue`,
    /// `authorization_request`, `authorization_response`, `accounting_request`, `accounting_reply`.
    public static func functionName(_ packet: Packet) -> String {
        let fromClient = packet.direction == .toServer
        switch packet.type {
        case PacketType.authentication:
            return "authentication_" + (fromClient ? (packet.sequence == 1 ? "start" : "continue") : "reply")
        case PacketType.authorization:
            return "authorization_" + (fromClient ? "request" : "response")
        default:
            return typeName(packet.type) + (fromClient ? "_request" : "_reply")
        }
    }

    public static func event(
        _ parsed: Packet, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var targets = [Message.Target(kind: TargetKind.session, address: -1,
                                      values: [Int(parsed.sessionID), Int(parsed.sequence)])]
        if parsed.decodedBody {
            if parsed.type == PacketType.authentication {
                targets.append(Message.Target(kind: TargetKind.start, address: -1,
                                              values: [Int(parsed.action), Int(parsed.authenticationType)]))
            }
            for (kind, field) in [(TargetKind.user, parsed.user), (TargetKind.port, parsed.port),
                                  (TargetKind.remoteAddress, parsed.remoteAddress)] where field.isPresent {
                targets.append(Message.Target(kind: kind, address: -1, name: text(bytes, field)))
            }
        }
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: functionName(parsed), operation: parsed.type == PacketType.accounting ? .other : .auth,
            targets: targets, status: parsed.direction == .toServer ? .pending : .ok, anomalies: parsed.anomalies.names)
    }

    /// The server answering is a `tacacs_server`; a clear request's user becomes a `user_name`
    /// on the host its rem_addr names, when that is an IP address.
    public static func facts(
        _ parsed: Packet, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        if parsed.direction == .toClient, parsed.sequence == 2 {
            return [AssetFact(time: context.time, address: context.server.address, kind: .role,
                              value: "tacacs_server", source: "tacacs/" + functionName(parsed))]
        }
        let user = text(bytes, parsed.user)
        guard parsed.decodedBody, !user.isEmpty, !user.contains("\u{FFFD}"),
            let host = IPAddress(text(bytes, parsed.remoteAddress))
        else { return [] }
        return [AssetFact(time: context.time, address: host, kind: .userName, value: user,
                          source: "tacacs/" + functionName(parsed))]
    }

    /// Printable ASCII, others as U+FFFD, at most `maxTextLength` characters.
    static func text(_ bytes: Span<UInt8>, _ field: Packet.Field) -> String {
        var scalars = String.UnicodeScalarView()
        var index = max(0, field.offset)
        let end = min(bytes.count, field.offset &+ min(field.length, maxTextLength))
        while index < end {
            let byte = bytes[index]
            scalars.append(byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : "\u{FFFD}")
            index &+= 1
        }
        return String(scalars)
    }
}
