extension PROFINET {
    /// What was wrong with (or worth flagging in) a PROFINET frame whose header was read.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// DCPDataLength runs past the end of the frame.
        public static let invalidLength = Anomalies(rawValue: 1 << 0)
        /// A block's length runs past the DCP data.
        public static let truncatedBlock = Anomalies(rawValue: 1 << 1)
        /// More than `maxBlocks` blocks: the rest were not read.
        public static let tooManyBlocks = Anomalies(rawValue: 1 << 2)
        /// A block shorter than its fixed fields (an IP block under 12 bytes, …).
        public static let badBlockLength = Anomalies(rawValue: 1 << 3)
        /// A DCP service id other than 3…6, or a service type with unknown bits.
        public static let unknownService = Anomalies(rawValue: 1 << 4)
        /// A DCP service on the wrong FrameID (a get/set on 0xFEFE, …).
        public static let serviceFrameMismatch = Anomalies(rawValue: 1 << 5)
        /// A set request of a station name or IP parameters: a device being renamed or readdressed.
        public static let dcpSet = Anomalies(rawValue: 1 << 6)
        /// A set request resetting a device to its factory settings (erases name and address).
        public static let factoryReset = Anomalies(rawValue: 1 << 7)
        /// A station name with bytes the spec forbids (only a-z, 0-9, '-', '.').
        public static let invalidStationName = Anomalies(rawValue: 1 << 8)
        /// A cyclic or alarm frame too short for its trailer/header.
        public static let truncatedFrame = Anomalies(rawValue: 1 << 9)
        /// The IP block's conflict bit: another device holds this address.
        public static let addressConflict = Anomalies(rawValue: 1 << 10)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.invalidLength, "profinet.invalid_length"),
            (.truncatedBlock, "profinet.truncated_block"),
            (.tooManyBlocks, "profinet.too_many_blocks"),
            (.badBlockLength, "profinet.bad_block_length"),
            (.unknownService, "profinet.unknown_service"),
            (.serviceFrameMismatch, "profinet.service_frame_mismatch"),
            (.dcpSet, "profinet.dcp_set"),
            (.factoryReset, "profinet.dcp_factory_reset"),
            (.invalidStationName, "profinet.invalid_station_name"),
            (.truncatedFrame, "profinet.truncated_frame"),
            (.addressConflict, "profinet.address_conflict"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
