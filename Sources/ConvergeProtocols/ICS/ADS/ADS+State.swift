import ConvergeModel

extension ADS {
    /// Per-flow state: requests waiting for their responses.
    public struct State: Sendable {
        /// At most this many requests wait per flow; more evict the oldest (an anomaly).
        public static let pendingCapacity = 64
        /// ADS clients time out after seconds: an older request makes room silently.
        public static let requestTimeout = Duration64.seconds(10)

        public var pending = BoundedPendingTable<Pending>(capacity: pendingCapacity, lostAfter: requestTimeout)
        /// Requests dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0

        public init() {}
    }
}
