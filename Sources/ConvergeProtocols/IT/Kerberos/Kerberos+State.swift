import ConvergeModel

extension Kerberos {
    /// Per-flow state: the one request waiting for its reply. A Kerberos reply names its request
    /// by nothing readable in the clear (the nonce is inside the encrypted part), and clients send
    /// one request per connection or datagram exchange, so a single slot is the bounded table.
    public struct State: Sendable {
        /// The waiting request's message type (0: none), when it was sent, and whether it
        /// carried pre-authentication.
        public internal(set) var pendingType: UInt8 = 0
        public internal(set) var pendingTime = Timestamp(nanoseconds: 0)
        public internal(set) var pendingPreauth = false

        public init() {}

        /// Records a KDC request, or pairs a reply (or error) with the waiting request.
        mutating func pair(_ message: inout Message, time: Timestamp) {
            let type = message.messageType
            if type == MessageType.asRequest || type == MessageType.tgsRequest {
                guard message.direction == .toServer else { return }
                pendingType = type
                pendingTime = time
                pendingPreauth = message.hasPreauth
                return
            }
            guard type == MessageType.asReply || type == MessageType.tgsReply || type == MessageType.error,
                message.direction == .toClient
            else { return }
            let answers = type == MessageType.error || pendingType == type &- 1
            guard pendingType != 0, answers else {
                message.anomalies.insert(.unsolicitedReply)
                return
            }
            message.roundTripNanoseconds = max(0, time.nanoseconds &- pendingTime.nanoseconds)
            if type == MessageType.asReply && !pendingPreauth { message.anomalies.insert(.preauthNotRequired) }
            pendingType = 0
        }
    }
}
