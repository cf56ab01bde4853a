import ConvergeModel

/// An address block: `10.1.0.0/16`, `2001:db8::/32`, or a single host (`10.1.2.3` is `/32`).
/// Kept in the 128-bit IPv4-mapped space of `IPAddress`, so one prefix table serves both families:
/// an IPv4 `/24` is a mapped `/120`.
public struct CIDR: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first address of the block (host bits cleared).
    public let network: UInt128
    /// Prefix length in the 128-bit space (an IPv4 `/24` is 120).
    public let length: Int

    public init(network: UInt128, length: Int) {
        let clamped = min(max(length, 0), 128)
        self.length = clamped
        self.network = network & CIDR.mask(clamped)
    }

    /// The host `/32` (IPv4) or `/128` (IPv6) of one address.
    public init(host: IPAddress) {
        self.init(network: host.bits, length: 128)
    }

    /// Parses `a.b.c.d/n`, `v6/n` or a bare address; nil for anything else, and for a block
    /// whose host bits are set (`10.0.0.1/24` is more likely a typo than a network).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        let width = address.isV4 ? 32 : 128
        var prefix = width
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }),
                let value = Int(digits), (0...width).contains(value)
            else { return nil }
            prefix = value
        }
        let length = address.isV4 ? 96 + prefix : prefix
        guard address.bits & ~CIDR.mask(length) == 0 else { return nil }
        self.init(network: address.bits, length: length)
    }

    /// The mask of a prefix length in the 128-bit space.
    static func mask(_ length: Int) -> UInt128 {
        if length <= 0 { return 0 }
        if length >= 128 { return ~0 }
        return ~(UInt128.max >> UInt128(length))
    }

    public var isV4: Bool { length >= 96 && network >> 32 == 0xffff }
    /// The prefix length as people write it (`24` for an IPv4 `/24`).
    public var displayLength: Int { isV4 ? length - 96 : length }
    public var first: UInt128 { network }
    public var last: UInt128 { network | ~CIDR.mask(length) }

    public func contains(_ address: IPAddress) -> Bool { address.bits & CIDR.mask(length) == network }
    public func contains(_ other: CIDR) -> Bool {
        other.length >= length && other.network & CIDR.mask(length) == network
    }

    public var description: String { "\(IPAddress(bits: network))/\(displayLength)" }

    public static func < (a: CIDR, b: CIDR) -> Bool { (a.network, a.length) < (b.network, b.length) }
}
