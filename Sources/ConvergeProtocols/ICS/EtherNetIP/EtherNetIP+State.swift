import ConvergeModel

extension EtherNetIP {
    /// Per-flow state: the registered session and the CIP requests waiting for responses.
    public struct State: Sendable {
        /// The session handle the target granted on this connection, once seen.
        public var session: UInt32?
        public var pending = PendingTable()
        /// Requests dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0
        /// Tag names of requests whose events were built, so a read response's event can name its
        /// tag. Filled and read only while building events (which may allocate); capped.
        var tagNames: [UInt64: String] = [:]
        /// At most this many tag names wait for their responses.
        public static let maxTagNames = 64

        public init() {}

        mutating func rememberTag(_ name: String, key: UInt64) {
            if tagNames.count >= Self.maxTagNames { tagNames.removeAll(keepingCapacity: true) }
            tagNames[key] = name
        }

        mutating func takeTag(key: UInt64) -> String? { tagNames.removeValue(forKey: key) }
    }

    /// Pending requests keyed by sender context or connected sequence, bounded by `capacity`.
    /// Linear on purpose: a client has a handful of requests in flight.
    public struct PendingTable: Sendable {
        /// At most this many requests wait per flow; more evict the oldest (an anomaly).
        public static let capacity = 64
        /// A request unanswered this long is taken as lost and makes room silently.
        public static let requestTimeout = Duration64.seconds(30)
        private var entries: [Pending] = []
        /// Requests dropped unanswered (replaced by a request with the same key, or timed out).
        public private(set) var unanswered: UInt64 = 0

        public init() {}

        public var count: Int { entries.count }

        /// Adds or replaces the request with this key. True when the table was full of requests
        /// younger than `requestTimeout` and the oldest was dropped.
        mutating func insert(_ request: Pending) -> Bool {
            if entries.capacity < Self.capacity { entries.reserveCapacity(Self.capacity) }
            if let index = entries.firstIndex(where: { $0.key == request.key && $0.command == request.command }) {
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

        /// Removes and returns the request with this key.
        mutating func take(key: UInt64, command: Command) -> Pending? {
            guard let index = entries.firstIndex(where: { $0.key == key && $0.command == command }) else {
                return nil
            }
            let found = entries[index]
            entries.swapAt(index, entries.count &- 1)
            entries.removeLast()
            return found
        }
    }
}
