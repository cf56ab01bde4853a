import ConvergeModel

/// TCP, UDP, ICMP and ICMPv6 headers, and the hand-off to tunnels.
extension PacketDecoder {
    /// UDP port IANA assigned to VXLAN (RFC 7348).
    public static let vxlanPort: UInt16 = 4789

    static func transport(
        _ f: Span<UInt8>, at start: Int, end: Int, protocol: UInt8, into p: inout DecodedPacket
    ) -> DecodeIssue? {
        p.ipProtocol = `protocol`
        p.transportOffset = start
        switch `protocol` {
        case 6: return tcp(f, at: start, end: end, into: &p)
        case 17: return udp(f, at: start, end: end, into: &p)
        case 1: return icmp(f, at: start, end: end, kind: .icmp, into: &p)
        case 58: return icmp(f, at: start, end: end, kind: .icmpv6, into: &p)
        case 47: return gre(f, at: start, end: end, into: &p)
        case 4, 41:
            p.payloadOffset = start
            p.payloadLength = end &- start
            let inner: TunnelPayload = `protocol` == 4 ? .ipv4 : .ipv6
            return tunnel(f, at: start, end: end, inner: inner, id: 0, into: &p)
        default:
            p.payloadOffset = start
            p.payloadLength = end &- start
            return nil
        }
    }

    /// Whether a header that does not fit was cut by the capture (snaplen) or lies about its size.
    @inline(__always) static func cutOrBad(_ p: DecodedPacket, bad: DecodeIssue) -> DecodeIssue {
        p.anomalies.contains(.ipLengthExceedsCapture) ? .truncatedTransport : bad
    }

    static func tcp(_ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket) -> DecodeIssue? {
        p.transport = .tcp
        let available = end &- start
        guard available >= 4 else { return .truncatedTransport }
        p.sourcePort = u16(f, start)
        p.destinationPort = u16(f, start &+ 2)
        guard available >= 20 else { return .truncatedTransport }
        p.sequence = u32(f, start &+ 4)
        p.acknowledgment = u32(f, start &+ 8)
        p.tcpFlags = f[start &+ 13]
        p.window = u16(f, start &+ 14)
        let headerLength = Int(f[start &+ 12] >> 4) &* 4
        guard headerLength >= 20 else { return .badTCPHeaderLength }
        guard headerLength <= available else { return cutOrBad(p, bad: .badTCPHeaderLength) }
        p.payloadOffset = start &+ headerLength  // options skipped
        p.payloadLength = available &- headerLength
        return nil
    }

    static func udp(_ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket) -> DecodeIssue? {
        p.transport = .udp
        let available = end &- start
        guard available >= 4 else { return .truncatedTransport }
        p.sourcePort = u16(f, start)
        p.destinationPort = u16(f, start &+ 2)
        guard available >= 8 else { return .truncatedTransport }
        let length = Int(u16(f, start &+ 4))
        p.payloadOffset = start &+ 8
        p.payloadLength = available &- 8
        guard length >= 8 else { return .badUDPLength }
        var udpEnd = end
        if length > available {
            if !p.anomalies.contains(.ipLengthExceedsCapture) { return .badUDPLength }
        } else if length < available {
            p.anomalies.insert(.udpLengthShort)
            udpEnd = start &+ length
            p.payloadLength = length &- 8
        }
        if p.destinationPort == vxlanPort {
            return vxlan(f, at: start &+ 8, end: udpEnd, into: &p)
        }
        return nil
    }

    /// ICMP and ICMPv6 share the first four bytes (type, code, checksum) and a 4-byte rest of header.
    static func icmp(
        _ f: Span<UInt8>, at start: Int, end: Int, kind: Transport, into p: inout DecodedPacket
    ) -> DecodeIssue? {
        p.transport = kind
        let available = end &- start
        guard available >= 4 else { return .truncatedTransport }
        p.icmpType = f[start]
        p.icmpCode = f[start &+ 1]
        let headerLength = min(available, 8)
        p.payloadOffset = start &+ headerLength
        p.payloadLength = available &- headerLength
        return nil
    }
}
