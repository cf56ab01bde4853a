extension LDAP {
    typealias Element = BERWalk.Element

    /// The StartTLS extended operation's OID (RFC 4511 §4.14.1).
    static let startTLSOID: StaticString = "1.3.6.1.4.1.1466.20037"

    /// Walks the LDAPMessage SEQUENCE `outer` (RFC 4511 §4.1.1): messageID, protocolOp and the
    /// few fields of each operation that say who and what. Fields are read where the bytes hold
    /// them; a cut or broken field becomes an anomaly (`report` false leaves a cut unreported,
    /// for the head of an oversized message).
    static func walk(_ bytes: Span<UInt8>, _ outer: Element, into message: inout Message, report: Bool = true) {
        var stop = BERWalk.Stop.none
        defer {
            if report || stop == .invalid { note(stop, &message) }
        }
        var items = BERWalk.Cursor(inside: outer)
        guard let id = items.next(bytes), id.identifier == BERWalk.integer else {
            stop = items.stop == .none ? .invalid : items.stop
            return
        }
        message.messageID = BERWalk.integer(bytes, id) ?? -1
        guard var op = items.next(bytes) else {
            stop = items.stop == .none ? .invalid : items.stop
            return
        }
        // RFC 1798 CLDAP put the user's DN between the id and the operation.
        if op.identifier == BERWalk.octetString, let next = items.next(bytes) { op = next }
        guard op.identifier & BERWalk.classMask == BERWalk.applicationClass, Op.isKnown(op.number) else {
            message.anomalies.insert(.unknownOperation)
            return
        }
        message.op = UInt8(truncatingIfNeeded: op.number)
        message.hasOp = true
        walkOperation(bytes, op, &message, &stop)
    }

    static func walkOperation(_ bytes: Span<UInt8>, _ op: Element, _ message: inout Message, _ stop: inout BERWalk.Stop)
    {
        switch message.op {
        case Op.deleteRequest:
            // DelRequest ::= [APPLICATION 10] LDAPDN: the value is the DN.
            message.dn = BERSlice(value: op, in: bytes)
            return
        case Op.abandonRequest:
            message.abandonID = BERWalk.integer(bytes, op) ?? -1
            return
        case Op.unbindRequest:
            return
        default:
            break
        }
        guard op.isConstructed else { return }
        var fields = BERWalk.Cursor(inside: op)
        defer { if stop == .none { stop = fields.stop } }
        switch message.op {
        case Op.bindRequest:
            if let version = fields.next(bytes) { message.bindVersion = BERWalk.integer(bytes, version) ?? -1 }
            if let name = fields.next(bytes) { message.dn = BERSlice(value: name, in: bytes) }
            guard let auth = fields.next(bytes) else { return }
            walkAuthentication(bytes, auth, &message, &stop)
        case Op.searchRequest:
            if let base = fields.next(bytes) { message.dn = BERSlice(value: base, in: bytes) }
            if let scope = fields.next(bytes), let value = BERWalk.integer(bytes, scope) {
                message.scope = Int8(clamping: value)
            }
            // derefAliases, sizeLimit, timeLimit, typesOnly.
            for _ in 0..<4 { guard fields.next(bytes) != nil else { return } }
            let filterStart = fields.position
            guard let filter = fields.next(bytes) else { return }
            message.filter = BERSlice(whole: filter, from: filterStart, in: bytes)
            if let attributes = fields.next(bytes) { message.attributes = BERSlice(value: attributes, in: bytes) }
        case Op.searchResultEntry:
            if let name = fields.next(bytes) { message.dn = BERSlice(value: name, in: bytes) }
            if let attributes = fields.next(bytes) { message.attributes = BERSlice(value: attributes, in: bytes) }
        case Op.modifyRequest, Op.addRequest, Op.modifyDNRequest, Op.compareRequest:
            if let name = fields.next(bytes) { message.dn = BERSlice(value: name, in: bytes) }
        case Op.extendedRequest:
            // requestName [0] LDAPOID, requestValue [1] OPTIONAL.
            if let name = fields.next(bytes), BERWalk.isContext(name, 0) {
                message.oid = BERSlice(value: name, in: bytes)
                message.isStartTLS = message.oid.equals(bytes, startTLSOID)
            }
        default:
            guard Op.carriesResult(message.op) else { return }
            walkResult(bytes, &fields, &message)
        }
    }

    /// AuthenticationChoice: simple [0] (only the password's length is kept), sasl [3].
    static func walkAuthentication(
        _ bytes: Span<UInt8>, _ auth: Element, _ message: inout Message, _ stop: inout BERWalk.Stop
    ) {
        guard auth.identifier & BERWalk.classMask == BERWalk.contextClass else {
            message.bindKind = .other
            return
        }
        switch auth.number {
        case 0:
            message.bindKind = .simple
            message.passwordLength = auth.valueLength
            if auth.valueLength > 0 {
                message.anomalies.insert(.cleartextPassword)
            } else if message.dn.isEmpty {
                message.anomalies.insert(.anonymousBind)
            } else {
                message.anomalies.insert(.unauthenticatedBind)
            }
        case 3:
            message.bindKind = .sasl
            var parts = BERWalk.Cursor(inside: auth)
            if let mechanism = parts.next(bytes) { message.mechanism = BERSlice(value: mechanism, in: bytes) }
            if stop == .none { stop = parts.stop }
        default:
            message.bindKind = .other
        }
    }

    /// LDAPResult ::= resultCode ENUMERATED, matchedDN, diagnosticMessage, referral [3] OPTIONAL,
    /// then per operation: serverSaslCreds [7], responseName [10].
    static func walkResult(_ bytes: Span<UInt8>, _ fields: inout BERWalk.Cursor, _ message: inout Message) {
        if let code = fields.next(bytes) {
            message.resultCode = BERWalk.integer(bytes, code) ?? -1
            if message.op == Op.bindResponse && message.resultCode == ResultCode.invalidCredentials {
                message.anomalies.insert(.invalidCredentials)
            }
        }
        guard fields.next(bytes) != nil else { return }
        if let diagnostic = fields.next(bytes) { message.diagnostic = BERSlice(value: diagnostic, in: bytes) }
        guard message.op == Op.extendedResponse else { return }
        // referral [3] may come first; responseName [10] is the OID.
        while let field = fields.next(bytes) {
            guard BERWalk.isContext(field, 10) else { continue }
            message.oid = BERSlice(value: field, in: bytes)
            message.isStartTLS = message.oid.equals(bytes, startTLSOID)
            return
        }
    }

    static func note(_ stop: BERWalk.Stop, _ message: inout Message) {
        switch stop {
        case .none: break
        case .truncated: message.anomalies.insert(.truncated)
        case .invalid: message.anomalies.insert(.invalidBER)
        }
    }
}
