/// Turns a pcapng interface's timestamp ticks into nanoseconds, from its `if_tsresol` option:
/// high bit clear means units of 10^-n seconds, set means 2^-n seconds (default 10^-6).
struct TimestampScale: Sendable, Equatable {
    private enum Kind: Equatable {
        case multiply(Int64)  // 10^-n with n ≤ 9: ticks × 10^(9-n)
        case divide(UInt64)  // 10^-n with n > 9: ticks ÷ 10^(n-9)
        case binary(Int)  // 2^-n: ticks × 10^9 ÷ 2^n
    }

    private let kind: Kind

    static let microseconds = TimestampScale(tsresol: 6)
    static let nanoseconds = TimestampScale(tsresol: 9)

    /// `tsresol` as the option's one byte stores it.
    init(tsresol: UInt8) {
        let exponent = Int(tsresol & 0x7f)
        if tsresol & 0x80 != 0 {
            kind = .binary(exponent)
        } else if exponent <= 9 {
            kind = .multiply(Self.powerOfTen(9 &- exponent))
        } else if exponent &- 9 <= 19 {
            kind = .divide(UInt64(Self.powerOfTen(exponent &- 9 &- 1)) &* 10)
        } else {
            kind = .divide(UInt64.max)  // finer than 10^-28 s: every tick count is under a nanosecond
        }
    }

    /// 10^n for 0 ≤ n ≤ 18 (the largest that fits Int64).
    private static func powerOfTen(_ n: Int) -> Int64 {
        var value: Int64 = 1
        for _ in 0..<min(max(n, 0), 18) { value &*= 10 }
        return value
    }

    /// Nanoseconds for `ticks` (wrapping, never trapping, for absurd values).
    @inline(__always)
    func nanoseconds(_ ticks: UInt64) -> Int64 {
        switch kind {
        case .multiply(let factor): return Int64(bitPattern: ticks) &* factor
        case .divide(let divisor): return Int64(bitPattern: ticks / divisor)
        case .binary(let shift):
            let scaled = (UInt128(ticks) &* 1_000_000_000) >> UInt128(shift)
            return Int64(truncatingIfNeeded: scaled)
        }
    }
}
