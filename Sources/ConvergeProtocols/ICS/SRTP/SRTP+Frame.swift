import ConvergeModel

extension SRTP {
    /// Byte 0 of every message.
    public enum PacketType: UInt8, Sendable, Equatable {
        case initialize = 0x00
        case initializeAck = 0x01
        case request = 0x02
        case response = 0x03
        case error = 0x05
        /// A request carrying service 0x4F (session control), sent by SNPX clients after the init.
        case sessionControl = 0x08

        public var isFromClient: Bool { self == .initialize || self == .request || self == .sessionControl }
    }

    /// Byte 31: the mailbox message type.
    public enum MailboxType: UInt8, Sendable, Equatable {
        case textRequest = 0x80
        case textAck = 0x94
        case shortRequest = 0xC0
        case errorNack = 0xD1
        case shortAck = 0xD4

        public var isRequest: Bool { self == .shortRequest || self == .textRequest }
    }

    /// The PLC status a short ACK carries in bytes 50–55 ("piggyback" status).
    public struct Piggyback: Sendable, Equatable {
        public var controlProgram: UInt8
        public var privilegeLevel: UInt8
        /// Last sweep time, milliseconds.
        public var lastSweep: UInt16
        public var statusWord: UInt16
    }

    /// One SRTP message as parsed.
    public struct Frame: ParsedMessage, Equatable {
        public var type: PacketType
        public var direction: Direction
        /// Header plus text.
        public var length: Int
        public var sequence: UInt8 = 0
        public var mailboxSequence: UInt8 = 0
        public var mailboxType: UInt8 = 0
        /// Service request code (a short answer has it from its request).
        public var service: UInt8 = 0
        public var hasService = false
        public var selector: UInt8 = 0
        /// Memory index (0-based: %R1 is 0) and count in the selector's units.
        public var index: UInt16 = 0
        public var count: UInt16 = 0
        public var statusMajor: UInt8 = 0
        public var statusMinor: UInt8 = 0
        public var piggyback: Piggyback?
        public var request: Pending?
        public var roundTripNanoseconds: Int64?
        public var anomalies: Anomalies = []

        init(type: PacketType, direction: Direction, length: Int) {
            self.type = type
            self.direction = direction
            self.length = length
        }

        public var functionCode: Int { Int(service) }
        public var hasFunction: Bool { hasService }
        public var isAnswer: Bool { !type.isFromClient }
        public var textLength: Int { length &- SRTP.headerLength }
    }

    /// A request waiting for its answer.
    public struct Pending: Sendable, Equatable {
        public var sequence: UInt8
        public var service: UInt8
        public var selector: UInt8
        public var index: UInt16
        public var count: UInt16
        public var time: Timestamp
    }

    /// Per-flow state: requests keyed by mailbox sequence number, at most 32, lost after 10 s.
    public typealias State = PendingRequestState<Pending>
    static let pendingCapacity = 32
    static let requestTimeout = Duration64.seconds(10)

    /// What was wrong with a well-framed message.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let unknownService = Anomalies(rawValue: 1 << 0)
        public static let unknownMailboxType = Anomalies(rawValue: 1 << 1)
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 2)
        public static let pendingOverflow = Anomalies(rawValue: 1 << 3)
        /// A client packet type sent by the server, or the reverse.
        public static let wrongDirection = Anomalies(rawValue: 1 << 4)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.unknownService, "srtp.unknown_service"),
            (.unknownMailboxType, "srtp.unknown_mailbox_type"),
            (.unsolicitedResponse, "srtp.unsolicited_response"),
            (.pendingOverflow, "srtp.pending_overflow"),
            (.wrongDirection, "srtp.wrong_direction"),
        ]
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}

extension SRTP.Pending: PendingRequest {
    public var pendingKey: UInt8 { sequence }
}
