import ConvergeModel

extension RDP {
    public enum TargetKind {
        /// The `Cookie: mstshash=` user name (`name`).
        public static let cookieUser = "cookie_user"
        /// A routing token or other cookie line (`name`).
        public static let routingToken = "routing_token"
        /// Requested protocols: `values` [bitmask], `name` their names joined by `,`.
        public static let requestedProtocols = "requested_protocols"
        public static let selectedProtocol = "selected_protocol"
        /// RDP_NEG_FAILURE: `values` [failure code].
        public static let failureCode = "failure_code"
    }

    /// The cookie prefix that names the user ([MS-RDPBCGR] 2.2.1.1).
    static let mstshash = Array("Cookie: mstshash=".utf8)

    /// The user name of a `Cookie: mstshash=USER` line, nil for other cookies and tokens.
    public static func cookieUser(_ message: Message, bytes: Span<UInt8>) -> String? {
        let start = message.cookieOffset, stop = start &+ message.cookieLength
        guard message.cookieLength > mstshash.count, start >= 0, stop <= bytes.count else { return nil }
        for index in 0..<mstshash.count where bytes[start &+ index] != mstshash[index] { return nil }
        return text(bytes, (start &+ mstshash.count)..<stop)
    }

    /// Printable ASCII, others as U+FFFD, at most `maxCookieLength` characters.
    static func text(_ bytes: Span<UInt8>, _ range: Range<Int>) -> String {
        var scalars = String.UnicodeScalarView()
        var index = max(0, range.lowerBound)
        while index < min(range.upperBound, bytes.count), scalars.count < maxCookieLength {
            let byte = bytes[index]
            scalars.append(byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : "\u{FFFD}")
            index &+= 1
        }
        return String(scalars)
    }

    /// "tls,credssp" for a protocol mask; "rdp" for standard security.
    public static func protocolNames(_ mask: UInt32) -> String {
        if mask == 0 { return "rdp" }
        let names: [(UInt32, String)] = [
            (SecurityProtocol.tls, "tls"), (SecurityProtocol.credSSP, "credssp"), (SecurityProtocol.rdsTLS, "rdstls"),
            (SecurityProtocol.credSSPEarlyUserAuth, "credssp_early_user_auth"), (SecurityProtocol.aad, "aad"),
        ]
        var found = names.filter { mask & $0.0 != 0 }.map(\.1)
        if mask & ~UInt32(0x1F) != 0 { found.append("0x" + String(mask & ~UInt32(0x1F), radix: 16)) }
        return found.joined(separator: ",")
    }

    public static func functionName(_ message: Message) -> String {
        switch message.kind {
        case .tls: return "tls_record"
        case .fastPath: return "fast_path"
        case .tpkt:
            switch message.tpduCode {
            case TPDU.connectionRequest: return "connection_request"
            case TPDU.connectionConfirm: return "connection_confirm"
            case TPDU.data: return "data"
            case TPDU.disconnectRequest: return "disconnect_request"
            default: return "tpdu_" + String(message.tpduCode)
            }
        }
    }

    public static func event(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        typealias Target = ConvergeModel.Message.Target
        var targets: [Target] = []
        if parsed.cookieLength > 0 {
            if let user = cookieUser(parsed, bytes: bytes) {
                targets.append(Target(kind: TargetKind.cookieUser, address: -1, name: user))
            } else {
                let range = parsed.cookieOffset..<(parsed.cookieOffset &+ parsed.cookieLength)
                targets.append(Target(kind: TargetKind.routingToken, address: -1, name: text(bytes, range)))
            }
        }
        switch parsed.negotiationType {
        case NegotiationType.request:
            targets.append(Target(kind: TargetKind.requestedProtocols, address: -1, values: [Int(parsed.protocols)],
                                  name: protocolNames(parsed.protocols)))
        case NegotiationType.response:
            targets.append(Target(kind: TargetKind.selectedProtocol, address: -1, values: [Int(parsed.protocols)],
                                  name: protocolNames(parsed.protocols)))
        case NegotiationType.failure:
            targets.append(Target(kind: TargetKind.failureCode, address: -1, values: [Int(parsed.protocols)]))
        default:
            break
        }
        let isSetup = parsed.tpduCode == TPDU.connectionRequest || parsed.tpduCode == TPDU.connectionConfirm
        let status: ConvergeModel.Message.Status = parsed.negotiationType == NegotiationType.failure
            ? .exception(code: Int(parsed.protocols), name: "negotiation_failure") : .ok
        return ConvergeModel.Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: functionName(parsed), operation: isSetup ? .session : .other,
            targets: targets, status: status, anomalies: parsed.anomalies.names)
    }

    /// A connection request's cookie names the user on the client; a confirm makes the server an
    /// RDP server.
    public static func facts(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        var facts: [AssetFact] = []
        if parsed.tpduCode == TPDU.connectionRequest, parsed.direction == .toServer,
            let user = cookieUser(parsed, bytes: bytes), !user.isEmpty, !user.contains("\u{FFFD}")
        {
            facts.append(AssetFact(
                time: context.time, address: context.client.address, kind: .userName, value: user,
                source: "rdp/cookie"))
        }
        if parsed.tpduCode == TPDU.connectionConfirm, parsed.direction == .toClient {
            facts.append(AssetFact(
                time: context.time, address: context.server.address, kind: .role, value: "rdp_server",
                source: "rdp/connection_confirm"))
        }
        return facts
    }
}
