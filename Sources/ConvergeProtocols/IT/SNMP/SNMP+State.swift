import ConvergeModel

extension SNMP {
    /// Per-flow state: requests waiting for their response or report.
    public struct State: Sendable {
        public var pending = BoundedPendingTable<Pending>(capacity: pendingCapacity, lostAfter: requestTimeout)
        /// Requests dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0
        public init() {}
    }

    /// At most this many requests wait per flow; a walk sends one at a time, a poller a few.
    public static let pendingCapacity = 64
    /// Managers retry after about a second and give up within seconds: older requests are lost.
    public static let requestTimeout = Duration64.seconds(30)

    /// What pairs an answer with its request: the request-id and the direction the request went.
    public struct PendingKey: Sendable, Equatable {
        public var requestID: Int64
        public var direction: Direction
    }

    public struct Pending: PendingRequest, Sendable, Equatable {
        public var requestID: Int64
        public var direction: Direction
        public var pduType: Int
        public var time: Timestamp
        public var pendingKey: PendingKey { PendingKey(requestID: requestID, direction: direction) }
    }

    /// Keeps a request until its answer; gives an answer its request's type and the round trip.
    static func pair(_ packet: inout Packet, time: Timestamp, state: inout State) {
        guard packet.hasRequestID else { return }
        if packet.isRequest {
            let request = Pending(
                requestID: packet.requestID, direction: packet.direction, pduType: packet.pduType, time: time)
            if state.pending.insert(request) {
                state.pendingOverflows &+= 1
                packet.anomalies.insert(.pendingOverflow)
            }
        } else if packet.isAnswer {
            let key = PendingKey(requestID: packet.requestID, direction: packet.direction.reversed)
            guard let request = state.pending.take(key) else {
                // A report may answer a request of the same direction's peer that was never seen.
                if packet.pduType == 2 { packet.anomalies.insert(.unsolicitedResponse) }
                return
            }
            packet.requestType = request.pduType
            packet.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
        }
    }
}
