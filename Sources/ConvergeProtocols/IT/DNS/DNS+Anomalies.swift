extension DNS {
    /// What was wrong with a message whose header was sound (Suricata's DNS events in spirit).
    /// `Anomalies.names(prefix:)` names them under the dissector's own name (`dns.`, `mdns.`, `llmnr.`).
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The section counts promise more than the message holds, or a record runs past its end.
        public static let truncated = Anomalies(rawValue: 1 << 0)
        /// A label of a reserved type, or a name longer than 255 bytes.
        public static let badName = Anomalies(rawValue: 1 << 1)
        /// A compression pointer that does not point backwards (a loop or a forward reference).
        public static let badPointer = Anomalies(rawValue: 1 << 2)
        /// More than `maxRecordsWalked` records: the rest were not looked at.
        public static let tooManyRecords = Anomalies(rawValue: 1 << 3)
        /// Bytes after the last record the counts announce.
        public static let trailingBytes = Anomalies(rawValue: 1 << 4)
        /// An opcode RFC 1035/1996/2136/8490 does not define.
        public static let unknownOpcode = Anomalies(rawValue: 1 << 5)
        /// A response whose id matches no query of the flow (after the flow's first query).
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 6)
        /// The pending table was full: the oldest query was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 7)
        /// Over TCP: a length prefix shorter than the 12-byte header.
        public static let shortMessage = Anomalies(rawValue: 1 << 8)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.truncated, "truncated"),
            (.badName, "bad_name"),
            (.badPointer, "bad_pointer"),
            (.tooManyRecords, "too_many_records"),
            (.trailingBytes, "trailing_bytes"),
            (.unknownOpcode, "unknown_opcode"),
            (.unsolicitedResponse, "unsolicited_response"),
            (.pendingOverflow, "pending_overflow"),
            (.shortMessage, "short_message"),
        ]

        /// Event names (`dns.bad_pointer`); allocates, for events only.
        public func names(prefix: String) -> [String] {
            Self.named.compactMap { contains($0.anomaly) ? prefix + "." + $0.name : nil }
        }
    }
}
