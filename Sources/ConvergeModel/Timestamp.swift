/// Nanoseconds since the Unix epoch: wide enough for any capture, exact for pcap's micro- and
/// nanosecond resolutions, and a plain integer so comparing and hashing cost nothing.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var nanoseconds: Int64
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public init(seconds: Int64, nanoseconds: Int64) {
        self.nanoseconds = seconds &* 1_000_000_000 &+ nanoseconds
    }

    public static let zero = Timestamp(nanoseconds: 0)
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.nanoseconds < b.nanoseconds }

    /// Seconds as a double, for JSON and display (nanosecond precision is lost past ~104 days of
    /// epoch seconds only in the last digit, which no summary needs).
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public var description: String {
        let s = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let frac = s.remainder < 0 ? s.remainder + 1_000_000_000 : s.remainder
        let secs = s.remainder < 0 ? s.quotient - 1 : s.quotient
        let digits = String(frac)
        return "\(secs).\(String(repeating: "0", count: 9 - digits.count))\(digits)"
    }

    public init(from decoder: any Decoder) throws {
        nanoseconds = try decoder.singleValueContainer().decode(Int64.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(nanoseconds)
    }
}

/// A span of time in nanoseconds.
public struct Duration64: Hashable, Comparable, Sendable {
    public var nanoseconds: Int64
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public static func seconds(_ s: Int64) -> Duration64 { Duration64(nanoseconds: s &* 1_000_000_000) }
    public static func < (a: Duration64, b: Duration64) -> Bool { a.nanoseconds < b.nanoseconds }
}
