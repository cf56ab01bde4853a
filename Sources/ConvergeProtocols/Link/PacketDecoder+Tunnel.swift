import ConvergeModel

/// GRE, VXLAN and IP-in-IP: the inner packet replaces the outer one's fields, so addresses, ports
/// and payload are the innermost; `tunnelDepth` counts the layers peeled.
extension PacketDecoder {
    enum TunnelPayload {
        case ethernet
        case etherType(UInt16)
        case ipv4
        case ipv6
    }

    /// Decodes an encapsulated packet. If not even its network header could be read, the outer
    /// packet's fields are kept (and the issue returned), so a broken inner packet never hides
    /// a good outer one.
    static func tunnel(
        _ f: Span<UInt8>, at start: Int, end: Int, inner: TunnelPayload, id: UInt32, into p: inout DecodedPacket
    ) -> DecodeIssue? {
        guard p.tunnelDepth < maxTunnelDepth else { return .tunnelTooDeep }
        var q = DecodedPacket()
        q.vlan = p.vlan
        q.vlanCount = p.vlanCount
        q.innerVLAN = p.innerVLAN
        q.anomalies = p.anomalies
        q.tunnelDepth = p.tunnelDepth &+ 1
        q.tunnelID = id
        if p.tunnelDepth == 0 {
            q.tunnelSource = p.source
            q.tunnelDestination = p.destination
        } else {
            q.tunnelSource = p.tunnelSource
            q.tunnelDestination = p.tunnelDestination
        }
        let issue: DecodeIssue?
        switch inner {
        case .ethernet: issue = ethernet(f, at: start, end: end, into: &q)
        case .etherType(let type): issue = etherType(type, f, at: start, end: end, into: &q)
        case .ipv4: issue = ipv4(f, at: start, end: end, into: &q)
        case .ipv6: issue = ipv6(f, at: start, end: end, into: &q)
        }
        guard q.network != .none else { return issue }
        p = q
        return issue
    }

    /// GRE (RFC 2784, with RFC 2890 key and sequence): flags and version 2, protocol 2, then the
    /// optional checksum+reserved, key and sequence words the C, K and S bits announce.
    static func gre(_ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket) -> DecodeIssue? {
        p.payloadOffset = start
        p.payloadLength = end &- start
        guard end &- start >= 4 else { return .truncatedTunnel }
        let flags = u16(f, start)
        let type = u16(f, start &+ 2)
        // Version 1 (PPTP's enhanced GRE) and RFC 1701 source routing are left undecoded.
        guard flags & 0x0007 == 0, flags & 0x4000 == 0 else { return nil }
        let hasChecksum = flags & 0x8000 != 0
        let hasKey = flags & 0x2000 != 0
        let hasSequence = flags & 0x1000 != 0
        var length = 4
        if hasChecksum { length &+= 4 }
        let keyOffset = start &+ length
        if hasKey { length &+= 4 }
        if hasSequence { length &+= 4 }
        guard end &- start >= length else { return .truncatedTunnel }
        let key = hasKey ? u32(f, keyOffset) : 0
        let inner = start &+ length
        p.payloadOffset = inner
        p.payloadLength = end &- inner
        switch type {
        case 0x6558:  // transparent Ethernet bridging
            return tunnel(f, at: inner, end: end, inner: .ethernet, id: key, into: &p)
        case 0x88BE:  // ERSPAN: type II has a sequence number and an 8-byte header, type I neither
            guard hasSequence else { return tunnel(f, at: inner, end: end, inner: .ethernet, id: key, into: &p) }
            guard end &- inner >= 8 else { return .truncatedTunnel }
            return tunnel(f, at: inner &+ 8, end: end, inner: .ethernet, id: key, into: &p)
        case 0x0800, 0x86DD, 0x0806, 0x8100, 0x88A8, 0x8847, 0x8848:
            return tunnel(f, at: inner, end: end, inner: .etherType(type), id: key, into: &p)
        default:
            return nil
        }
    }

    /// VXLAN (RFC 7348): flags 1 (I bit 0x08 = VNI valid), reserved 3, VNI 3, reserved 1, then an
    /// Ethernet frame. Without the I bit the datagram is left as plain UDP.
    static func vxlan(_ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket) -> DecodeIssue? {
        let available = end &- start
        guard available > 0 else { return nil }
        guard available >= 8 else { return .truncatedTunnel }
        guard f[start] & 0x08 != 0 else { return nil }
        let vni = UInt32(f[start &+ 4]) << 16 | UInt32(f[start &+ 5]) << 8 | UInt32(f[start &+ 6])
        return tunnel(f, at: start &+ 8, end: end, inner: .ethernet, id: vni, into: &p)
    }
}
