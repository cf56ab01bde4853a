extension SNMP {
    /// The User-based Security Model's number (RFC 3411 SnmpSecurityModel).
    public static let userSecurityModel: Int64 = 3

    /// v3 (RFC 3412 §6): msgGlobalData, msgSecurityParameters (USM, RFC 3414 §2.4), then either a
    /// plaintext ScopedPDU or an encrypted one (an OCTET STRING that is skipped by its length).
    static func walkV3(_ bytes: Span<UInt8>, _ position: inout Int, end: Int, _ packet: inout Packet) {
        guard let global = next(bytes, &position, end: end, expect: BER.sequence, &packet) else { return }
        var inner = global.valueStart
        guard integer(bytes, &inner, end: global.valueEnd, &packet) != nil,  // msgID
            integer(bytes, &inner, end: global.valueEnd, &packet) != nil,  // msgMaxSize
            let flags = next(bytes, &inner, end: global.valueEnd, expect: BER.octetString, &packet)
        else { return }
        if flags.valueLength == 1, flags.isComplete(bytes) {
            packet.msgFlags = bytes[flags.valueStart]
            packet.hasMsgFlags = true
            if packet.securityLevel == 2 { packet.anomalies.insert(.invalidSecurityLevel) }
        } else {
            packet.anomalies.insert(flags.isComplete(bytes) ? .invalidBER : .truncated)
        }
        guard let model = integer(bytes, &inner, end: global.valueEnd, &packet) else { return }
        packet.securityModel = model

        guard let parameters = next(bytes, &position, end: end, expect: BER.octetString, &packet) else { return }
        if model == userSecurityModel { walkUSM(bytes, parameters, &packet) }

        guard let data = next(bytes, &position, end: end, expect: nil, &packet) else { return }
        switch data.identifier {
        case BER.octetString:
            packet.encrypted = true
        case BER.sequence:
            var scoped = data.valueStart
            guard next(bytes, &scoped, end: data.valueEnd, expect: BER.octetString, &packet) != nil,  // contextEngineID
                next(bytes, &scoped, end: data.valueEnd, expect: BER.octetString, &packet) != nil  // contextName
            else { return }
            walkPDU(bytes, &scoped, end: data.valueEnd, &packet)
            if packet.securityLevel == 0, packet.isRequest, packet.userNameEnd > packet.userNameStart {
                packet.anomalies.insert(.unauthenticated)
            }
        default:
            packet.anomalies.insert(.invalidBER)
        }
    }

    /// UsmSecurityParameters: the authoritative engine id and user name are kept as ranges; boots,
    /// time and the authentication and privacy parameters are skipped.
    static func walkUSM(_ bytes: Span<UInt8>, _ parameters: Element, _ packet: inout Packet) {
        var position = parameters.valueStart
        guard let usm = next(bytes, &position, end: parameters.valueEnd, expect: BER.sequence, &packet) else { return }
        var inner = usm.valueStart
        guard let engine = next(bytes, &inner, end: usm.valueEnd, expect: BER.octetString, &packet) else { return }
        packet.engineIDStart = engine.valueStart
        packet.engineIDEnd = min(engine.valueEnd, bytes.count)
        guard integer(bytes, &inner, end: usm.valueEnd, &packet) != nil,  // boots
            integer(bytes, &inner, end: usm.valueEnd, &packet) != nil,  // time
            let user = next(bytes, &inner, end: usm.valueEnd, expect: BER.octetString, &packet)
        else { return }
        packet.userNameStart = user.valueStart
        packet.userNameEnd = min(user.valueEnd, bytes.count)
    }
}
