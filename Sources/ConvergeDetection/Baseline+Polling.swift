import ConvergeModel

extension Baseline {
    /// How one repeated request was polled while learning: the last `maxIntervalSamples` intervals
    /// between requests. The period is their median; the slot counts as cyclic only when most
    /// intervals sit close to it (a request sent now and then is not a poll and never "breaks").
    public struct PollRecord: Sendable, Codable, Hashable {
        /// Intervals in nanoseconds, oldest first.
        public var intervals: [Int64] = []
        public var requests: Int = 0
        /// The last request's time while learning; not stored, so a later learning run does not
        /// take the time between two captures for an interval.
        public var last: Timestamp? = nil

        /// Fewest intervals before a period is trusted.
        public static let minSamples = 8
        /// A cyclic slot has its middle half of intervals within this factor of each other.
        public static let maxSpread = 1.5
        /// A request sooner than period × `earlyFactor` or later than period × `lateFactor`
        /// (and outside what was seen while learning) breaks the cycle.
        public static let earlyFactor = 0.5
        public static let lateFactor = 2.5

        private enum CodingKeys: String, CodingKey { case intervals, requests }

        public init() {}

        mutating func record(_ time: Timestamp) {
            requests &+= 1
            if let last {
                let interval = time.nanoseconds &- last.nanoseconds
                if interval >= 0 {
                    if intervals.count >= Baseline.maxIntervalSamples { intervals.removeFirst() }
                    intervals.append(interval)
                }
            }
            last = time
        }

        private var sorted: [Int64] { intervals.sorted() }

        /// The median interval, once there are enough samples and they agree; nil otherwise.
        public var period: Int64? {
            guard intervals.count >= Self.minSamples else { return nil }
            let s = sorted
            let q1 = s[s.count / 4]
            let q3 = s[(s.count * 3) / 4]
            let median = s[s.count / 2]
            guard median > 0, q1 > 0, Double(q3) / Double(q1) <= Self.maxSpread else { return nil }
            return median
        }

        /// The intervals a learned cycle accepts: around the period, widened to what learning saw
        /// in its middle half (jitter that was normal stays normal).
        public var accepted: ClosedRange<Int64>? {
            guard let period else { return nil }
            let s = sorted
            let low = min(Self.nanoseconds(Double(period) * Self.earlyFactor), s[s.count / 4])
            let high = max(Self.nanoseconds(Double(period) * Self.lateFactor), s[(s.count * 3) / 4])
            return low...high
        }

        /// Intervals come from capture timestamps, which can be a century apart in a hostile file:
        /// scaled periods are clamped into Int64 instead of trapping on conversion.
        static func nanoseconds(_ value: Double) -> Int64 {
            guard value.isFinite else { return value > 0 ? .max : 0 }
            if value >= 9.2e18 { return .max }
            if value <= 0 { return 0 }
            return Int64(value)
        }
    }
}
