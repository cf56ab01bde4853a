import ConvergeModel

extension FINS {
    /// Per-flow state: commands waiting for responses.
    public struct State: Sendable {
        public var pending = PendingTable()
        /// Commands dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0
        public init() {}
    }

    /// Pending commands keyed by service id (one byte, so at most 256 distinct), bounded.
    public struct PendingTable: Sendable {
        /// At most this many commands wait per flow; more evict the oldest (an anomaly).
        public static let capacity = 32
        /// FINS clients retry after about 2 s; an older unanswered command was lost.
        public static let requestTimeout = Duration64.seconds(10)
        private var table = BoundedPendingTable<Pending>(capacity: capacity, lostAfter: requestTimeout)

        public init() {}
        public var count: Int { table.count }
        public var unanswered: UInt64 { table.unanswered }
        mutating func insert(_ request: Pending) -> Bool { table.insert(request) }
        mutating func take(serviceID: UInt8) -> Pending? { table.take(serviceID) }
    }
}

extension FINS.Pending: PendingRequest {
    public var pendingKey: UInt8 { serviceID }
}
