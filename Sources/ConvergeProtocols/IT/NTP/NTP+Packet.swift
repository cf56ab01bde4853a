import ConvergeModel

extension NTP {
    /// One NTP datagram's header as scalars.
    public struct Packet: ParsedMessage, Sendable, Equatable {
        /// `ntp.flags.mode`.
        public var mode: UInt8 = 0
        public var functionCode: Int { Int(mode) }
        public var hasFunction: Bool { true }

        public var direction: Direction = .toServer
        public var leap: UInt8 = 0
        public var version: UInt8 = 0
        /// Modes 1–5: stratum, poll exponent and reference id (valid when `hasHeader`).
        public var stratum: UInt8 = 0
        public var poll: Int8 = 0
        public var referenceID: UInt32 = 0
        /// Whether the header the mode needs was all there.
        public var hasHeader = false
        /// Modes 6 and 7: a reply (response bit), and the opcode (mode 6) or request code (mode 7).
        public var isReply = false
        public var opcode: UInt8 = 0
        public var length = 0
        public var anomalies: Anomalies = []
        public init() {}
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Shorter than the header its mode needs.
        public static let truncated = Anomalies(rawValue: 1 << 0)
        /// Version 0 or above 4.
        public static let unknownVersion = Anomalies(rawValue: 1 << 1)
        /// A mode 6 control query (reads or writes the server's variables: reconnaissance).
        public static let controlQuery = Anomalies(rawValue: 1 << 2)
        /// A mode 7 private query (ntpd's implementation-specific requests).
        public static let privateQuery = Anomalies(rawValue: 1 << 3)
        /// A mode 7 monlist request: the known DDoS amplifier (CVE-2013-5211).
        public static let monlist = Anomalies(rawValue: 1 << 4)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.truncated, "ntp.truncated"),
            (.unknownVersion, "ntp.unknown_version"),
            (.controlQuery, "ntp.control_query"),
            (.privateQuery, "ntp.private_query"),
            (.monlist, "ntp.monlist"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
