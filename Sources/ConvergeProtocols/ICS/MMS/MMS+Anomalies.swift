extension MMS {
    /// What was wrong with a user PDU whose TPKT/COTP framing was sound.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// A session SPDU or parameter length runs past the PDU.
        public static let sessionLength = Anomalies(rawValue: 1 << 0)
        /// Presentation or ACSE encoding that could not be read.
        public static let presentationMalformed = Anomalies(rawValue: 1 << 1)
        /// An MMS PDU whose BER could not be read, or a choice MMS does not define.
        public static let malformedPDU = Anomalies(rawValue: 1 << 2)
        /// A confirmed service tag beyond those ISO 9506 defines.
        public static let unknownService = Anomalies(rawValue: 1 << 3)
        /// A response or error with no pending request of its invoke id.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 4)
        /// A response whose service differs from its request's.
        public static let responseMismatch = Anomalies(rawValue: 1 << 5)
        /// The pending table was full: the oldest request was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 6)
        /// COTP fragments beyond the reassembly bounds, or a flood of connection TPDUs.
        public static let reassemblyOverflow = Anomalies(rawValue: 1 << 7)
        public static let connectionFlood = Anomalies(rawValue: 1 << 8)
        /// Bytes after COTP that are not a session SPDU or an MMS PDU.
        public static let notMMS = Anomalies(rawValue: 1 << 9)
        /// An AARQ carrying an authentication value (a password sent in the clear).
        public static let cleartextPassword = Anomalies(rawValue: 1 << 10)
        /// An association (AARE) or initiate that the peer refused.
        public static let associationRejected = Anomalies(rawValue: 1 << 11)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.sessionLength, "mms.session_length"),
            (.presentationMalformed, "mms.presentation_malformed"),
            (.malformedPDU, "mms.malformed_pdu"),
            (.unknownService, "mms.unknown_service"),
            (.unsolicitedResponse, "mms.unsolicited_response"),
            (.responseMismatch, "mms.response_mismatch"),
            (.pendingOverflow, "mms.pending_overflow"),
            (.reassemblyOverflow, "mms.reassembly_overflow"),
            (.connectionFlood, "mms.connection_flood"),
            (.notMMS, "mms.not_mms"),
            (.cleartextPassword, "mms.cleartext_password"),
            (.associationRejected, "mms.association_rejected"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
