import ConvergeModel

extension BACnetIP {
    /// Per-flow state: confirmed requests waiting for their answers, and segmented messages
    /// being reassembled.
    public struct State: Sendable {
        public var pending = PendingTable()
        /// Requests dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0
        /// Segmented requests and complex acks being put back together.
        public var segments = SegmentReassembly()
        public init() {}
    }

    /// What names a confirmed transaction: the invoke id, the direction the request travelled
    /// and both ends' NPDU routing addresses mixed (so requests to different routed devices
    /// behind one router stay apart).
    public struct TransactionKey: Sendable, Equatable {
        public var invokeID: UInt8
        public var direction: Direction
        public var route: UInt64
    }

    /// Pending confirmed requests on the shared `BoundedPendingTable`, bounded by `capacity`.
    public struct PendingTable: Sendable {
        /// At most this many requests wait per flow (an invoke id is a byte, so 256 per direction
        /// is the protocol's own ceiling); more evict the oldest.
        public static let capacity = 64
        /// BACnet clients give up after APDU-Timeout × retries (3 s × 3 by default); a request
        /// unanswered this long is taken as lost and makes room silently.
        public static let requestTimeout = Duration64.seconds(30)

        private var table = BoundedPendingTable<Pending>(capacity: capacity, lostAfter: requestTimeout)

        public init() {}

        public var count: Int { table.count }
        /// Requests dropped unanswered: replaced by a retry with the same key, or dropped to make room.
        public var unanswered: UInt64 { table.unanswered }

        /// Adds or replaces the request with this key. Returns true when the table was full of
        /// requests younger than `requestTimeout` and the oldest was dropped to make room.
        mutating func insert(_ request: Pending) -> Bool { table.insert(request) }

        /// Removes and returns the request with this key.
        mutating func take(_ key: TransactionKey) -> Pending? { table.take(key) }

        /// The request with this key, left in the table (a segment of a longer answer).
        func peek(_ key: TransactionKey) -> Pending? { table.peek(key) }
    }
}

extension BACnetIP.Pending: PendingRequest {
    public var pendingKey: BACnetIP.TransactionKey {
        BACnetIP.TransactionKey(invokeID: invokeID, direction: direction, route: route)
    }
}
