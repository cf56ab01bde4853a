import ConvergeModel

extension Kerberos {
    /// Target kinds. Names carry their text in `name`, with `noAddress` as address.
    public enum TargetKind {
        public static let realm = "realm"
        /// The client principal (`cname`): `alice`, `host/ws1.example`.
        public static let clientName = "client_name"
        /// The server principal (`sname`): `krbtgt/EXAMPLE.COM`, `cifs/fs1.example.com`.
        public static let serverName = "server_name"
        /// An etype offered (`address` the number, `name` its name), or a reply's session-key etype.
        public static let etypeOffered = "etype_offered"
        public static let etypeChosen = "etype_chosen"
        /// A pre-authentication data type present (`address` the type).
        public static let padata = "padata"
        /// KRB-ERROR's e-text.
        public static let errorText = "error_text"
    }

    public static let noAddress = -1
    /// Etypes and padata types listed in one event.
    public static let maxListedTargets = 16

    public static func event(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        let status: ConvergeModel.Message.Status
        if parsed.messageType == MessageType.error {
            status = .exception(code: Int(clamping: parsed.errorCode), name: ErrorCode.name(parsed.errorCode))
        } else if parsed.isRequest && parsed.direction == .toServer && parsed.messageType != MessageType.apRequest {
            status = .pending
        } else {
            status = .ok
        }
        var event = ConvergeModel.Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: MessageType.name(parsed.messageType), operation: operation(parsed.messageType),
            targets: targets(parsed, bytes), status: status, anomalies: parsed.anomalies.names)
        event.roundTripNanoseconds = parsed.roundTripNanoseconds
        return event
    }

    /// The AS, TGS and AP exchanges and their errors authenticate (RFC 4120 §3.1–3.2); SAFE,
    /// PRIV and CRED carry an established session's data.
    public static func operation(_ type: UInt8) -> Operation {
        switch type {
        case MessageType.asRequest, MessageType.asReply, MessageType.tgsRequest, MessageType.tgsReply,
            MessageType.apRequest, MessageType.apReply, MessageType.error:
            .auth
        case MessageType.safe, MessageType.priv, MessageType.cred: .session
        default: .other
        }
    }

    static func targets(_ parsed: Message, _ bytes: Span<UInt8>) -> [ConvergeModel.Message.Target] {
        typealias Target = ConvergeModel.Message.Target
        var targets: [Target] = []
        func named(_ kind: String, _ value: String) {
            if !value.isEmpty { targets.append(Target(kind: kind, address: noAddress, name: value)) }
        }
        named(TargetKind.realm, parsed.realm.text(bytes, limit: maxNameLength))
        named(TargetKind.clientName, principalText(parsed.clientName, bytes))
        named(TargetKind.serverName, principalText(parsed.serverName, bytes))
        for etype in etypes(parsed, bytes).prefix(maxListedTargets) {
            targets.append(
                Target(kind: TargetKind.etypeOffered, address: Int(clamping: etype), name: Etype.name(etype)))
        }
        if parsed.replyEtype >= 0 {
            targets.append(
                Target(
                    kind: TargetKind.etypeChosen, address: Int(clamping: parsed.replyEtype),
                    name: Etype.name(parsed.replyEtype)))
        }
        var listed = 0
        for type in 0..<64 where parsed.padataTypes & (1 << UInt64(type)) != 0 && listed < maxListedTargets {
            targets.append(Target(kind: TargetKind.padata, address: type))
            listed &+= 1
        }
        named(TargetKind.errorText, parsed.errorText.text(bytes, limit: maxNameLength))
        return targets
    }

    /// The offered etypes, in order (at most `maxEtypes`).
    public static func etypes(_ parsed: Message, _ bytes: Span<UInt8>) -> [Int64] {
        guard !parsed.etypes.isEmpty else { return [] }
        var cursor = BERWalk.Cursor(from: parsed.etypes.offset, to: parsed.etypes.end)
        var result: [Int64] = []
        while let item = cursor.next(bytes), result.count < maxEtypes {
            if let etype = BERWalk.integer(bytes, item) { result.append(etype) }
        }
        return result
    }

    /// A PrincipalName { name-type [0], name-string [1] SEQUENCE OF KerberosString } as
    /// `component/component`, at most `maxNameComponents` components and `maxNameLength` bytes each.
    public static func principalText(_ slice: BERSlice, _ bytes: Span<UInt8>) -> String {
        guard !slice.isEmpty else { return "" }
        guard case .element(let sequence) = SNMP.BER.read(bytes, at: slice.offset, end: slice.end) else { return "" }
        var fields = BERWalk.Cursor(inside: sequence)
        var parts: [String] = []
        while let field = fields.next(bytes) {
            guard BERWalk.isContext(field, 1),
                case .element(let list) = SNMP.BER.read(
                    bytes, at: field.valueStart, end: field.valueEnd)
            else { continue }
            var names = BERWalk.Cursor(inside: list)
            while let component = names.next(bytes), parts.count < maxNameComponents {
                parts.append(BERSlice(value: component, in: bytes).text(bytes, limit: maxNameLength))
            }
        }
        return parts.joined(separator: "/")
    }
}
