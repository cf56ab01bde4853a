extension IEC104 {
    /// What was wrong with an APDU whose framing was sound, named for rules (`iec104.short_asdu`).
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// A length byte above the spec's 253, an S/U frame with ASDU bytes, or ASDU bytes beyond
        /// the declared objects.
        public static let invalidLength = Anomalies(rawValue: 1 << 0)
        /// The ASDU is shorter than its header, or its declared objects exceed its bytes.
        public static let shortASDU = Anomalies(rawValue: 1 << 1)
        /// An S frame with bits set beyond its format, or a U frame not naming exactly one function.
        public static let invalidControlField = Anomalies(rawValue: 1 << 2)
        /// A type id no standard defines.
        public static let unknownTypeID = Anomalies(rawValue: 1 << 3)
        /// A cause of transmission no standard defines (including 0).
        public static let unknownCause = Anomalies(rawValue: 1 << 4)
        /// The variable structure qualifier declares no objects.
        public static let noObjects = Anomalies(rawValue: 1 << 5)
        /// SQ = 1 on a command type, which addresses single objects only.
        public static let invalidStructure = Anomalies(rawValue: 1 << 6)
        /// The test bit of the cause of transmission is set.
        public static let testMode = Anomalies(rawValue: 1 << 7)
        /// An I frame's send sequence number skips ahead: frames in between were never seen.
        public static let sequenceGap = Anomalies(rawValue: 1 << 8)
        /// An I frame's send sequence number was already used (a repeat or replay).
        public static let sequenceDuplicate = Anomalies(rawValue: 1 << 9)
        /// A receive sequence number acknowledges I frames the other side has not sent.
        public static let invalidAcknowledgement = Anomalies(rawValue: 1 << 10)
        /// A confirmation (activation/deactivation con) with no activation pending.
        public static let unsolicitedConfirmation = Anomalies(rawValue: 1 << 11)
        /// The pending table was full: the oldest activation was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 12)
        /// An I frame while data transfer is stopped (after STOPDT con, before STARTDT con).
        public static let dataWhileStopped = Anomalies(rawValue: 1 << 13)
        /// A CP56Time2a whose fields are out of range (month 0, minute 60 …).
        public static let invalidTime = Anomalies(rawValue: 1 << 14)

        /// Every anomaly with its event name, in bit order.
        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.invalidLength, "iec104.invalid_length"),
            (.shortASDU, "iec104.short_asdu"),
            (.invalidControlField, "iec104.invalid_control_field"),
            (.unknownTypeID, "iec104.unknown_type_id"),
            (.unknownCause, "iec104.unknown_cause"),
            (.noObjects, "iec104.no_objects"),
            (.invalidStructure, "iec104.invalid_structure"),
            (.testMode, "iec104.test_mode"),
            (.sequenceGap, "iec104.sequence_gap"),
            (.sequenceDuplicate, "iec104.sequence_duplicate"),
            (.invalidAcknowledgement, "iec104.invalid_acknowledgement"),
            (.unsolicitedConfirmation, "iec104.unsolicited_confirmation"),
            (.pendingOverflow, "iec104.pending_overflow"),
            (.dataWhileStopped, "iec104.data_while_stopped"),
            (.invalidTime, "iec104.invalid_time"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] {
            Self.named.compactMap { contains($0.anomaly) ? $0.name : nil }
        }
    }
}
