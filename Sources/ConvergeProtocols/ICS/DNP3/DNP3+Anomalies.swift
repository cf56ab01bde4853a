extension DNP3 {
    /// What was wrong with a frame whose framing was sound, named like Suricata's DNP3 events so
    /// rules can match them (`dnp3.bad_link_crc`).
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// The link header CRC does not match.
        public static let headerCRC = Anomalies(rawValue: 1 << 0)
        /// A data block CRC does not match: the frame's data is discarded.
        public static let dataCRC = Anomalies(rawValue: 1 << 1)
        /// User data on a link function that carries none, or data on a secondary frame.
        public static let unexpectedUserData = Anomalies(rawValue: 1 << 2)
        /// A transport segment out of sequence, without a FIR, or from other link addresses.
        public static let transportSequence = Anomalies(rawValue: 1 << 3)
        /// A repeat of the previous transport segment (discarded).
        public static let duplicateSegment = Anomalies(rawValue: 1 << 4)
        /// A FIR arrived while a fragment was still waiting for its FIN.
        public static let fragmentAbandoned = Anomalies(rawValue: 1 << 5)
        /// The fragment grew past `Transport.maxFragmentLength` and was dropped.
        public static let fragmentTooLong = Anomalies(rawValue: 1 << 6)
        /// A completed fragment too short for its application header.
        public static let fragmentTooShort = Anomalies(rawValue: 1 << 7)
        /// A function code IEEE 1815 does not define.
        public static let unknownFunction = Anomalies(rawValue: 1 << 8)
        /// An object group/variation whose size is unknown: the rest of the fragment is not walked.
        public static let unknownObject = Anomalies(rawValue: 1 << 9)
        /// A qualifier with a reserved range or prefix code, or a prefix that cannot go with it.
        public static let invalidQualifier = Anomalies(rawValue: 1 << 10)
        /// A start–stop range whose stop is below its start.
        public static let invalidRange = Anomalies(rawValue: 1 << 11)
        /// An object header or its objects run past the end of the fragment.
        public static let objectsTruncated = Anomalies(rawValue: 1 << 12)
        /// More object headers than `Objects.maxHeaders`: the rest are not walked.
        public static let tooManyObjectHeaders = Anomalies(rawValue: 1 << 13)
        /// A solicited response with no request of its sequence waiting.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 14)
        /// A request sent towards the master or a response towards the outstation.
        public static let wrongDirection = Anomalies(rawValue: 1 << 15)
        /// More points in one message than `Objects.maxPoints`: the event lists the first ones.
        public static let tooManyPoints = Anomalies(rawValue: 1 << 16)

        /// Every anomaly with its event name, in bit order.
        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.headerCRC, "dnp3.bad_link_crc"),
            (.dataCRC, "dnp3.bad_transport_crc"),
            (.unexpectedUserData, "dnp3.unexpected_user_data"),
            (.transportSequence, "dnp3.transport_sequence"),
            (.duplicateSegment, "dnp3.duplicate_segment"),
            (.fragmentAbandoned, "dnp3.fragment_abandoned"),
            (.fragmentTooLong, "dnp3.fragment_too_long"),
            (.fragmentTooShort, "dnp3.fragment_too_short"),
            (.unknownFunction, "dnp3.unknown_function"),
            (.unknownObject, "dnp3.unknown_object"),
            (.invalidQualifier, "dnp3.invalid_qualifier"),
            (.invalidRange, "dnp3.invalid_range"),
            (.objectsTruncated, "dnp3.objects_truncated"),
            (.tooManyObjectHeaders, "dnp3.too_many_object_headers"),
            (.unsolicitedResponse, "dnp3.unsolicited_response"),
            (.wrongDirection, "dnp3.wrong_direction"),
            (.tooManyPoints, "dnp3.too_many_points"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] {
            Self.named.compactMap { contains($0.anomaly) ? $0.name : nil }
        }
    }
}
