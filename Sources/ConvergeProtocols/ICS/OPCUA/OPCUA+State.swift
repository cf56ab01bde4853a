import ConvergeModel

extension OPCUA {
    /// Most chunks one message may take before reassembly gives up (the spec's MaxChunkCount is
    /// negotiated; 0 means no limit, so a cap of our own is needed).
    public static let maxChunksPerMessage = 4096
    /// Most body bytes kept for one chunked message; beyond this the message is still counted
    /// and named (its type id is in the first chunk) but its body is not decoded.
    public static let maxReassemblyBytes = 1 << 20

    /// Per-flow state: the secure channel, sequence numbers, chunk reassembly per direction,
    /// requests waiting for responses, and what events learned for later messages.
    public struct State: Sendable {
        public var channel = Channel()
        /// Receive buffer sizes announced in HEL (the client's) and ACK (the server's); 0 unknown.
        public var clientReceiveBuffer: UInt32 = 0
        public var serverReceiveBuffer: UInt32 = 0
        /// Last sequence number per direction (`Direction.rawValue`), when one was seen.
        var lastSequence: (UInt32?, UInt32?) = (nil, nil)
        var reassembly = (Reassembly(), Reassembly())
        public var pending = PendingTable()
        public var pendingOverflows: UInt64 = 0

        /// Filled by `event` only (allocating): the NodeIds a Read request asked for, by request
        /// id, so its response's values can be named; and monitored items by client handle, so
        /// Publish notifications can be.
        var readNodes: [UInt32: [NodeTarget]] = [:]
        var monitoredItems: [UInt32: String] = [:]
        /// Monitored items created per subscription, and NodeIds of Read requests in flight.
        public static let maxMonitoredItems = 4096
        public static let maxReadRequestsRemembered = 64

        public init() {}

        func lastSequence(_ direction: Direction) -> UInt32? {
            direction == .toServer ? lastSequence.0 : lastSequence.1
        }

        mutating func setLastSequence(_ direction: Direction, _ value: UInt32) {
            if direction == .toServer { lastSequence.0 = value } else { lastSequence.1 = value }
        }

        /// The reassembly of a direction, handed to `body` to update in place.
        mutating func withReassembly<T>(_ direction: Direction, _ body: (inout Reassembly) -> T) -> T {
            direction == .toServer ? body(&reassembly.0) : body(&reassembly.1)
        }

        /// The reassembled body of the last chunked message in `direction` (valid right after the
        /// final chunk was parsed, until the next message in that direction).
        public func reassembledBody(_ direction: Direction) -> [UInt8] {
            direction == .toServer ? reassembly.0.bytes : reassembly.1.bytes
        }
    }

    /// A NodeId and attribute a Read request asked for, remembered for its response.
    struct NodeTarget: Sendable, Equatable {
        var node: String
        var attribute: UInt32
    }

    /// One direction's chunked message in progress.
    struct Reassembly: Sendable {
        var active = false
        var requestID: UInt32 = 0
        var serviceID: UInt32 = 0
        var serviceNamespace: UInt16 = 0
        var hasService = false
        var chunks = 0
        var overflowed = false
        /// Body bytes of the chunks so far (each chunk's part after its sequence header).
        var bytes: [UInt8] = []

        mutating func start(requestID: UInt32) {
            active = true
            self.requestID = requestID
            chunks = 0
            overflowed = false
            hasService = false
            bytes.removeAll(keepingCapacity: true)
        }

        /// Appends one chunk's body; false when a cap was reached (the bytes are then dropped).
        mutating func append(_ body: Span<UInt8>) -> Bool {
            chunks &+= 1
            guard !overflowed, chunks <= maxChunksPerMessage, bytes.count &+ body.count <= maxReassemblyBytes else {
                overflowed = true
                bytes.removeAll(keepingCapacity: true)
                return false
            }
            for index in body.indices { bytes.append(body[index]) }
            return true
        }
    }

    /// A request waiting for its response.
    public struct Pending: Sendable, Equatable {
        public var requestID: UInt32
        public var serviceID: UInt32
        public var requestHandle: UInt32
        public var time: Timestamp
    }

    /// Pending requests keyed by request id, bounded by `capacity` (Publish keeps several in
    /// flight; a healthy client has a handful).
    public struct PendingTable: Sendable {
        public static let capacity = 64
        /// A request unanswered this long is taken as lost when room is needed (Publish requests
        /// legitimately wait for minutes, so this is generous).
        public static let requestTimeout = Duration64.seconds(600)
        private var table = BoundedPendingTable<Pending>(capacity: capacity, lostAfter: requestTimeout)

        public init() {}

        public var count: Int { table.count }

        /// Adds or replaces the request with this id; true when a recent one was dropped.
        mutating func insert(_ request: Pending) -> Bool { table.insert(request) }

        mutating func take(requestID: UInt32) -> Pending? { table.take(requestID) }
    }
}

extension OPCUA.Pending: PendingRequest {
    public var pendingKey: UInt32 { requestID }
}
