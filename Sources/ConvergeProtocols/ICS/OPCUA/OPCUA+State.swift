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
        /// What the server accepts per request (its ACK) and the client per response (its HEL).
        public var requestLimits = MessageLimits()
        public var responseLimits = MessageLimits()
        /// Last sequence number per direction (`Direction.rawValue`), when one was seen.
        var lastSequence: (UInt32?, UInt32?) = (nil, nil)
        var reassembly = (Reassembly(), Reassembly())
        public var pending = PendingTable()
        public var pendingOverflows: UInt64 = 0

        /// Filled by `event` only (allocating): the NodeIds a Read, Write, HistoryRead, Browse or
        /// Call request named, by request id, so its response's values and results (which come
        /// in request order, unnamed) can be named; and monitored items by client handle, so
        /// Publish notifications can be.
        var requestNodes: [UInt32: [NodeTarget]] = [:]
        var monitoredItems: [UInt32: String] = [:]
        /// Monitored items remembered per flow (beyond this new client handles stay unnamed), and
        /// requests whose NodeIds are remembered while in flight (beyond this the oldest go).
        public static let maxMonitoredItems = 4096
        public static let maxRequestsRemembered = 64
        /// Monitored items the flow could not remember because `maxMonitoredItems` was reached.
        public internal(set) var monitoredItemsDropped: UInt64 = 0

        public init() {}

        /// The limits the receiver of `direction` announced.
        func limits(_ direction: Direction) -> MessageLimits {
            direction == .toServer ? requestLimits : responseLimits
        }

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

        /// Remembers the nodes a request named until its response (events only). Bounded: when
        /// `maxRequestsRemembered` requests wait, the lowest request id (the oldest) is dropped.
        mutating func remember(_ nodes: [NodeTarget], for requestID: UInt32) {
            if requestNodes[requestID] == nil, requestNodes.count >= State.maxRequestsRemembered,
                let oldest = requestNodes.keys.min()
            {
                requestNodes[oldest] = nil
            }
            requestNodes[requestID] = nodes
        }

        /// The nodes a request named, forgotten once its response asked for them.
        mutating func recall(_ requestID: UInt32) -> [NodeTarget] {
            requestNodes.removeValue(forKey: requestID) ?? []
        }

        /// Names a monitored item's client handle (events only), within `maxMonitoredItems`.
        mutating func rememberMonitoredItem(_ handle: UInt32, node: String) {
            guard monitoredItems.count < State.maxMonitoredItems || monitoredItems[handle] != nil else {
                monitoredItemsDropped &+= 1
                return
            }
            monitoredItems[handle] = node
        }

        /// The reassembled body of the last chunked message in `direction` (valid right after the
        /// final chunk was parsed, until the next message in that direction).
        public func reassembledBody(_ direction: Direction) -> [UInt8] {
            direction == .toServer ? reassembly.0.bytes : reassembly.1.bytes
        }
    }

    /// The largest message body and most chunks a receiver accepts (HEL/ACK MaxMessageSize and
    /// MaxChunkCount, OPC 10000-6 §7.1.2.3); 0 means no limit.
    public struct MessageLimits: Sendable, Equatable {
        public var maxMessageSize: UInt32 = 0
        public var maxChunkCount: UInt32 = 0

        /// Whether a message of `chunks` chunks and `bodyBytes` body bytes breaks a limit.
        func exceeded(chunks: Int, bodyBytes: Int) -> Bool {
            (maxChunkCount > 0 && chunks > Int(maxChunkCount))
                || (maxMessageSize > 0 && bodyBytes > Int(maxMessageSize))
        }
    }

    /// A NodeId and attribute a request named, remembered for its response.
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
        /// Body bytes of every chunk so far, kept or not (for the peer's MaxMessageSize).
        var bodyBytes = 0
        var overflowed = false
        /// Body bytes of the chunks so far (each chunk's part after its sequence header).
        var bytes: [UInt8] = []

        mutating func start(requestID: UInt32) {
            active = true
            self.requestID = requestID
            chunks = 0
            bodyBytes = 0
            overflowed = false
            hasService = false
            bytes.removeAll(keepingCapacity: true)
        }

        /// Appends one chunk's body; false when a cap was reached (the bytes are then dropped).
        mutating func append(_ body: Span<UInt8>) -> Bool {
            chunks &+= 1
            bodyBytes &+= body.count
            guard !overflowed, chunks <= maxChunksPerMessage, bytes.count &+ body.count <= maxReassemblyBytes else {
                overflowed = true
                bytes.removeAll(keepingCapacity: true)
                return false
            }
            // One bulk copy; the buffer keeps its capacity between messages, so a flow that
            // chunks allocates only while its largest message grows.
            body.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
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
