import ConvergeModel

extension Syslog {
    /// Where a header field lies in the bytes given to `parse`; empty when absent or `-`.
    public struct Field: Sendable, Equatable {
        public var offset = 0
        public var length = 0
        public var isEmpty: Bool { length == 0 }
    }

    /// One syslog message: its PRI and where its header fields and text lie.
    public struct Message: ParsedMessage, Sendable, Equatable {
        public var direction: Direction
        /// The PRI value, -1 when the message has none.
        public var priority = -1
        /// RFC 5424's VERSION, 0 for an RFC 3164 (BSD) message.
        public var version: UInt8 = 0
        public var timestamp = Field()
        public var hostname = Field()
        public var appName = Field()
        public var procID = Field()
        public var msgID = Field()
        public var text = Field()
        /// Bytes the message took (a TCP frame's header included).
        public var length = 0
        public var anomalies = Anomalies(rawValue: 0)

        public init(direction: Direction) { self.direction = direction }

        public var severity: Int { priority >= 0 ? priority & 7 : -1 }
        public var facility: Int { priority >= 0 ? priority >> 3 : -1 }
        /// `syslog.level`.
        public var functionCode: Int { severity }
        public var hasFunction: Bool { priority >= 0 && priority <= Syslog.maxPriority }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// No `<PRI>` at the start.
        public static let noPriority = Anomalies(rawValue: 1 << 0)
        /// A PRI above 191.
        public static let badPriority = Anomalies(rawValue: 1 << 1)
        /// A TCP frame longer than `SyslogTCP.maxFrameLength`, or a line without its end within
        /// it: cut there.
        public static let truncated = Anomalies(rawValue: 1 << 2)
        /// An RFC 5424 header missing fields or structured data that does not close.
        public static let badHeader = Anomalies(rawValue: 1 << 3)

        static let named: [(Anomalies, String)] = [
            (.noPriority, "syslog_no_pri"), (.badPriority, "syslog_bad_pri"), (.truncated, "syslog_truncated"),
            (.badHeader, "syslog_bad_header"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
