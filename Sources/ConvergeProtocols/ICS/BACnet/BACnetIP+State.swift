import ConvergeModel

extension BACnetIP {
    /// Per-flow state: confirmed requests waiting for their answers.
    public struct State: Sendable {
        public var pending = PendingTable()
        /// Requests dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0
        public init() {}
    }

    /// Pending confirmed requests keyed by invoke id, direction and routing, bounded by `capacity`.
    /// Linear on purpose: a BACnet client has few transactions open per peer.
    public struct PendingTable: Sendable {
        /// At most this many requests wait per flow (an invoke id is a byte, so 256 per direction
        /// is the protocol's own ceiling); more evict the oldest.
        public static let capacity = 64
        /// BACnet clients give up after APDU-Timeout × retries (3 s × 3 by default); a request
        /// unanswered this long is taken as lost and makes room silently.
        public static let requestTimeout = Duration64.seconds(30)

        private var entries: [Pending] = []
        /// Requests dropped unanswered: replaced by a retry with the same key, or timed out.
        public private(set) var unanswered: UInt64 = 0

        public init() {}

        public var count: Int { entries.count }

        /// Adds or replaces the request with this key. Returns true when the table was full of
        /// requests younger than `requestTimeout` and the oldest was dropped to make room.
        mutating func insert(_ request: Pending) -> Bool {
            if entries.capacity < Self.capacity { entries.reserveCapacity(Self.capacity) }
            if let index = index(invokeID: request.invokeID, direction: request.direction, route: request.route) {
                entries[index] = request
                unanswered &+= 1
                return false
            }
            guard entries.count >= Self.capacity else {
                entries.append(request)
                return false
            }
            var oldest = 0
            for index in entries.indices where entries[index].time < entries[oldest].time { oldest = index }
            let age = request.time.nanoseconds &- entries[oldest].time.nanoseconds
            entries[oldest] = request
            unanswered &+= 1
            return age < Self.requestTimeout.nanoseconds
        }

        /// The request with this key, removed from the table when `remove` is set.
        mutating func find(invokeID: UInt8, direction: Direction, route: UInt64, remove: Bool) -> Pending? {
            guard let index = index(invokeID: invokeID, direction: direction, route: route) else { return nil }
            let found = entries[index]
            if remove {
                entries.swapAt(index, entries.count &- 1)
                entries.removeLast()
            }
            return found
        }

        private func index(invokeID: UInt8, direction: Direction, route: UInt64) -> Int? {
            entries.firstIndex { $0.invokeID == invokeID && $0.direction == direction && $0.route == route }
        }
    }
}
