import ConvergeModel

/// An address range from a rule (`10.0.0.0/8`, `fd00::/8`, or one address).
public struct Network: Sendable, Hashable, CustomStringConvertible {
    public let base: IPAddress
    /// Prefix length over the 128-bit form (IPv4 prefixes are stored +96).
    public let prefix: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let limit = address.isV4 ? 32 : 128
        var length = limit
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 0, n <= limit else { return nil }
            length = n
        }
        prefix = address.isV4 ? length + 96 : length
        base = IPAddress(bits: address.bits & Network.mask(prefix))
    }

    private static func mask(_ prefix: Int) -> UInt128 {
        prefix <= 0 ? 0 : prefix >= 128 ? ~UInt128(0) : ~(~UInt128(0) >> prefix)
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.bits & Network.mask(prefix) == base.bits
    }

    public var description: String {
        "\(base)/\(base.isV4 ? prefix - 96 : prefix)"
    }
}

extension IPAddress {
    /// Whether the address is a public unicast one (on the internet): not private (RFC 1918,
    /// RFC 4193), loopback, link-local, CGNAT, multicast, broadcast, documentation or unset.
    public var isInternet: Bool {
        if let v = v4 {
            let a = v >> 24
            let b = v >> 16 & 0xff
            switch a {
            case 0, 10, 127: return false
            case 100 where b >= 64 && b < 128: return false
            case 169 where b == 254: return false
            case 172 where b >= 16 && b < 32: return false
            case 192 where b == 168: return false
            case 192 where b == 0 && (v >> 8 & 0xff) == 2: return false
            case 198 where b == 18 || b == 19: return false
            case 198 where b == 51 && (v >> 8 & 0xff) == 100: return false
            case 203 where b == 0 && (v >> 8 & 0xff) == 113: return false
            default: return a < 224
            }
        }
        let top = UInt16(truncatingIfNeeded: bits >> 112)
        // Global unicast is 2000::/3; documentation 2001:db8::/32 is not on the internet.
        guard top & 0xe000 == 0x2000 else { return false }
        return !(top == 0x2001 && UInt16(truncatingIfNeeded: bits >> 96) == 0x0db8)
    }
}
