import ConvergeModel

extension SMB {
    /// Requests kept per flow to pair responses; a client with more in flight loses the oldest.
    public static let maxPendingRequests = 128
    /// A request unanswered this long was lost: dropping it to make room is not an anomaly.
    public static let pendingLostAfter = Duration64.seconds(60)
    /// SMB2 `STATUS_PENDING`: an interim response; the final one follows with the same id.
    public static let statusPending: UInt32 = 0x0000_0103

    /// A request waiting for its response.
    public struct Pending: PendingRequest, Sendable, Equatable {
        /// SMB2 message id, or an SMB1 multiplex id with the top bit set.
        public var pendingKey: UInt64
        public var command: UInt16
        public var time: Timestamp
    }

    public typealias PendingTable = BoundedPendingTable<Pending>

    /// Per-flow state: the requests waiting for their responses, where an SMB2 compound goes on
    /// in each direction, and what the NEGOTIATE settled.
    public struct State: Sendable {
        /// Bytes of the current compound still to return, per direction (0 toServer, 1 toClient).
        public internal(set) var compoundRemaining: InlineArray<2, Int> = .init(repeating: 0)
        /// Commands of the current compound returned so far, per direction.
        var compoundCount: InlineArray<2, Int> = .init(repeating: 0)
        public internal(set) var pending = PendingTable(
            capacity: SMB.maxPendingRequests, lostAfter: SMB.pendingLostAfter)
        /// The SMB2 dialect revision the server chose (0x0202 … 0x0311), 0 before a NEGOTIATE response.
        public internal(set) var dialect: UInt16 = 0
        /// Whether the server's NEGOTIATE response required signing.
        public internal(set) var signingRequired = false

        public init() {}

        static func lane(_ direction: Direction) -> Int { direction == .toServer ? 0 : 1 }

        /// Records a request, or pairs a response with its request.
        mutating func pair(_ message: inout Message, key: UInt64, time: Timestamp) {
            if message.direction == .toServer && !message.isResponse {
                let request = Pending(pendingKey: key, command: message.command, time: time)
                if pending.insert(request) { message.anomalies.insert(.pendingOverflow) }
                return
            }
            guard message.isResponse else { return }
            let interim = message.version == .smb2 && message.status == SMB.statusPending
            let request = interim ? pending.peek(key) : pending.take(key)
            guard let request, request.command == message.command else {
                message.anomalies.insert(.unsolicitedResponse)
                return
            }
            message.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
        }
    }
}
