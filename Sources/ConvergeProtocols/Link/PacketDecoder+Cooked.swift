import ConvergeModel

/// Links without an Ethernet header: Linux cooked capture (SLL, SLL2), raw IP, BSD loopback.
extension PacketDecoder {
    /// ARPHRD_ values (Linux if_arp.h) the cooked headers carry.
    enum HardwareType {
        static let ethernet: UInt16 = 1
        static let ipGRE: UInt16 = 778
        static let netlink: UInt16 = 824
        static let can: UInt16 = 280
    }

    /// SLL (LINKTYPE_LINUX_SLL): packet type 2, ARPHRD type 2, address length 2, address 8, protocol 2.
    static func linuxSLL(_ f: Span<UInt8>, into p: inout DecodedPacket) -> DecodeIssue? {
        guard f.count >= 16 else { return .truncatedLink }
        let hardware = u16(f, 2)
        if hardware == HardwareType.ethernet, u16(f, 4) == 6 { p.sourceMAC = mac(f, 6) }
        return cookedPayload(protocol: u16(f, 14), hardware: hardware, f, at: 16, into: &p)
    }

    /// SLL2 (LINKTYPE_LINUX_SLL2): protocol 2, reserved 2, interface index 4, ARPHRD type 2,
    /// packet type 1, address length 1, address 8.
    static func linuxSLL2(_ f: Span<UInt8>, into p: inout DecodedPacket) -> DecodeIssue? {
        guard f.count >= 20 else { return .truncatedLink }
        let hardware = u16(f, 8)
        if hardware == HardwareType.ethernet, f[11] == 6 { p.sourceMAC = mac(f, 12) }
        return cookedPayload(protocol: u16(f, 0), hardware: hardware, f, at: 20, into: &p)
    }

    /// The cooked header's protocol field is an EtherType, except for a few small values
    /// (Linux ETH_P_802_2 = 4: an LLC header follows) and for hardware types whose payload is not IP.
    static func cookedPayload(
        protocol type: UInt16, hardware: UInt16, _ f: Span<UInt8>, at start: Int, into p: inout DecodedPacket
    ) -> DecodeIssue? {
        let end = f.count
        if hardware == HardwareType.netlink || hardware == HardwareType.can {
            otherNetwork(at: start, end: end, into: &p)
            return nil
        }
        if type >= 0x0600 {
            // On an ip_gre device the protocol is the GRE protocol: 0x6558 means an Ethernet frame.
            if hardware == HardwareType.ipGRE, type == 0x6558 { return ethernet(f, at: start, end: end, into: &p) }
            return etherType(type, f, at: start, end: end, into: &p)
        }
        if type == 0x0004 { return ieee8023(f, at: start, length: end &- start, end: end, into: &p) }
        otherNetwork(at: start, end: end, into: &p)
        return nil
    }

    /// Raw IP: the version comes from the first nibble; `version` 4 or 6 is what the link type
    /// promises (0: either).
    static func rawIP(_ f: Span<UInt8>, version: UInt8, into p: inout DecodedPacket) -> DecodeIssue? {
        guard f.count > 0 else { return .truncatedIP }
        let found = f[0] >> 4
        guard version == 0 || found == version else { return .badIPVersion }
        switch found {
        case 4: return ipv4(f, at: 0, end: f.count, into: &p)
        case 6: return ipv6(f, at: 0, end: f.count, into: &p)
        default: return .badIPVersion
        }
    }

    /// BSD loopback: a 4-byte address family, in the writer's byte order (null) or network order
    /// (loop). AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD) or 30 (Darwin).
    static func loopback(_ f: Span<UInt8>, networkOrder: Bool, into p: inout DecodedPacket) -> DecodeIssue? {
        guard f.count >= 4 else { return .truncatedLink }
        var family = networkOrder ? f.loadUInt32BE(at: 0) : f.loadUInt32LE(at: 0)
        // Families are small: a value with high bits set was written in the other byte order.
        if !networkOrder, family & 0xFFFF_0000 != 0 { family = family.byteSwapped }
        switch family {
        case 2: return ipv4(f, at: 4, end: f.count, into: &p)
        case 24, 28, 30: return ipv6(f, at: 4, end: f.count, into: &p)
        default:
            p.anomalies.insert(.unknownLoopbackFamily)
            otherNetwork(at: 4, end: f.count, into: &p)
            return nil
        }
    }
}
