extension SNMP {
    /// The message's fields after the outer SEQUENCE: version, then the v1/v2c or v3 layout.
    static func walkMessage(_ bytes: Span<UInt8>, _ outer: Element, _ packet: inout Packet) {
        var position = outer.valueStart
        let end = outer.valueEnd
        guard let versionElement = next(bytes, &position, end: end, expect: BER.integer, &packet) else { return }
        guard let version = BER.integerValue(bytes, versionElement) else {
            packet.anomalies.insert(versionElement.isComplete(bytes) ? .invalidBER : .truncated)
            return
        }
        switch version {
        case 0, 1:
            packet.version = Int(truncatingIfNeeded: version)
            walkCommunity(bytes, &position, end: end, &packet)
        case 3:
            packet.version = 3
            walkV3(bytes, &position, end: end, &packet)
        default:
            packet.anomalies.insert(.unknownVersion)
        }
    }

    /// v1/v2c: the community (classified, never kept), then the PDU.
    static func walkCommunity(_ bytes: Span<UInt8>, _ position: inout Int, end: Int, _ packet: inout Packet) {
        guard let community = next(bytes, &position, end: end, expect: BER.octetString, &packet) else { return }
        if BER.valueEquals(bytes, community, "public") {
            packet.community = .defaultPublic
        } else if BER.valueEquals(bytes, community, "private") {
            packet.community = .defaultPrivate
        } else {
            packet.community = .other
        }
        if packet.community == .defaultPublic || packet.community == .defaultPrivate {
            packet.anomalies.insert(.defaultCommunity)
        }
        walkPDU(bytes, &position, end: end, &packet)
        if packet.pduType == 3 { packet.anomalies.insert(.cleartextWrite) }
    }

    /// One of the nine PDUs (context-specific, constructed, tag 0…8): its header fields and varbinds.
    static func walkPDU(_ bytes: Span<UInt8>, _ position: inout Int, end: Int, _ packet: inout Packet) {
        guard let pdu = next(bytes, &position, end: end, expect: nil, &packet) else { return }
        packet.pduStart = pdu.valueStart
        packet.pduEnd = pdu.valueEnd
        guard pdu.identifier & 0xe0 == 0xa0, pdu.number <= 8 else {
            packet.anomalies.insert(.unknownPDU)
            return
        }
        packet.pduType = Int(pdu.number)
        var inner = pdu.valueStart
        if pdu.number == 4 {
            walkTrapHeader(bytes, &inner, end: pdu.valueEnd, &packet)
        } else {
            walkRequestHeader(bytes, &inner, end: pdu.valueEnd, &packet)
        }
        walkVarbinds(bytes, &inner, end: pdu.valueEnd, &packet)
    }

    /// request-id, error-status, error-index (get-bulk: non-repeaters, max-repetitions).
    static func walkRequestHeader(_ bytes: Span<UInt8>, _ position: inout Int, end: Int, _ packet: inout Packet) {
        guard let id = integer(bytes, &position, end: end, &packet) else { return }
        packet.requestID = id
        packet.hasRequestID = true
        guard let status = integer(bytes, &position, end: end, &packet) else { return }
        packet.errorStatus = status
        guard let index = integer(bytes, &position, end: end, &packet) else { return }
        packet.errorIndex = index
    }

    /// v1 Trap-PDU (RFC 1157): enterprise, agent-addr, generic-trap, specific-trap, time-stamp.
    static func walkTrapHeader(_ bytes: Span<UInt8>, _ position: inout Int, end: Int, _ packet: inout Packet) {
        guard let enterprise = next(bytes, &position, end: end, expect: BER.objectIdentifier, &packet) else { return }
        packet.enterpriseStart = enterprise.valueStart
        packet.enterpriseEnd = enterprise.valueEnd
        // agent-addr is [APPLICATION 0] IpAddress; some agents send it as an OCTET STRING.
        guard next(bytes, &position, end: end, expect: nil, &packet) != nil else { return }
        guard let generic = integer(bytes, &position, end: end, &packet) else { return }
        packet.genericTrap = generic
        guard let specific = integer(bytes, &position, end: end, &packet) else { return }
        packet.specificTrap = specific
        // time-stamp: TimeTicks, [APPLICATION 3].
        _ = next(bytes, &position, end: end, expect: nil, &packet)
    }

    /// The varbind list: counted up to `maxVarbinds`, each a SEQUENCE starting with an OID.
    static func walkVarbinds(_ bytes: Span<UInt8>, _ position: inout Int, end: Int, _ packet: inout Packet) {
        guard let list = next(bytes, &position, end: end, expect: BER.sequence, &packet) else { return }
        packet.varbindsStart = list.valueStart
        packet.varbindsEnd = list.valueEnd
        var cursor = list.valueStart
        while cursor < list.valueEnd {
            guard packet.varbindCount < maxVarbinds else {
                packet.anomalies.insert(.tooManyVarbinds)
                return
            }
            guard let varbind = next(bytes, &cursor, end: list.valueEnd, expect: BER.sequence, &packet) else { return }
            packet.varbindCount &+= 1
            var inner = varbind.valueStart
            guard next(bytes, &inner, end: varbind.valueEnd, expect: BER.objectIdentifier, &packet) != nil else {
                return
            }
        }
    }

    /// The element at `position` inside a container ending at `end`, moving past it; nil when it
    /// is cut (flagged `truncated`), not valid BER, or not the `expect`ed type (`invalid_ber`).
    static func next(
        _ bytes: Span<UInt8>, _ position: inout Int, end: Int, expect: UInt8?, _ packet: inout Packet
    ) -> Element? {
        switch BER.read(bytes, at: position, end: end) {
        case .truncated:
            packet.anomalies.insert(.truncated)
            return nil
        case .invalid:
            packet.anomalies.insert(.invalidBER)
            return nil
        case .element(let element):
            if let expect, element.identifier != expect {
                packet.anomalies.insert(.invalidBER)
                return nil
            }
            position = element.valueEnd
            return element
        }
    }

    /// The INTEGER at `position`, moving past it; nil (flagged) when absent, cut or too long.
    static func integer(_ bytes: Span<UInt8>, _ position: inout Int, end: Int, _ packet: inout Packet) -> Int64? {
        guard let element = next(bytes, &position, end: end, expect: BER.integer, &packet) else { return nil }
        guard let value = BER.integerValue(bytes, element) else {
            packet.anomalies.insert(element.isComplete(bytes) ? .invalidBER : .truncated)
            return nil
        }
        return value
    }
}
