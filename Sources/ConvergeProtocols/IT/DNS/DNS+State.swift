import ConvergeModel

extension DNS {
    /// Per-flow state: queries waiting for their responses, keyed by message id.
    public struct State: Sendable {
        /// At most this many queries wait per flow (a resolver's flow from one source port has a
        /// handful; a flood from one port is what this bounds).
        public static let pendingCapacity = 64
        /// Resolvers retry after a few seconds and give up well within this.
        public static let queryTimeout = Duration64.seconds(10)

        public var pending = BoundedPendingTable<PendingQuery>(capacity: pendingCapacity, lostAfter: queryTimeout)
        /// Queries this flow has carried, so a response before any query (a capture that started
        /// mid-conversation) is not called unsolicited.
        public var queries: UInt64 = 0
        public init() {}
    }

    /// A query waiting for its response.
    public struct PendingQuery: PendingRequest {
        public var id: UInt16
        public var opcode: UInt8
        public var time: Timestamp
        public var pendingKey: UInt16 { id }
    }

    /// Queries wait in the flow's table; a response takes its query out (round-trip time) or is
    /// flagged unsolicited once the flow has shown a query.
    static func pair(_ frame: inout Frame, time: Timestamp, state: inout State) {
        guard frame.hasHeader else { return }
        if !frame.isResponse {
            state.queries &+= 1
            let query = PendingQuery(id: frame.id, opcode: frame.opcode, time: time)
            if state.pending.insert(query) { frame.anomalies.insert(.pendingOverflow) }
            return
        }
        if let query = state.pending.take(frame.id) {
            frame.roundTripNanoseconds = time.nanoseconds &- query.time.nanoseconds
        } else if state.queries > 0 {
            frame.anomalies.insert(.unsolicitedResponse)
        }
    }
}
