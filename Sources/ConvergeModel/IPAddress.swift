/// An IPv4 or IPv6 address in one 128-bit integer: IPv4 is stored IPv4-mapped (::ffff:a.b.c.d),
/// so flow keys and tables need one representation and hashing is a couple of integer ops.
public struct IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public var bits: UInt128
    public init(bits: UInt128) { self.bits = bits }

    static let v4Prefix: UInt128 = 0xffff << 32
    public static let none = IPAddress(bits: 0)

    public init(v4: UInt32) { bits = IPAddress.v4Prefix | UInt128(v4) }
    public init(v6High: UInt64, low: UInt64) { bits = UInt128(v6High) << 64 | UInt128(low) }

    public var isV4: Bool { bits >> 32 == 0xffff }
    public var v4: UInt32? { isV4 ? UInt32(truncatingIfNeeded: bits) : nil }

    public static func < (a: IPAddress, b: IPAddress) -> Bool { a.bits < b.bits }

    public var description: String {
        if let v = v4 {
            return "\(v >> 24).\(v >> 16 & 0xff).\(v >> 8 & 0xff).\(v & 0xff)"
        }
        return IPAddress.formatV6(bits)
    }

    /// RFC 5952 text: lowercase hex, the longest run (≥ 2) of zero groups shortened to "::".
    static func formatV6(_ bits: UInt128) -> String {
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: bits >> (112 - 16 * $0)) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8, groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestLength >= 2 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = IPAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad IP address \(text)"))
        }
        self = parsed
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Parses dotted IPv4 or RFC 4291 IPv6 text (no zone ids).
    public init?(_ text: String) {
        if !text.contains(":") {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var v: UInt32 = 0
            for p in parts {
                guard let octet = UInt8(p) else { return nil }
                v = v << 8 | UInt32(octet)
            }
            self.init(v4: v)
            return
        }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for g in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard g.count <= 4, let n = UInt16(g, radix: 16) else { return nil }
                out.append(n)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        let tail = halves.count == 2 ? groups(halves[1]) : []
        guard let tail else { return nil }
        let fill = 8 - head.count - tail.count
        guard halves.count == 2 ? fill >= 1 : fill == 0 else { return nil }
        var bits: UInt128 = 0
        for g in head + Array(repeating: 0, count: halves.count == 2 ? fill : 0) + tail {
            bits = bits << 16 | UInt128(g)
        }
        self.init(bits: bits)
    }
}

/// An address and a transport port.
public struct Endpoint: Hashable, Sendable, Codable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16
    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }
    public var description: String {
        address.isV4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}
