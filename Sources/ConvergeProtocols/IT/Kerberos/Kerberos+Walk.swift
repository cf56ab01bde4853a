extension Kerberos {
    typealias Element = BERWalk.Element

    /// Walks the message whose application tag starts at `start` and whose record (datagram or
    /// TCP record) ends at `end`, filling `message`. `limit` bounds the declared length: a
    /// datagram's message may claim more than the capture kept (then it is `truncated`). The
    /// walk is fixed by RFC 4120's ASN.1 and never recurses; whatever it cannot read becomes an
    /// anomaly, not an error.
    static func walk(_ bytes: Span<UInt8>, start: Int, end: Int, limit: Int? = nil, into message: inout Message) {
        var stop = BERWalk.Stop.none
        defer { note(stop, &message) }
        let outer: Element
        switch SNMP.BER.read(bytes, at: start, end: max(end, limit ?? end)) {
        case .element(let element): outer = element
        case .truncated:
            stop = .truncated
            return
        case .invalid:
            stop = .invalid
            return
        }
        if outer.valueEnd < end { message.anomalies.insert(.trailingBytes) }
        if outer.valueEnd > bytes.count { stop = .truncated }
        guard outer.identifier & BERWalk.classMask == BERWalk.applicationClass,
            MessageType.isKnown(outer.number)
        else {
            message.anomalies.insert(.unknownMessageType)
            return
        }
        message.messageType = UInt8(truncatingIfNeeded: outer.number)
        guard let body = BERWalk.inner(bytes, outer, stop: &stop), body.identifier == BERWalk.sequence else {
            if stop == .none { stop = .invalid }
            return
        }
        // KDC-REQ numbers its fields from 1 (pvno [1], msg-type [2]); every other message from 0.
        let isKDCRequest =
            message.messageType == MessageType.asRequest
            || message.messageType == MessageType.tgsRequest
        let typeTag: UInt32 = isKDCRequest ? 2 : 1
        var fields = BERWalk.Cursor(inside: body)
        while let field = fields.next(bytes) {
            guard field.identifier & BERWalk.classMask == BERWalk.contextClass else {
                stop = .invalid
                break
            }
            if field.number == typeTag {
                if let value = BERWalk.inner(bytes, field, stop: &stop), let type = BERWalk.integer(bytes, value) {
                    message.messageTypeField = type
                    if type != Int64(message.messageType) { message.anomalies.insert(.messageTypeMismatch) }
                }
                continue
            }
            switch message.messageType {
            case MessageType.asRequest, MessageType.tgsRequest:
                walkRequestField(bytes, field, &message, &stop)
            case MessageType.asReply, MessageType.tgsReply:
                walkReplyField(bytes, field, &message, &stop)
            case MessageType.apRequest:
                if field.number == 3 { walkTicket(bytes, field, &message, &stop) }
            case MessageType.error:
                walkErrorField(bytes, field, &message, &stop)
            default:
                break
            }
        }
        if stop == .none { stop = fields.stop }
    }

    /// KDC-REQ: padata [3], req-body [4].
    static func walkRequestField(
        _ bytes: Span<UInt8>, _ field: Element, _ message: inout Message, _ stop: inout BERWalk.Stop
    ) {
        switch field.number {
        case 3: walkPadata(bytes, field, &message, &stop)
        case 4:
            guard let body = BERWalk.inner(bytes, field, stop: &stop), body.identifier == BERWalk.sequence else {
                return
            }
            var items = BERWalk.Cursor(inside: body)
            while let item = items.next(bytes) {
                guard item.identifier & BERWalk.classMask == BERWalk.contextClass else { continue }
                switch item.number {
                case 1: message.clientName = principal(bytes, item, &stop)
                case 2: message.realm = string(bytes, item, &stop)
                case 3: message.serverName = principal(bytes, item, &stop)
                case 8: walkEtypes(bytes, item, &message, &stop)
                default: break
                }
            }
            if stop == .none { stop = items.stop }
        default: break
        }
    }

    /// KDC-REP: padata [2], crealm [3], cname [4], ticket [5], enc-part [6].
    static func walkReplyField(
        _ bytes: Span<UInt8>, _ field: Element, _ message: inout Message, _ stop: inout BERWalk.Stop
    ) {
        switch field.number {
        case 2: walkPadata(bytes, field, &message, &stop)
        case 3: message.realm = string(bytes, field, &stop)
        case 4: message.clientName = principal(bytes, field, &stop)
        case 5: walkTicket(bytes, field, &message, &stop)
        case 6:
            message.replyEtype = encryptionType(bytes, field, &stop)
            if Etype.isWeak(message.replyEtype) { message.anomalies.insert(.weakEtypeChosen) }
        default: break
        }
    }

    /// KRB-ERROR: error-code [6], crealm [7], cname [8], realm [9], sname [10], e-text [11].
    static func walkErrorField(
        _ bytes: Span<UInt8>, _ field: Element, _ message: inout Message, _ stop: inout BERWalk.Stop
    ) {
        switch field.number {
        case 6:
            if let value = BERWalk.inner(bytes, field, stop: &stop), let code = BERWalk.integer(bytes, value) {
                message.errorCode = code
                if code == ErrorCode.principalUnknown { message.anomalies.insert(.principalUnknown) }
                if code == ErrorCode.preauthFailed { message.anomalies.insert(.preauthFailed) }
            }
        case 7: message.otherRealm = string(bytes, field, &stop)
        case 8: message.clientName = principal(bytes, field, &stop)
        case 9: message.realm = string(bytes, field, &stop)
        case 10: message.serverName = principal(bytes, field, &stop)
        case 11: message.errorText = string(bytes, field, &stop)
        default: break
        }
    }

    /// Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0], realm [1], sname [2], enc-part [3] }:
    /// its realm and server name; the encrypted part is skipped.
    static func walkTicket(_ bytes: Span<UInt8>, _ field: Element, _ message: inout Message, _ stop: inout BERWalk.Stop)
    {
        guard let ticket = BERWalk.inner(bytes, field, stop: &stop),
            let body = BERWalk.inner(bytes, ticket, stop: &stop), body.identifier == BERWalk.sequence
        else { return }
        var items = BERWalk.Cursor(inside: body)
        while let item = items.next(bytes) {
            guard item.identifier & BERWalk.classMask == BERWalk.contextClass else { continue }
            switch item.number {
            case 1: message.otherRealm = string(bytes, item, &stop)
            case 2: message.serverName = principal(bytes, item, &stop)
            default: break
            }
        }
        if stop == .none { stop = items.stop }
    }

    /// SEQUENCE OF PA-DATA { padata-type [1] Int32, padata-value [2] OCTET STRING }: the types.
    static func walkPadata(_ bytes: Span<UInt8>, _ field: Element, _ message: inout Message, _ stop: inout BERWalk.Stop)
    {
        guard let list = BERWalk.inner(bytes, field, stop: &stop) else { return }
        var entries = BERWalk.Cursor(inside: list)
        while let entry = entries.next(bytes) {
            guard message.padataCount < maxPadata else {
                message.anomalies.insert(.tooManyEntries)
                return
            }
            message.padataCount &+= 1
            var parts = BERWalk.Cursor(inside: entry)
            while let part = parts.next(bytes) {
                guard BERWalk.isContext(part, 1) else { continue }
                guard let value = BERWalk.inner(bytes, part, stop: &stop),
                    let type = BERWalk.integer(bytes, value)
                else { break }
                if type >= 0 && type < 64 { message.padataTypes |= 1 << UInt64(type) }
                if PreauthType.provesIdentity(type) { message.hasPreauth = true }
            }
            if stop == .none { stop = parts.stop }
        }
        if stop == .none { stop = entries.stop }
    }

    /// etype [8] SEQUENCE OF Int32: the list's place, its length and whether DES or RC4 is in it.
    static func walkEtypes(_ bytes: Span<UInt8>, _ field: Element, _ message: inout Message, _ stop: inout BERWalk.Stop)
    {
        guard let list = BERWalk.inner(bytes, field, stop: &stop) else { return }
        message.etypes = BERSlice(value: list, in: bytes)
        var items = BERWalk.Cursor(inside: list)
        while let item = items.next(bytes) {
            guard message.etypeCount < maxEtypes else {
                message.anomalies.insert(.tooManyEntries)
                return
            }
            message.etypeCount &+= 1
            if let etype = BERWalk.integer(bytes, item), Etype.isWeak(etype) {
                message.weakEtypeOffered = true
                message.anomalies.insert(.weakEtypeOffered)
            }
        }
        if stop == .none { stop = items.stop }
    }

    /// EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1], cipher [2] }: the etype only.
    static func encryptionType(_ bytes: Span<UInt8>, _ field: Element, _ stop: inout BERWalk.Stop) -> Int64 {
        guard let data = BERWalk.inner(bytes, field, stop: &stop),
            let first = BERWalk.inner(bytes, data, stop: &stop), BERWalk.isContext(first, 0),
            let value = BERWalk.inner(bytes, first, stop: &stop), let etype = BERWalk.integer(bytes, value)
        else { return -1 }
        return etype
    }

    /// A `[n] KerberosString` (GeneralString): its value.
    static func string(_ bytes: Span<UInt8>, _ field: Element, _ stop: inout BERWalk.Stop) -> BERSlice {
        guard let value = BERWalk.inner(bytes, field, stop: &stop) else { return BERSlice() }
        return BERSlice(value: value, in: bytes)
    }

    /// A `[n] PrincipalName`: the whole SEQUENCE, read by `principalText` when an event needs it.
    static func principal(_ bytes: Span<UInt8>, _ field: Element, _ stop: inout BERWalk.Stop) -> BERSlice {
        guard let value = BERWalk.inner(bytes, field, stop: &stop), value.identifier == BERWalk.sequence else {
            return BERSlice()
        }
        return BERSlice(whole: value, from: field.valueStart, in: bytes)
    }

    static func note(_ stop: BERWalk.Stop, _ message: inout Message) {
        switch stop {
        case .none: break
        case .truncated: message.anomalies.insert(.truncated)
        case .invalid: message.anomalies.insert(.invalidBER)
        }
    }
}
