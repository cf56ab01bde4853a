import ConvergeModel

extension DHCP {
    /// Per-flow state: client messages waiting for a server reply with the same transaction id.
    /// Broadcast exchanges (DISCOVER from 0.0.0.0, OFFER to the yet unknown address) cross flows,
    /// so only unicast renewals pair here and an unanswered message is never an anomaly.
    public struct State: Sendable {
        /// Client messages kept per flow (a DHCP flood from one port is what this bounds).
        public static let pendingCapacity = 32
        /// Clients retransmit within seconds (RFC 2131 §4.1: 4 s doubling to 64 s).
        public static let requestTimeout = Duration64.seconds(64)

        public var pending = BoundedPendingTable<PendingMessage>(capacity: pendingCapacity, lostAfter: requestTimeout)
        public init() {}
    }

    public struct PendingMessage: PendingRequest {
        public var transactionID: UInt32
        public var time: Timestamp
        public var pendingKey: UInt32 { transactionID }
    }

    static func pair(_ frame: inout Frame, time: Timestamp, state: inout State) {
        if frame.op == 1 {
            if state.pending.insert(PendingMessage(transactionID: frame.transactionID, time: time)) {
                frame.anomalies.insert(.pendingOverflow)
            }
        } else if frame.op == 2, let request = state.pending.take(frame.transactionID) {
            frame.roundTripNanoseconds = time.nanoseconds &- request.time.nanoseconds
        }
    }
}
