import ConvergeModel

extension FINS {
    /// One FINS frame as parsed: header fields and codes, offsets into the bytes, no copies.
    public struct Frame: ParsedMessage, Equatable {
        public var direction: Direction
        /// Where the FINS frame starts in the parsed bytes (0 over UDP, after the FINS/TCP header).
        public var frameOffset = 0
        public var frameLength = 0
        public var icf: UInt8 = 0
        public var reserved: UInt8 = 0
        public var gatewayCount: UInt8 = 0
        public var destinationNetwork: UInt8 = 0
        public var destinationNode: UInt8 = 0
        public var destinationUnit: UInt8 = 0
        public var sourceNetwork: UInt8 = 0
        public var sourceNode: UInt8 = 0
        public var sourceUnit: UInt8 = 0
        public var serviceID: UInt8 = 0
        /// MRC × 256 + SRC.
        public var command: UInt16 = 0
        /// False for a FINS/TCP message without a FINS frame (node address exchange).
        public var hasCommand = false
        /// MRES × 256 + SRES of a response.
        public var endCode: UInt16 = 0
        public var hasEndCode = false
        /// FINS/TCP header command and error code (0 over UDP).
        public var tcpCommand: UInt32 = 0
        public var tcpErrorCode: UInt32 = 0
        public var isTCP = false
        public var anomalies: Anomalies = []
        /// The request a response answers, when it was seen.
        public var request: Pending?
        public var roundTripNanoseconds: Int64?

        public init(direction: Direction) { self.direction = direction }

        public var functionCode: Int { Int(command) }
        public var hasFunction: Bool { hasCommand }
        public var isResponse: Bool { icf & FINS.icfResponse != 0 }
        public var mainCode: UInt8 { UInt8(truncatingIfNeeded: command >> 8) }
        public var subCode: UInt8 { UInt8(truncatingIfNeeded: command) }
        /// Offset of the command data (after the command code, and the end code of a response).
        public var dataOffset: Int { frameOffset &+ (isResponse ? FINS.minResponseLength : FINS.minFrameLength) }
        public var frameEnd: Int { frameOffset &+ frameLength }
    }

    /// A command waiting for its response, with the fields the response needs to name its data.
    public struct Pending: Sendable, Equatable {
        public var serviceID: UInt8
        public var command: UInt16
        /// First data byte: memory area code (0101/0102), request kind (0501) …
        public var area: UInt8
        /// Word address × 256 + bit (memory area commands).
        public var address: UInt32
        /// Number of items (memory area commands).
        public var count: UInt16
        /// Command data bytes after the command code.
        public var dataLength: UInt16
        public var time: Timestamp
    }

    /// What was wrong with a frame whose framing was sound.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Reserved ICF bits or RSV set, or a gateway count above 7.
        public static let invalidHeader = Anomalies(rawValue: 1 << 0)
        /// A frame longer than the manual allows, a response without end code, a FINS/TCP length
        /// that disagrees with the frame, or a command body shorter than its layout.
        public static let invalidLength = Anomalies(rawValue: 1 << 1)
        /// A command code the manual does not define.
        public static let unknownCommand = Anomalies(rawValue: 1 << 2)
        /// A response whose command differs from its request's.
        public static let responseMismatch = Anomalies(rawValue: 1 << 3)
        /// A response with no pending request of its service id.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 4)
        /// The pending table was full: the oldest request was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 5)
        /// A FINS/TCP header command the spec does not define.
        public static let unknownTCPCommand = Anomalies(rawValue: 1 << 6)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.invalidHeader, "fins.invalid_header"),
            (.invalidLength, "fins.invalid_length"),
            (.unknownCommand, "fins.unknown_command"),
            (.responseMismatch, "fins.response_mismatch"),
            (.unsolicitedResponse, "fins.unsolicited_response"),
            (.pendingOverflow, "fins.pending_overflow"),
            (.unknownTCPCommand, "fins.unknown_tcp_command"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
