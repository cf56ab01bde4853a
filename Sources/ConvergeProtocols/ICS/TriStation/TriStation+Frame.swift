import ConvergeModel

extension TriStation {
    /// Byte 0: the TCM message type.
    public enum TCMType: UInt8, Sendable, Equatable {
        case connectRequest = 1
        case connectReply = 2
        case disconnectReply = 3
        case disconnectRequest = 4
        /// Carries a TriStation command or its reply (the path byte says which way).
        case command = 5
        case ping = 6
        case connectionLimitReached = 7
        case notConnected = 8
        case mpsAreDead = 9
        case accessDenied = 10
        case connectionFailed = 11

        public var name: String {
            switch self {
            case .connectRequest: "connect_request"
            case .connectReply: "connect_reply"
            case .disconnectReply: "disconnect_reply"
            case .disconnectRequest: "disconnect_request"
            case .command: "command"
            case .ping: "ping"
            case .connectionLimitReached: "connection_limit_reached"
            case .notConnected: "not_connected"
            case .mpsAreDead: "mps_are_dead"
            case .accessDenied: "access_denied"
            case .connectionFailed: "connection_failed"
            }
        }

        /// Refusals of the session: an exception status on the event.
        public var isRefusal: Bool { rawValue >= 7 }
    }

    /// One TriStation datagram as parsed.
    public struct Frame: ParsedMessage, Equatable {
        public var type: TCMType
        public var direction: Direction
        /// Bytes of the datagram.
        public var length: Int
        public var channel: UInt8 = 0
        public var dataLength = 0
        /// 0 workstation → controller, 1 controller → workstation.
        public var path: UInt8 = 0
        public var connectionID: UInt8 = 0
        public var command: UInt8 = 0
        public var hasCommand = false
        public var sequence: UInt8 = 0
        public var tsLength = 0
        /// From a Get CP status reply: key switch (0 stop, 1 program, 2 run, 3 remote) and run
        /// state (0 running, 1 halted, 2 paused).
        public var keyState: UInt8?
        public var runState: UInt8?
        public var anomalies: Anomalies = []

        init(type: TCMType, direction: Direction, length: Int) {
            self.type = type
            self.direction = direction
            self.length = length
        }

        public var functionCode: Int { Int(command) }
        public var hasFunction: Bool { hasCommand }
    }

    /// Per-flow state: what the controller last said of its program.
    public struct State: Sendable {
        /// nil until a status reply or a run/halt/pause reply is seen.
        public var running: Bool?
        public var keyState: UInt8?
        public var programChanges: UInt64 = 0
        public init() {}
    }

    /// What was wrong with a well-framed message.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let unknownCommand = Anomalies(rawValue: 1 << 0)
        /// The TriStation length field disagrees with the TCM data length.
        public static let lengthMismatch = Anomalies(rawValue: 1 << 1)
        public static let trailingBytes = Anomalies(rawValue: 1 << 2)
        /// A controller reply sent by the client, or the reverse.
        public static let wrongDirection = Anomalies(rawValue: 1 << 3)
        /// A program download, allocation or append sent while the controller's program runs:
        /// what TRITON did to inject its payload into a live safety controller.
        public static let programToRunningController = Anomalies(rawValue: 1 << 4)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.unknownCommand, "tristation.unknown_command"),
            (.lengthMismatch, "tristation.length_mismatch"),
            (.trailingBytes, "tristation.trailing_bytes"),
            (.wrongDirection, "tristation.wrong_direction"),
            (.programToRunningController, "tristation.program_to_running_controller"),
        ]
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
