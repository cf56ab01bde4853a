import ConvergeModel
import ConvergeWire

/// Decodes one captured frame, link → network → transport, into a `DecodedPacket`.
///
/// Every layer works on the whole frame with a start offset and an end bound (the end shrinks to an
/// IP or UDP length when the header says the packet is shorter than the capture), so offsets stay
/// relative to the frame even inside tunnels, and nothing is copied or allocated. Every read is
/// preceded by a check against the end bound; counts from the wire (VLAN tags, MPLS labels, IPv6
/// extension headers, tunnel nesting) are capped by the constants below.
public enum PacketDecoder {
    /// 802.1Q/802.1ad tags accepted in one frame (QinQ uses 2; more is unusual but legal).
    public static let maxVLANTags = 8
    /// MPLS labels accepted before the bottom of the stack.
    public static let maxMPLSLabels = 8
    /// IPv6 extension headers (and IPv4 AH) accepted in one chain.
    public static let maxExtensionHeaders = 8
    /// GRE/VXLAN/IP-in-IP encapsulations peeled off before decoding stops with `.tunnelTooDeep`.
    public static let maxTunnelDepth = 4

    /// Decodes link → network → transport. Returns nil on success, or the issue that stopped decoding
    /// (fields decoded before it stay filled in, e.g. addresses of an IP packet with a bad TCP header).
    public static func decode(
        _ frame: Span<UInt8>, linkType: LinkType, into packet: inout DecodedPacket
    ) -> DecodeIssue? {
        packet = DecodedPacket()
        let end = frame.count
        switch linkType.rawValue {
        case 1: return ethernet(frame, at: 0, end: end, into: &packet)
        case 113: return linuxSLL(frame, into: &packet)
        case 276: return linuxSLL2(frame, into: &packet)
        // 12 and 14 are the platform DLT_RAW values some old writers stored instead of 101.
        case 101, 12, 14: return rawIP(frame, version: 0, into: &packet)
        case 228: return rawIP(frame, version: 4, into: &packet)
        case 229: return rawIP(frame, version: 6, into: &packet)
        case 0: return loopback(frame, networkOrder: false, into: &packet)
        case 108: return loopback(frame, networkOrder: true, into: &packet)
        default: return .unsupportedLinkType
        }
    }

    /// Decodes a transport header from a reassembled IP datagram payload (offsets relative to
    /// `datagram`). The network fields of `packet` (addresses, network, tunnel) are kept; the fragment
    /// and transport fields are replaced.
    public static func decodeTransport(
        _ datagram: Span<UInt8>, ipProtocol: UInt8, into packet: inout DecodedPacket
    ) -> DecodeIssue? {
        packet.isFragment = false
        packet.fragmentOffset = 0
        packet.moreFragments = false
        packet.transport = .other
        packet.sourcePort = 0
        packet.destinationPort = 0
        packet.tcpFlags = 0
        packet.sequence = 0
        packet.acknowledgment = 0
        packet.window = 0
        packet.icmpType = 0
        packet.icmpCode = 0
        packet.payloadOffset = 0
        packet.payloadLength = 0
        let chain: Chain = packet.network == .ipv6 ? .reassembledIPv6 : .ipv4
        return upperLayer(datagram, at: 0, end: datagram.count, protocol: ipProtocol, chain: chain, into: &packet)
    }
}

// MARK: - Loads (the caller has checked that the bytes are there; each load checks again)

extension PacketDecoder {
    /// Multi-byte fields are read as one unaligned word through `RawSpan`, whose load is
    /// bounds-checked (a precondition, like `Span`'s subscript) and "unsafe" only in that any bit
    /// pattern must be a valid value, which holds for integers. Byte-by-byte assembly, or calling
    /// ConvergeWire's `loadUInt32BE` (left out of line across the module boundary), cost about 40 %
    /// more decode time in the benchmark.
    @inline(__always) static func u16(_ f: Span<UInt8>, _ i: Int) -> UInt16 {
        UInt16(bigEndian: f.bytes.unsafeLoadUnaligned(fromByteOffset: i, as: UInt16.self))
    }

    @inline(__always) static func u32(_ f: Span<UInt8>, _ i: Int) -> UInt32 {
        UInt32(bigEndian: f.bytes.unsafeLoadUnaligned(fromByteOffset: i, as: UInt32.self))
    }

    @inline(__always) static func u64(_ f: Span<UInt8>, _ i: Int) -> UInt64 {
        UInt64(bigEndian: f.bytes.unsafeLoadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    /// IPv4 addresses are stored IPv4-mapped (::ffff:a.b.c.d), as `IPAddress(v4:)` documents; built
    /// here from the bits because that initialiser is not inlinable across modules.
    @inline(__always) static func ipv4Address(_ f: Span<UInt8>, _ i: Int) -> IPAddress {
        IPAddress(bits: 0xFFFF << 32 | UInt128(u32(f, i)))
    }

    /// A 48-bit MAC address in the low bits of a UInt64.
    @inline(__always) static func mac(_ f: Span<UInt8>, _ i: Int) -> UInt64 {
        UInt64(u16(f, i)) << 32 | UInt64(u32(f, i &+ 2))
    }

    @inline(__always) static func ipv6Address(_ f: Span<UInt8>, _ i: Int) -> IPAddress {
        IPAddress(bits: UInt128(u64(f, i)) << 64 | UInt128(u64(f, i &+ 8)))
    }

    /// Marks the rest of the layer as an undecoded payload of a network protocol we do not decode.
    @inline(__always) static func otherNetwork(at start: Int, end: Int, into p: inout DecodedPacket) {
        p.network = .other
        p.payloadOffset = start
        p.payloadLength = end &- start
    }
}
