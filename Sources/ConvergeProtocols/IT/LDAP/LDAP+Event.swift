import ConvergeModel

extension LDAP {
    /// Target kinds. Names carry their text in `name`, with `noAddress` as address.
    public enum TargetKind {
        /// The DN an operation names (bind name, search base, entry).
        public static let dn = "dn"
        /// BindRequest: `address` the version, `name` `simple` or `sasl`.
        public static let bind = "bind"
        public static let saslMechanism = "sasl_mechanism"
        /// SearchRequest: `address` the scope, `name` its name.
        public static let scope = "scope"
        /// An attribute a search filter tests (`(uid=…)` gives `uid`; values are not kept).
        public static let filterAttribute = "filter_attribute"
        /// An attribute a search asks for.
        public static let attribute = "attribute"
        /// The extended operation's OID.
        public static let oid = "oid"
        public static let diagnostic = "diagnostic"
        /// AbandonRequest: `address` the abandoned message id.
        public static let abandon = "abandon"
    }

    public static let noAddress = -1
    /// Filter nodes visited and nesting followed when summarising a filter; attributes listed.
    public static let maxFilterNodes = 64
    public static let maxFilterDepth = 16
    public static let maxListedAttributes = 16

    public static func event(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        let status: ConvergeModel.Message.Status
        if parsed.resultCode >= 0 && !ResultCode.isSuccess(parsed.resultCode) {
            status = .exception(code: Int(clamping: parsed.resultCode), name: ResultCode.name(parsed.resultCode))
        } else if parsed.direction == .toServer && Op.expectsResponse(parsed.op) {
            status = .pending
        } else {
            status = .ok
        }
        var event = ConvergeModel.Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: Op.name(parsed.op), operation: Op.operation(parsed.op, startTLS: parsed.isStartTLS),
            targets: targets(parsed, bytes), status: status, anomalies: parsed.anomalies.names)
        event.roundTripNanoseconds = parsed.roundTripNanoseconds
        return event
    }

    static func targets(_ parsed: Message, _ bytes: Span<UInt8>) -> [ConvergeModel.Message.Target] {
        typealias Target = ConvergeModel.Message.Target
        var targets: [Target] = []
        func named(_ kind: String, _ value: String, address: Int = noAddress) {
            if !value.isEmpty { targets.append(Target(kind: kind, address: address, name: value)) }
        }
        if parsed.op == Op.bindRequest {
            let kind = switch parsed.bindKind {
            case .simple: "simple"
            case .sasl: "sasl"
            case .other: "other"
            case .none: ""
            }
            named(TargetKind.bind, kind, address: Int(clamping: parsed.bindVersion))
        }
        named(TargetKind.dn, parsed.dn.text(bytes, limit: maxTextLength))
        named(TargetKind.saslMechanism, parsed.mechanism.text(bytes, limit: maxTextLength))
        if parsed.op == Op.searchRequest && parsed.scope >= 0 {
            named(TargetKind.scope, scopeName(parsed.scope), address: Int(parsed.scope))
        }
        for attribute in filterAttributes(parsed.filter, bytes) {
            named(TargetKind.filterAttribute, attribute)
        }
        if parsed.op == Op.searchRequest {
            for attribute in strings(in: parsed.attributes, bytes, limit: maxListedAttributes) {
                named(TargetKind.attribute, attribute)
            }
        }
        named(TargetKind.oid, parsed.oid.text(bytes, limit: maxTextLength))
        named(TargetKind.diagnostic, parsed.diagnostic.text(bytes, limit: maxTextLength))
        if parsed.op == Op.abandonRequest && parsed.abandonID >= 0 {
            targets.append(Target(kind: TargetKind.abandon, address: Int(clamping: parsed.abandonID)))
        }
        return targets
    }

    /// The OCTET STRINGs directly inside `slice` (an AttributeSelection), at most `limit`.
    static func strings(in slice: BERSlice, _ bytes: Span<UInt8>, limit: Int) -> [String] {
        guard !slice.isEmpty else { return [] }
        var cursor = BERWalk.Cursor(from: slice.offset, to: slice.end)
        var result: [String] = []
        while result.count < limit, let item = cursor.next(bytes) {
            result.append(BERSlice(value: item, in: bytes).text(bytes, limit: maxTextLength))
        }
        return result
    }

    /// The attribute names a Filter (RFC 4511 §4.5.1.7) tests, each once, in order of first use.
    /// A worklist, not recursion: at most `maxFilterNodes` nodes and `maxFilterDepth` levels.
    public static func filterAttributes(_ filter: BERSlice, _ bytes: Span<UInt8>) -> [String] {
        guard !filter.isEmpty else { return [] }
        var names: [String] = []
        var work: [(start: Int, end: Int, depth: Int)] = [(filter.offset, filter.end, 0)]
        var nodes = 0
        func add(_ slice: BERSlice) {
            let name = slice.text(bytes, limit: maxTextLength)
            if !name.isEmpty && !names.contains(name) && names.count < maxListedAttributes { names.append(name) }
        }
        while let range = work.popLast() {
            var cursor = BERWalk.Cursor(from: range.start, to: range.end)
            while let node = cursor.next(bytes) {
                nodes &+= 1
                guard nodes <= maxFilterNodes else { return names }
                switch node.identifier {
                case 0xA0, 0xA1, 0xA2:
                    // and, or (SET OF Filter), not (Filter): look inside, one level deeper.
                    if range.depth < maxFilterDepth { work.append((node.valueStart, node.valueEnd, range.depth &+ 1)) }
                case 0xA3, 0xA4, 0xA5, 0xA6, 0xA8:
                    // equality, substrings, >=, <=, approx: the attribute comes first.
                    var parts = BERWalk.Cursor(inside: node)
                    if let attribute = parts.next(bytes) { add(BERSlice(value: attribute, in: bytes)) }
                case 0x87:
                    add(BERSlice(value: node, in: bytes))
                case 0xA9:
                    // extensibleMatch: type [2] when present.
                    var parts = BERWalk.Cursor(inside: node)
                    while let part = parts.next(bytes) {
                        guard BERWalk.isContext(part, 2) else { continue }
                        add(BERSlice(value: part, in: bytes))
                        break
                    }
                default:
                    break
                }
            }
        }
        return names
    }
}
