import ConvergeModel

extension MMS {
    /// Per-flow state: the COTP reassembly buffer, confirmed requests waiting for responses and
    /// the presentation context ids the CP proposed.
    public struct State: Sendable, ISOOnTCPFlowState {
        /// Requests in flight per flow at most (MMS negotiates maxServOutstanding, usually ≤ 10).
        public static let pendingCapacity = 64
        /// A request unanswered this long is taken as lost and makes room silently.
        public static let requestTimeout = Duration64.seconds(30)

        public var cotp = ISOOnTCP.Reassembly()
        public var pending = BoundedPendingTable<Pending>(capacity: pendingCapacity, lostAfter: requestTimeout)
        public var pendingOverflows: UInt64 = 0
        public var mmsContextID: Int32 = -1
        public var acseContextID: Int32 = -1

        public init() {}
    }
}
