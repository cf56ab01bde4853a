extension EtherNetIP {
    /// What was wrong with a message whose encapsulation framing was sound. Names follow
    /// Suricata's event style (`enip.invalid_length`) so rules can match them.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// A length or size field disagrees with the bytes or with another length field.
        public static let invalidLength = Anomalies(rawValue: 1 << 0)
        /// An encapsulation command the specification does not define.
        public static let unknownCommand = Anomalies(rawValue: 1 << 1)
        /// The options field is not 0, or a request carries a non-zero status.
        public static let invalidHeader = Anomalies(rawValue: 1 << 2)
        /// More common-packet-format items, embedded services or path segments than the caps allow.
        public static let tooManyItems = Anomalies(rawValue: 1 << 3)
        /// A CPF item type or combination the command does not allow.
        public static let invalidItem = Anomalies(rawValue: 1 << 4)
        /// An EPATH segment that could not be decoded.
        public static let invalidPath = Anomalies(rawValue: 1 << 5)
        /// A CIP service code not defined for the object it addresses.
        public static let unknownService = Anomalies(rawValue: 1 << 6)
        /// A CIP response with no pending request.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 7)
        /// The pending table was full: the oldest request was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 8)
        /// Embedded messages nested deeper than `maxNesting`.
        public static let nestingTooDeep = Anomalies(rawValue: 1 << 9)
        /// A Logix data type or element count that does not fit the bytes.
        public static let invalidValue = Anomalies(rawValue: 1 << 10)
        /// A request sent in a session other than the one registered on this connection.
        public static let sessionMismatch = Anomalies(rawValue: 1 << 11)

        /// Every anomaly with its event name, in bit order.
        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.invalidLength, "enip.invalid_length"),
            (.unknownCommand, "enip.unknown_command"),
            (.invalidHeader, "enip.invalid_header"),
            (.tooManyItems, "enip.too_many_items"),
            (.invalidItem, "enip.invalid_item"),
            (.invalidPath, "cip.invalid_path"),
            (.unknownService, "cip.unknown_service"),
            (.unsolicitedResponse, "cip.unsolicited_response"),
            (.pendingOverflow, "cip.pending_overflow"),
            (.nestingTooDeep, "cip.nesting_too_deep"),
            (.invalidValue, "cip.invalid_value"),
            (.sessionMismatch, "enip.session_mismatch"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] {
            Self.named.compactMap { contains($0.anomaly) ? $0.name : nil }
        }
    }
}
