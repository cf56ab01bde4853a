import ConvergeModel

extension MELSEC {
    /// Which binary frame a subheader names.
    public enum FrameKind: Sendable, Equatable {
        case request3E, response3E, request4E, response4E

        init?(subheader: UInt8) {
            switch subheader {
            case MELSEC.request3E: self = .request3E
            case MELSEC.response3E: self = .response3E
            case MELSEC.request4E: self = .request4E
            case MELSEC.response4E: self = .response4E
            default: return nil
            }
        }

        public var isResponse: Bool { self == .response3E || self == .response4E }
        public var is4E: Bool { self == .request4E || self == .response4E }
        /// Bytes up to and including the data length field.
        public var headerLength: Int { is4E ? MELSEC.header4ELength : MELSEC.header3ELength }
    }

    /// One MC frame as parsed.
    public struct Frame: ParsedMessage, Equatable {
        public var kind: FrameKind
        public var direction: Direction
        /// Bytes of the whole frame.
        public var length: Int
        public var serial: UInt16 = 0
        public var network: UInt8 = 0
        public var pc: UInt8 = 0
        public var moduleIO: UInt16 = 0
        public var station: UInt8 = 0
        public var timer: UInt16 = 0
        /// The request's command; a response has it from its request.
        public var command: UInt16 = 0
        public var subcommand: UInt16 = 0
        public var hasCommand = false
        /// ASCII code frame: every field was hexadecimal text; offsets count characters.
        public var isASCII = false
        public var endCode: UInt16 = 0
        public var anomalies: Anomalies = []
        public var request: Pending?
        public var roundTripNanoseconds: Int64?

        init(kind: FrameKind, direction: Direction, length: Int) {
            self.kind = kind
            self.direction = direction
            self.length = length
        }

        public var functionCode: Int { Int(command) }
        public var hasFunction: Bool { hasCommand }
        public var isResponse: Bool { kind.isResponse }
        /// Offset of the request data (after the subcommand) or response data (after the end code).
        public var dataOffset: Int {
            isASCII
                ? MELSEC.asciiHeaderLength(kind) &+ (isResponse ? 4 : 12) : kind.headerLength &+ (isResponse ? 2 : 6)
        }
    }

    /// A request waiting for its response.
    public struct Pending: Sendable, Equatable {
        /// 4E serial number; 0 for 3E, whose responses come back in order.
        public var serial: UInt16
        public var command: UInt16
        public var subcommand: UInt16
        /// Head device and points of a device read or write.
        public var device: Device?
        public var time: Timestamp
    }

    /// Per-flow state: requests keyed by serial number (3E: all 0, so the newest replaces the one
    /// before), at most 32, lost after 10 s.
    public typealias State = PendingRequestState<Pending>
    static let pendingCapacity = 32
    static let requestTimeout = Duration64.seconds(10)

    /// What was wrong with a well-framed message.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let unknownCommand = Anomalies(rawValue: 1 << 0)
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 1)
        public static let pendingOverflow = Anomalies(rawValue: 1 << 2)
        /// A request sent by the server or a response by the client.
        public static let wrongDirection = Anomalies(rawValue: 1 << 3)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.unknownCommand, "melsec.unknown_command"),
            (.unsolicitedResponse, "melsec.unsolicited_response"),
            (.pendingOverflow, "melsec.pending_overflow"),
            (.wrongDirection, "melsec.wrong_direction"),
        ]
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}

extension MELSEC.Pending: PendingRequest {
    public var pendingKey: UInt16 { serial }
}
