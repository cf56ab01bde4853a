import ConvergeModel

extension C37118 {
    /// At most this many PMU blocks are read from one configuration frame (a PDC's CFG-2 with more
    /// is flagged and not kept).
    public static let maxPMUs = 64
    /// At most this many phasor, analog or digital channels are kept per PMU.
    public static let maxChannels = 256

    /// One frame as parsed: the common header, and what the body says without keeping it.
    public struct Frame: ParsedMessage, Sendable {
        public var type: FrameType
        /// 1 = C37.118-2005, 2 = C37.118.2-2011.
        public var version: UInt8
        public var frameSize: Int
        /// The stream's IDCODE (data stream source).
        public var idcode: UInt16
        /// Second of century (UNIX time) and the fraction of second in TIME_BASE units.
        public var soc: UInt32
        public var timeQuality: UInt8
        public var fraction: UInt32
        /// Command frames: the command word (1 off, 2 on, 3 send header, 4/5/6 send CFG-1/2/3, 8 extended).
        public var command: UInt16? = nil
        /// Configuration frames: TIME_BASE, NUM_PMU and DATA_RATE.
        public var timeBase: UInt32 = 0
        public var pmuCount = 0
        public var dataRate: Int16 = 0
        public var anomalies = Anomalies()

        public var functionCode: Int { Int(type.rawValue) }
        public var hasFunction: Bool { true }
    }

    /// What was wrong with a frame, as a bit set (no allocation while parsing).
    public struct Anomalies: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The CRC-CCITT does not match the frame.
        public static let badChecksum = Anomalies(rawValue: 1 << 0)
        /// The body ends before its fields do.
        public static let truncatedBody = Anomalies(rawValue: 1 << 1)
        /// A configuration's blocks and the frame size disagree.
        public static let lengthMismatch = Anomalies(rawValue: 1 << 2)
        /// More PMU blocks than `maxPMUs`.
        public static let tooManyPMUs = Anomalies(rawValue: 1 << 3)
        /// A data frame whose size does not match the stream's configuration.
        public static let configurationMismatch = Anomalies(rawValue: 1 << 4)

        /// Names as rules see them (`c37118.<name>`).
        public var names: [String] {
            var names: [String] = []
            if contains(.badChecksum) { names.append("c37118.bad_checksum") }
            if contains(.truncatedBody) { names.append("c37118.invalid_length") }
            if contains(.lengthMismatch) { names.append("c37118.length_mismatch") }
            if contains(.tooManyPMUs) { names.append("c37118.too_many_pmus") }
            if contains(.configurationMismatch) { names.append("c37118.configuration_mismatch") }
            return names
        }
    }
}
