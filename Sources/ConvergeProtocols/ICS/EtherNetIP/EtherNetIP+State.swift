import ConvergeModel

extension EtherNetIP {
    /// Per-flow state: the registered session and the CIP requests waiting for responses.
    public struct State: Sendable {
        /// At most this many requests wait per flow; more evict the oldest (an anomaly).
        public static let pendingCapacity = 64
        /// A request unanswered this long is taken as lost and makes room silently.
        public static let requestTimeout = Duration64.seconds(30)

        /// The session handle the target granted on this connection, once seen.
        public var session: UInt32?
        /// CIP requests waiting for their responses, by pairing key.
        public var pending = BoundedPendingTable<Pending>(capacity: pendingCapacity, lostAfter: requestTimeout)
        /// Requests dropped from a full pending table while they might still have been answered.
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

    /// What a response repeats of its request: the encapsulation command and, for SendRRData, the
    /// sender context; for connected SendUnitData, the sequence count (the connection ids differ
    /// per direction, so they cannot pair).
    public struct PairingKey: Sendable, Hashable {
        public var command: Command
        /// The sender context, or the connected sequence count with the top bit set.
        public var value: UInt64
    }
}

extension EtherNetIP.Pending: PendingRequest {
    public var pendingKey: EtherNetIP.PairingKey { EtherNetIP.PairingKey(command: command, value: key) }
}
