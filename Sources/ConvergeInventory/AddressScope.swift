import ConvergeModel

/// Where an IP address can live, from its value alone (RFC 1918, 6598, 3927, 4193, 4291 …).
public enum AddressScope: String, Sendable, Codable, Comparable {
    /// Private, shared or unique-local space: a plant's own network.
    case `private`
    /// IPv4 169.254/16, IPv6 fe80::/10.
    case linkLocal = "link_local"
    /// Globally routed: a host outside the plant (or a plant that uses public space).
    case `public`
    /// Multicast, broadcast, unspecified, loopback: not a device of its own.
    case special

    public static func < (a: AddressScope, b: AddressScope) -> Bool { a.rawValue < b.rawValue }

    public init(_ address: IPAddress) {
        if let v4 = address.v4 {
            self = Self.v4(v4)
        } else {
            self = Self.v6(address.bits)
        }
    }

    /// Whether the address can stand for one device (not multicast, broadcast, unspecified …).
    public var isDevice: Bool { self != .special }

    private static func v4(_ a: UInt32) -> AddressScope {
        let first = a >> 24
        func inside(_ network: UInt32, _ length: UInt32) -> Bool { a >> (32 - length) == network >> (32 - length) }
        if a == 0 || a == 0xFFFF_FFFF || first == 127 || first >= 224 || first == 0 { return .special }
        if inside(0xA9FE_0000, 16) { return .linkLocal }
        if first == 10 || inside(0xAC10_0000, 12) || inside(0xC0A8_0000, 16) || inside(0x6440_0000, 10) {
            return .private
        }
        return .public
    }

    private static func v6(_ bits: UInt128) -> AddressScope {
        let high = UInt16(truncatingIfNeeded: bits >> 112)
        if bits == 0 || bits == 1 || high >> 8 == 0xFF { return .special }
        if high & 0xFFC0 == 0xFE80 { return .linkLocal }
        if high & 0xFE00 == 0xFC00 { return .private }
        return .public
    }
}
