import ConvergeModel

extension S7CommPlus {
    /// Per-flow state: the session, its protection, open multi-PDU messages, pending requests.
    public struct State: Sendable {
        public var cotp = ISOOnTCP.Reassembly()
        /// The session id of the latest request (0 until one is seen).
        public var sessionID: UInt32 = 0
        public var security: Security = .none
        public var pending = PendingTable()
        /// Per direction: the last message had no trailer, so the next PDU continues it.
        var continuesToServer = false
        var continuesToClient = false

        public init() {}

        func continues(_ direction: Direction) -> Bool {
            direction == .toServer ? continuesToServer : continuesToClient
        }

        mutating func setContinues(_ direction: Direction, _ value: Bool) {
            if direction == .toServer { continuesToServer = value } else { continuesToClient = value }
        }
    }

    public struct Pending: Sendable, Equatable {
        public var sequence: UInt16
        public var function: UInt16
        public var time: Timestamp
    }

    /// Requests by sequence number, bounded; the oldest makes room.
    public struct PendingTable: Sendable {
        public static let capacity = 64
        private var table = BoundedPendingTable<Pending>(capacity: capacity, lostAfter: nil)

        public init() {}

        public var count: Int { table.count }

        /// Adds or replaces; true when a request had to be dropped to make room.
        mutating func insert(_ request: Pending) -> Bool { table.insert(request) }

        mutating func take(sequence: UInt16) -> Pending? { table.take(sequence) }
    }
}

extension S7CommPlus.Pending: PendingRequest {
    public var pendingKey: UInt16 { sequence }
}
