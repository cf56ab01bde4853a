import ConvergeModel

/// Ethernet II, 802.1Q/802.1ad tags, 802.3 + LLC/SNAP, and the EtherType dispatch shared by every
/// link that names its payload with an EtherType (Ethernet, SLL, GRE, SNAP).
extension PacketDecoder {
    static func ethernet(_ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket) -> DecodeIssue? {
        guard end &- start >= 14 else { return .truncatedLink }
        p.destinationMAC = mac(f, start)
        p.sourceMAC = mac(f, start &+ 6)
        let type = u16(f, start &+ 12)
        if type < 0x0600 {
            return ieee8023(f, at: start &+ 14, length: Int(type), end: end, into: &p)
        }
        return etherType(type, f, at: start &+ 14, end: end, into: &p)
    }

    static func etherType(
        _ firstType: UInt16, _ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket
    ) -> DecodeIssue? {
        var type = firstType
        var offset = start
        // 802.1Q (0x8100), 802.1ad (0x88A8) and the pre-standard QinQ 0x9100: TCI then the next type.
        while type == 0x8100 || type == 0x88A8 || type == 0x9100 {
            guard p.vlanCount < maxVLANTags else { return .tooManyVLANTags }
            guard end &- offset >= 4 else { return .truncatedLink }
            let id = u16(f, offset) & 0x0FFF
            if p.vlanCount == 0 { p.vlan = id } else { p.innerVLAN = id }
            p.vlanCount &+= 1
            type = u16(f, offset &+ 2)
            offset &+= 4
            if type < 0x0600 {
                return ieee8023(f, at: offset, length: Int(type), end: end, into: &p)
            }
        }
        p.etherType = type
        switch type {
        case 0x0800: return ipv4(f, at: offset, end: end, into: &p)
        case 0x86DD: return ipv6(f, at: offset, end: end, into: &p)
        case 0x0806: return arp(f, at: offset, end: end, into: &p)
        case 0x8847, 0x8848: return mpls(f, at: offset, end: end, into: &p)
        case 0x8864: return pppoeSession(f, at: offset, end: end, into: &p)
        default:
            otherNetwork(at: offset, end: end, into: &p)
            return nil
        }
    }

    /// An 802.3 frame: the type field was a length, an 802.2 LLC header follows. SNAP with an
    /// EtherType-carrying OUI goes back to the EtherType dispatch; everything else (STP, CDP, …) is
    /// `.other` with the payload starting at the LLC header.
    static func ieee8023(
        _ f: Span<UInt8>, at start: Int, length: Int, end: Int, into p: inout DecodedPacket
    ) -> DecodeIssue? {
        var end = end
        if length <= end &- start {
            end = start &+ length  // the rest is padding or a trailer
        } else {
            p.anomalies.insert(.badEthernetLength)
        }
        otherNetwork(at: start, end: end, into: &p)
        guard end &- start >= 3 else { return nil }
        let isSNAP = f[start] == 0xAA && f[start &+ 1] == 0xAA && f[start &+ 2] == 0x03
        guard isSNAP else { return nil }
        guard end &- start >= 8 else { return .truncatedLink }
        let oui = UInt32(f[start &+ 3]) << 16 | UInt32(f[start &+ 4]) << 8 | UInt32(f[start &+ 5])
        let type = u16(f, start &+ 6)
        // OUI 0 (RFC 1042) and 00-00-F8 (802.1H bridge tunnel) carry a plain EtherType.
        guard oui == 0 || oui == 0x0000F8, type >= 0x0600 else { return nil }
        return etherType(type, f, at: start &+ 8, end: end, into: &p)
    }

    /// MPLS label stack (RFC 3032): 4 bytes a label; after the bottom-of-stack label the payload is
    /// guessed from its first nibble, as Wireshark does when no pseudowire is configured.
    static func mpls(_ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket) -> DecodeIssue? {
        var offset = start
        for _ in 0..<maxMPLSLabels {
            guard end &- offset >= 4 else { return .truncatedLink }
            let bottom = f[offset &+ 2] & 0x01 != 0
            offset &+= 4
            guard bottom else { continue }
            guard offset < end else {
                otherNetwork(at: offset, end: end, into: &p)
                return nil
            }
            switch f[offset] >> 4 {
            case 4: return ipv4(f, at: offset, end: end, into: &p)
            case 6: return ipv6(f, at: offset, end: end, into: &p)
            default:
                otherNetwork(at: offset, end: end, into: &p)
                return nil
            }
        }
        return .tooManyMPLSLabels
    }

    /// PPPoE session stage (RFC 2516): 6-byte header, then a PPP protocol number.
    static func pppoeSession(
        _ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket
    ) -> DecodeIssue? {
        guard end &- start >= 8 else { return .truncatedLink }
        let length = Int(u16(f, start &+ 4))
        let sessionEnd = length <= end &- start &- 6 ? start &+ 6 &+ length : end
        let offset = start &+ 8
        guard sessionEnd >= offset else { return .truncatedLink }
        switch u16(f, start &+ 6) {
        case 0x0021: return ipv4(f, at: offset, end: sessionEnd, into: &p)
        case 0x0057: return ipv6(f, at: offset, end: sessionEnd, into: &p)
        default:
            otherNetwork(at: offset, end: sessionEnd, into: &p)
            return nil
        }
    }
}
