extension ADS {
    /// What was wrong with an AMS packet whose framing was sound.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The AMS/TCP length, the header's data length and the command's layout disagree.
        public static let invalidLength = Anomalies(rawValue: 1 << 0)
        /// A command id ADS does not define.
        public static let unknownCommand = Anomalies(rawValue: 1 << 1)
        /// A response whose command does not match its request's.
        public static let responseMismatch = Anomalies(rawValue: 1 << 2)
        /// A response with no pending request of its invoke id.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 3)
        /// The pending table was full: the oldest request was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 4)
        /// The AMS/TCP reserved field is not zero.
        public static let reservedNotZero = Anomalies(rawValue: 1 << 5)
        /// A write-control request that stops, resets or reconfigures the target.
        public static let stateChange = Anomalies(rawValue: 1 << 6)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.invalidLength, "ads.invalid_length"),
            (.unknownCommand, "ads.unknown_command"),
            (.responseMismatch, "ads.response_mismatch"),
            (.unsolicitedResponse, "ads.unsolicited_response"),
            (.pendingOverflow, "ads.pending_overflow"),
            (.reservedNotZero, "ads.reserved_not_zero"),
            (.stateChange, "ads.state_change"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
