/// Why `PacketDecoder` stopped before the end of a frame. The fields decoded before the problem
/// stay filled in, so a caller can still count the packet under its addresses.
public enum DecodeIssue: UInt8, Sendable, CaseIterable {
    case unsupportedLinkType
    case truncatedLink
    case tooManyVLANTags
    case tooManyMPLSLabels
    case truncatedARP
    case truncatedIP
    case badIPVersion
    case badIPHeaderLength
    /// IPv4 total length shorter than its own header.
    case badIPTotalLength
    case truncatedExtensionHeader
    case tooManyExtensionHeaders
    /// A fragment header inside an already reassembled IPv6 datagram.
    case nestedFragment
    case truncatedTransport
    case badTCPHeaderLength
    /// UDP length below 8 or above the IP payload length.
    case badUDPLength
    case truncatedTunnel
    case tunnelTooDeep

    /// A short, fixed explanation for error lines and summaries.
    public var reason: String {
        switch self {
        case .unsupportedLinkType: "unsupported link type"
        case .truncatedLink: "link-layer header cut short"
        case .tooManyVLANTags: "more VLAN tags than the decoder accepts"
        case .tooManyMPLSLabels: "more MPLS labels than the decoder accepts"
        case .truncatedARP: "ARP packet cut short"
        case .truncatedIP: "IP header cut short"
        case .badIPVersion: "IP version is neither 4 nor 6 (or not the one the link type promises)"
        case .badIPHeaderLength: "IPv4 header length below 20 bytes"
        case .badIPTotalLength: "IPv4 total length shorter than the header"
        case .truncatedExtensionHeader: "IPv6 extension header cut short"
        case .tooManyExtensionHeaders: "more IPv6 extension headers than the decoder accepts"
        case .nestedFragment: "fragment header inside a reassembled datagram"
        case .truncatedTransport: "transport header cut short"
        case .badTCPHeaderLength: "TCP data offset below 20 bytes or beyond the segment"
        case .badUDPLength: "UDP length below 8 or beyond the IP payload"
        case .truncatedTunnel: "tunnel header cut short"
        case .tunnelTooDeep: "more nested tunnels than the decoder accepts"
        }
    }
}
