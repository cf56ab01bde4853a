import Testing

@testable import ConvergeCapture

@Suite struct TimestampScaleTests {
    @Test func decimalResolutions() {
        #expect(TimestampScale(tsresol: 0).nanoseconds(3) == 3_000_000_000)  // seconds
        #expect(TimestampScale(tsresol: 6).nanoseconds(3) == 3_000)  // microseconds
        #expect(TimestampScale(tsresol: 9).nanoseconds(3) == 3)  // nanoseconds
        #expect(TimestampScale(tsresol: 12).nanoseconds(3_999) == 3)  // picoseconds, truncated
        #expect(TimestampScale(tsresol: 28).nanoseconds(UInt64.max) == 1)  // 10^-28 s: 1.8e19 ticks
    }

    @Test func binaryResolutions() {
        #expect(TimestampScale(tsresol: 0x80).nanoseconds(2) == 2_000_000_000)  // 2^0 s
        #expect(TimestampScale(tsresol: 0x80 | 1).nanoseconds(3) == 1_500_000_000)  // 2^-1 s
        #expect(TimestampScale(tsresol: 0x80 | 30).nanoseconds(1 << 30) == 1_000_000_000)
        #expect(TimestampScale(tsresol: 0x80 | 64).nanoseconds(1 << 63) == 500_000_000)  // 2^-64 s
    }

    /// Every tsresol byte with extreme tick counts: wraps or truncates, never traps.
    @Test func everyResolutionWithExtremeTicks() {
        var seen = 0
        for tsresol in UInt8.min...UInt8.max {
            let scale = TimestampScale(tsresol: tsresol)
            for ticks in [UInt64.min, 1, UInt64(Int64.max), UInt64.max] {
                _ = scale.nanoseconds(ticks)
                seen += 1
            }
        }
        #expect(seen == 1024)
    }
}
