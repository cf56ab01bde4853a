extension DHCP {
    /// What was wrong with a message whose BOOTP header was complete.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The four bytes after the header are not the magic cookie: no options were read.
        public static let badCookie = Anomalies(rawValue: 1 << 0)
        /// An option's length runs past the end of its area.
        public static let optionOverrun = Anomalies(rawValue: 1 << 1)
        /// The options ended without the end option (255).
        public static let missingEnd = Anomalies(rawValue: 1 << 2)
        /// A fixed-size option (message type, an address, the lease time) of the wrong length.
        public static let badOptionLength = Anomalies(rawValue: 1 << 3)
        /// Option 53 more than once.
        public static let duplicateMessageType = Anomalies(rawValue: 1 << 4)
        /// Option 52 outside the main area, or with a value other than 1, 2 or 3.
        public static let badOverload = Anomalies(rawValue: 1 << 5)
        /// More than `maxOptions` options.
        public static let tooManyOptions = Anomalies(rawValue: 1 << 6)
        /// op is neither request (1) nor reply (2).
        public static let badOp = Anomalies(rawValue: 1 << 7)
        /// A hardware address length over chaddr's 16 bytes.
        public static let badHardwareLength = Anomalies(rawValue: 1 << 8)
        /// The pending table was full: the oldest client message was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 9)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.badCookie, "dhcp.bad_cookie"),
            (.optionOverrun, "dhcp.option_overrun"),
            (.missingEnd, "dhcp.missing_end"),
            (.badOptionLength, "dhcp.bad_option_length"),
            (.duplicateMessageType, "dhcp.duplicate_message_type"),
            (.badOverload, "dhcp.bad_overload"),
            (.tooManyOptions, "dhcp.too_many_options"),
            (.badOp, "dhcp.bad_op"),
            (.badHardwareLength, "dhcp.bad_hardware_length"),
            (.pendingOverflow, "dhcp.pending_overflow"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
