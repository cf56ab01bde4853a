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
        private var entries: [Pending] = []

        public init() {}

        public var count: Int { entries.count }

        /// Adds or replaces; true when a request had to be dropped to make room.
        mutating func insert(_ request: Pending) -> Bool {
            if entries.capacity < Self.capacity { entries.reserveCapacity(Self.capacity) }
            if let index = entries.firstIndex(where: { $0.sequence == request.sequence }) {
                entries[index] = request
                return false
            }
            guard entries.count >= Self.capacity else {
                entries.append(request)
                return false
            }
            var oldest = 0
            for index in entries.indices where entries[index].time < entries[oldest].time { oldest = index }
            entries[oldest] = request
            return true
        }

        mutating func take(sequence: UInt16) -> Pending? {
            guard let index = entries.firstIndex(where: { $0.sequence == sequence }) else { return nil }
            let found = entries[index]
            entries.swapAt(index, entries.count &- 1)
            entries.removeLast()
            return found
        }
    }
}
