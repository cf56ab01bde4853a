import ConvergeModel

extension LDAP {
    /// Requests kept per flow to pair answers; a client with more in flight loses the oldest.
    public static let maxPendingRequests = 128
    /// A request unanswered this long was lost: dropping it to make room is not an anomaly.
    public static let pendingLostAfter = Duration64.seconds(120)

    /// A request waiting for its answer, by message id.
    public struct Pending: PendingRequest, Sendable, Equatable {
        public var pendingKey: Int64
        public var op: UInt8
        public var time: Timestamp
        public var isStartTLS: Bool
        public var isSASL: Bool
    }

    public typealias PendingTable = BoundedPendingTable<Pending>

    /// Per-flow state: requests waiting for answers, and what the session became (TLS after a
    /// StartTLS, a SASL security layer after a SASL bind) so the bytes after it are stepped over.
    public struct State: Sendable {
        public internal(set) var pending = PendingTable(
            capacity: LDAP.maxPendingRequests, lostAfter: LDAP.pendingLostAfter)
        /// A StartTLS succeeded: everything after it, both ways, is TLS.
        public internal(set) var tls = false
        /// A SASL bind succeeded: messages may be wrapped in a security layer (4-byte length).
        public internal(set) var saslBound = false
        /// Bytes of an oversized message still to step over, per direction (0 toServer, 1 toClient).
        public internal(set) var skipRemaining: InlineArray<2, Int> = .init(repeating: 0)

        public init() {}

        static func lane(_ direction: Direction) -> Int { direction == .toServer ? 0 : 1 }

        /// Records a request, or pairs an answer with its request by message id.
        mutating func pair(_ message: inout Message, time: Timestamp) {
            guard message.hasOp else { return }
            let op = message.op
            if message.direction == .toServer {
                guard Op.expectsResponse(op) else { return }
                let request = Pending(
                    pendingKey: message.messageID, op: op, time: time, isStartTLS: message.isStartTLS,
                    isSASL: message.bindKind == .sasl)
                if pending.insert(request) { message.anomalies.insert(.pendingOverflow) }
                return
            }
            guard Op.isResponse(op) else { return }
            let final = Op.isFinalResponse(op)
            guard let request = final ? pending.take(message.messageID) : pending.peek(message.messageID),
                Op.request(for: op).map({ $0 == request.op }) ?? true
            else {
                message.anomalies.insert(.unsolicitedResponse)
                return
            }
            message.requestOp = request.op
            message.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
            guard final, message.resultCode == ResultCode.success else { return }
            if request.isStartTLS && op == Op.extendedResponse {
                message.isStartTLS = true
                tls = true
            }
            if request.isSASL && op == Op.bindResponse { saslBound = true }
        }
    }
}
