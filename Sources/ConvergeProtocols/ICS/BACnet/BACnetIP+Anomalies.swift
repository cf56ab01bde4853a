extension BACnetIP {
    /// What was wrong with a datagram whose BVLC framing was sound. Names follow the
    /// `<proto>.<snake_case>` style rules match on.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// The BVLC length disagrees with the datagram, or a BVLC body with its function's layout.
        public static let invalidLength = Anomalies(rawValue: 1 << 0)
        /// The datagram ends before the BVLC length or before a header it announces (snaplen cut).
        public static let truncated = Anomalies(rawValue: 1 << 1)
        public static let unknownBVLCFunction = Anomalies(rawValue: 1 << 2)
        /// NPDU version other than 1: nothing after it is decoded.
        public static let invalidNPDUVersion = Anomalies(rawValue: 1 << 3)
        /// SLEN 0, SNET 0xFFFF, or a MAC address longer than `maxMACLength`.
        public static let invalidAddress = Anomalies(rawValue: 1 << 4)
        public static let unknownPDUType = Anomalies(rawValue: 1 << 5)
        public static let unknownService = Anomalies(rawValue: 1 << 6)
        /// Service parameters whose tags overrun, do not balance or use reserved encodings.
        public static let malformedTags = Anomalies(rawValue: 1 << 7)
        /// Constructed values nested deeper than `maxTagDepth`.
        public static let tagDepthExceeded = Anomalies(rawValue: 1 << 8)
        /// An answer (ack, error, reject, server abort) with no pending request.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 9)
        /// An answer whose service differs from its request's.
        public static let responseMismatch = Anomalies(rawValue: 1 << 10)
        /// The pending table was full of live requests: the oldest was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 11)
        /// DeviceCommunicationControl or ReinitializeDevice carrying a password (sent in the clear).
        public static let cleartextPassword = Anomalies(rawValue: 1 << 12)
        /// An error or reject/abort reason outside the standard's enumerations.
        public static let invalidReason = Anomalies(rawValue: 1 << 13)
        /// A segment seen before (a retransmission); it is not appended twice.
        public static let duplicateSegment = Anomalies(rawValue: 1 << 14)
        /// A segment that is not the next of its message (a gap, or no first segment seen).
        public static let segmentOutOfOrder = Anomalies(rawValue: 1 << 15)
        /// A segmented message over `maxReassemblyBytes` or `maxSegmentsPerMessage`, cut short,
        /// or one of more than `maxSegmentedMessages` at once: counted, not decoded.
        public static let reassemblyOverflow = Anomalies(rawValue: 1 << 16)
        /// A proposed or actual window size of 0 or above 127.
        public static let invalidWindowSize = Anomalies(rawValue: 1 << 17)

        /// Every anomaly with its event name, in bit order.
        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.invalidLength, "bacnet.invalid_length"),
            (.truncated, "bacnet.truncated"),
            (.unknownBVLCFunction, "bacnet.unknown_bvlc_function"),
            (.invalidNPDUVersion, "bacnet.invalid_npdu_version"),
            (.invalidAddress, "bacnet.invalid_address"),
            (.unknownPDUType, "bacnet.unknown_pdu_type"),
            (.unknownService, "bacnet.unknown_service"),
            (.malformedTags, "bacnet.malformed_tags"),
            (.tagDepthExceeded, "bacnet.tag_depth_exceeded"),
            (.unsolicitedResponse, "bacnet.unsolicited_response"),
            (.responseMismatch, "bacnet.response_mismatch"),
            (.pendingOverflow, "bacnet.pending_overflow"),
            (.cleartextPassword, "bacnet.cleartext_password"),
            (.invalidReason, "bacnet.invalid_reason"),
            (.duplicateSegment, "bacnet.duplicate_segment"),
            (.segmentOutOfOrder, "bacnet.segment_out_of_order"),
            (.reassemblyOverflow, "bacnet.reassembly_overflow"),
            (.invalidWindowSize, "bacnet.invalid_window_size"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] {
            Self.named.compactMap { contains($0.anomaly) ? $0.name : nil }
        }
    }
}
