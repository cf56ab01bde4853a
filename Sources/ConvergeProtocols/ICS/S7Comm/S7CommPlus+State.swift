import ConvergeModel

extension S7CommPlus {
    /// Per-flow state: the session, its protection, open multi-PDU messages, pending requests.
    public struct State: Sendable, ISOOnTCPFlowState {
        public var cotp = ISOOnTCP.Reassembly()
        /// The session id of the latest request (0 until one is seen).
        public var sessionID: UInt32 = 0
        public var security: Security = .none
        /// Requests by sequence number; a full table drops the oldest (and says so).
        public var pending = BoundedPendingTable<Pending>(capacity: pendingCapacity, lostAfter: nil)
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

    /// Requests in flight kept per flow at most.
    public static let pendingCapacity = 64

    public struct Pending: Sendable, Equatable {
        public var sequence: UInt16
        public var function: UInt16
        public var time: Timestamp
    }
}

extension S7CommPlus.Pending: PendingRequest {
    public var pendingKey: UInt16 { sequence }
}
