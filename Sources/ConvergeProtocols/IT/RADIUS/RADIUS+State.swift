import ConvergeModel

extension RADIUS {
    /// A request waiting for its response, by identifier.
    public struct Pending: PendingRequest, Sendable, Equatable {
        public var pendingKey: UInt8
        public var code: UInt8
        public var time: Timestamp
    }

    /// Per-flow state: requests waiting for their responses.
    public struct State: Sendable {
        public internal(set) var pending = BoundedPendingTable<Pending>(
            capacity: RADIUS.maxPendingRequests, lostAfter: RADIUS.pendingLostAfter)

        public init() {}

        /// Records a request; pairs a response with the request of its identifier.
        mutating func pair(_ packet: inout Packet, time: Timestamp) {
            if packet.credentials.contains(.password) { packet.anomalies.insert(.passwordAttributeSent) }
            guard RADIUS.isKnown(packet.code) else {
                packet.anomalies.insert(.unknownCode)
                return
            }
            guard RADIUS.isResponse(packet.code) else {
                let request = Pending(pendingKey: packet.identifier, code: packet.code, time: time)
                if pending.insert(request) { packet.anomalies.insert(.pendingOverflow) }
                return
            }
            guard let request = pending.take(packet.identifier), RADIUS.answers(packet.code, request.code) else {
                packet.anomalies.insert(.unsolicitedResponse)
                return
            }
            packet.requestCode = request.code
            packet.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
        }
    }

    /// Whether a response code can answer a request code (Status-Server is answered by an
    /// Access-Accept on the authentication port, an Accounting-Response on the accounting one).
    static func answers(_ response: UInt8, _ request: UInt8) -> Bool {
        switch response {
        case Code.accessAccept: request == Code.accessRequest || request == Code.statusServer
        case Code.accessReject, Code.accessChallenge: request == Code.accessRequest
        case Code.accountingResponse: request == Code.accountingRequest || request == Code.statusServer
        case Code.disconnectACK, Code.disconnectNAK: request == Code.disconnectRequest
        case Code.coaACK, Code.coaNAK: request == Code.coaRequest
        default: false
        }
    }
}
