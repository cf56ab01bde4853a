/// A capture's link-layer header type, as numbered by tcpdump.org's LINKTYPE_ registry
/// (the values pcap and pcapng store; not the platform DLT_ values).
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let null = LinkType(rawValue: 0)  // BSD loopback: 4-byte host-order family
    public static let ethernet = LinkType(rawValue: 1)
    public static let raw = LinkType(rawValue: 101)  // raw IPv4 or IPv6, version from the first nibble
    public static let loop = LinkType(rawValue: 108)  // OpenBSD loopback: 4-byte network-order family
    public static let linuxSLL = LinkType(rawValue: 113)
    public static let ieee802_15_4 = LinkType(rawValue: 195)
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    public static let linuxSLL2 = LinkType(rawValue: 276)

    public var description: String {
        switch self {
        case .null: "null"
        case .ethernet: "ethernet"
        case .raw: "raw"
        case .loop: "loop"
        case .linuxSLL: "linux-sll"
        case .ieee802_15_4: "ieee802.15.4"
        case .ipv4: "ipv4"
        case .ipv6: "ipv6"
        case .linuxSLL2: "linux-sll2"
        default: "linktype-\(rawValue)"
        }
    }
}
