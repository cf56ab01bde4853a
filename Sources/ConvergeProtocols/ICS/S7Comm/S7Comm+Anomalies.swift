extension S7Comm {
    /// What was wrong with a PDU whose TPKT/COTP framing was sound. Names follow Suricata's event
    /// style (`s7comm.length_mismatch`) so rules can match them.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// The header is shorter than its ROSCTR needs.
        public static let truncatedHeader = Anomalies(rawValue: 1 << 0)
        /// Header + parameter length + data length differs from the PDU's size.
        public static let lengthMismatch = Anomalies(rawValue: 1 << 1)
        /// A ROSCTR other than job, ack, ack-data or userdata.
        public static let unknownROSCTR = Anomalies(rawValue: 1 << 2)
        /// A job function or userdata group/subfunction nobody documents.
        public static let unknownFunction = Anomalies(rawValue: 1 << 3)
        /// The parameter or data does not fit its function's layout (item counts exceeding the
        /// bytes, an item spec of the wrong length, a userdata head that is not 00 01 12).
        public static let invalidParameter = Anomalies(rawValue: 1 << 4)
        /// More items than `maxItems`: the rest are not looked at.
        public static let tooManyItems = Anomalies(rawValue: 1 << 5)
        /// A response whose function or type does not fit its request.
        public static let responseMismatch = Anomalies(rawValue: 1 << 6)
        /// A response with no pending request of its PDU reference.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 7)
        /// The pending table was full: the oldest request was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 8)
        /// COTP fragments beyond the reassembly bounds were dropped.
        public static let reassemblyOverflow = Anomalies(rawValue: 1 << 9)
        /// The user PDU's protocol id is not 0x32 (S7comm-plus, or not S7).
        public static let notS7comm = Anomalies(rawValue: 1 << 10)
        /// A PI service name nobody documents.
        public static let unknownPIService = Anomalies(rawValue: 1 << 11)
        /// More than `ISOOnTCP.maxConnectionTPDUs` connection TPDUs in a row.
        public static let connectionFlood = Anomalies(rawValue: 1 << 12)

        /// Every anomaly with its event name, in bit order.
        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.truncatedHeader, "s7comm.truncated_header"),
            (.lengthMismatch, "s7comm.length_mismatch"),
            (.unknownROSCTR, "s7comm.unknown_rosctr"),
            (.unknownFunction, "s7comm.unknown_function"),
            (.invalidParameter, "s7comm.invalid_parameter"),
            (.tooManyItems, "s7comm.too_many_items"),
            (.responseMismatch, "s7comm.response_mismatch"),
            (.unsolicitedResponse, "s7comm.unsolicited_response"),
            (.pendingOverflow, "s7comm.pending_overflow"),
            (.reassemblyOverflow, "s7comm.reassembly_overflow"),
            (.notS7comm, "s7comm.not_s7comm"),
            (.unknownPIService, "s7comm.unknown_pi_service"),
            (.connectionFlood, "s7comm.connection_flood"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] {
            Self.named.compactMap { contains($0.anomaly) ? $0.name : nil }
        }
    }
}
