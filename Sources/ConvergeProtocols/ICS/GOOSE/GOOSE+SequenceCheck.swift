extension GOOSE {
    /// Sequence state of one publisher (pure; no clock, no allocation).
    ///
    /// A publisher retransmits its data set with the same stNum and sqNum + 1; on an event it
    /// sends stNum + 1 with sqNum 0 (edition 2; some edition 1 devices start at 1). Both wrap:
    /// after 2³²−1, stNum goes to 1 and sqNum to 1 (0 is kept for the first message of a state).
    /// `observe` names what a frame does against the last one seen:
    /// - `goose_st_change`: stNum advanced (a state change, the engine's `control` operation);
    /// - `goose_sq_gap`: messages were missed (sqNum skipped within a state, stNum advanced by
    ///   more than one, or a new state started past sqNum 1);
    /// - `goose_st_regress`: stNum went back (a publisher restart, or a spoofed earlier state);
    /// - `goose_replay`: the same stNum with the same or an earlier sqNum (a duplicate or replay).
    /// The first frame seen says nothing. State follows the latest frame except after a replay,
    /// so an old frame resent cannot make the next genuine one look like a gap.
    public struct SequenceCheck: Sendable, Equatable {
        public static let stChange = "goose_st_change"
        public static let sqGap = "goose_sq_gap"
        public static let stRegress = "goose_st_regress"
        public static let replay = "goose_replay"
        static let maxCounter = Int64(UInt32.max)

        /// What one frame did against the publisher's last one (empty: a steady retransmission).
        public struct Findings: OptionSet, Sendable, Hashable {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let stChange = Findings(rawValue: 1 << 0)
            public static let sqGap = Findings(rawValue: 1 << 1)
            public static let stRegress = Findings(rawValue: 1 << 2)
            public static let replay = Findings(rawValue: 1 << 3)

            public static let named: [(finding: Findings, name: String)] = [
                (.stChange, SequenceCheck.stChange), (.sqGap, SequenceCheck.sqGap),
                (.stRegress, SequenceCheck.stRegress), (.replay, SequenceCheck.replay),
            ]
            /// Event anomaly names, in a fixed order. Builds strings: event time only.
            public var names: [String] { Self.named.compactMap { contains($0.finding) ? $0.name : nil } }
        }

        public private(set) var stNum: Int64 = 0
        public private(set) var sqNum: Int64 = 0
        public private(set) var seen = false

        public init() {}

        /// The counter after `value`, as the publisher wraps it.
        static func successor(_ value: Int64) -> Int64 { value >= maxCounter ? 1 : value &+ 1 }

        public mutating func observe(stNum newSt: Int64, sqNum newSq: Int64) -> Findings {
            guard seen else {
                (seen, stNum, sqNum) = (true, newSt, newSq)
                return []
            }
            var found: Findings = []
            if newSt == stNum {
                if newSq == Self.successor(sqNum) {
                    // A steady retransmission.
                } else if newSq <= sqNum {
                    return .replay
                } else {
                    found.insert(.sqGap)
                }
            } else if newSt == Self.successor(stNum) {
                found.insert(.stChange)
                if newSq > 1 { found.insert(.sqGap) }
            } else if newSt > stNum {
                found.formUnion([.stChange, .sqGap])
            } else {
                found.insert(.stRegress)
            }
            (stNum, sqNum) = (newSt, newSq)
            return found
        }
    }
}
