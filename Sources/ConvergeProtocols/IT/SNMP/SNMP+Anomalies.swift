extension SNMP {
    /// What was wrong with, or risky in, a message whose outer framing was sound.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The datagram ends before the lengths say the message does (a capture cut it).
        public static let truncated = Anomalies(rawValue: 1 << 0)
        /// An element is not valid BER or is not the type SNMP puts there.
        public static let invalidBER = Anomalies(rawValue: 1 << 1)
        /// Bytes follow the message inside the datagram.
        public static let trailingBytes = Anomalies(rawValue: 1 << 2)
        /// A version other than 0, 1 or 3.
        public static let unknownVersion = Anomalies(rawValue: 1 << 3)
        /// A PDU tag that is not one of the nine RFC 3416 / RFC 1157 PDUs.
        public static let unknownPDU = Anomalies(rawValue: 1 << 4)
        /// The community is a factory default (`public` or `private`).
        public static let defaultCommunity = Anomalies(rawValue: 1 << 5)
        /// More varbinds than `maxVarbinds`: the rest were not counted.
        public static let tooManyVarbinds = Anomalies(rawValue: 1 << 6)
        /// An answer with no pending request of its request-id.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 7)
        /// The pending table was full: the oldest request was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 8)
        /// v3 msgFlags with privacy but no authentication (level 2, which RFC 3412 forbids).
        public static let invalidSecurityLevel = Anomalies(rawValue: 1 << 9)
        /// A v3 request other than engine discovery sent without authentication.
        public static let unauthenticated = Anomalies(rawValue: 1 << 10)
        /// A set request in a community-based (v1/v2c) message: a write guarded only by a cleartext string.
        public static let cleartextWrite = Anomalies(rawValue: 1 << 11)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.truncated, "snmp.truncated"),
            (.invalidBER, "snmp.invalid_ber"),
            (.trailingBytes, "snmp.trailing_bytes"),
            (.unknownVersion, "snmp.unknown_version"),
            (.unknownPDU, "snmp.unknown_pdu"),
            (.defaultCommunity, "snmp.default_community"),
            (.tooManyVarbinds, "snmp.too_many_varbinds"),
            (.unsolicitedResponse, "snmp.unsolicited_response"),
            (.pendingOverflow, "snmp.pending_overflow"),
            (.invalidSecurityLevel, "snmp.invalid_security_level"),
            (.unauthenticated, "snmp.unauthenticated"),
            (.cleartextWrite, "snmp.cleartext_write"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] {
            Self.named.compactMap { contains($0.anomaly) ? $0.name : nil }
        }
    }
}
