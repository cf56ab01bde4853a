import ConvergeModel

extension DNP3 {
    /// Per-flow state: each direction's transport reassembly and the requests waiting for their
    /// responses, one slot per application sequence number (4 bits, so at most 16 in flight).
    public struct State: Sendable {
        /// Application sequence numbers are 4 bits: this many requests can be told apart.
        public static let pendingSlots = 16
        /// A request unanswered this long is not paired any more (masters time out in seconds).
        public static let requestTimeout = Duration64.seconds(60)

        public var toServer = Reassembly()
        public var toClient = Reassembly()
        /// Inline, so pairing touches no heap buffer and checks no uniqueness.
        var pending = InlineArray<16, Pending?>(repeating: nil)
        /// Requests replaced in their slot before an answer came.
        public internal(set) var unanswered: UInt64 = 0

        public init() {}

        mutating func withReassembly<R>(_ direction: Direction, _ body: (inout Reassembly) -> R) -> R {
            direction == .toServer ? body(&toServer) : body(&toClient)
        }

        /// The completed fragment of a direction (empty when the last frame completed none).
        public func fragment(_ direction: Direction) -> [UInt8] {
            direction == .toServer ? toServer.fragment : toClient.fragment
        }

        mutating func takeFragment(_ direction: Direction) -> [UInt8] {
            withReassembly(direction) { lane in
                var taken: [UInt8] = []
                swap(&taken, &lane.buffer)
                return taken
            }
        }

        mutating func restoreFragment(_ fragment: [UInt8], _ direction: Direction) {
            withReassembly(direction) { $0.buffer = fragment }
        }

        /// Records a request in its sequence slot; a request still waiting there is dropped.
        mutating func remember(_ request: Pending) {
            let slot = Int(request.sequence & 0x0f)
            if pending[slot] != nil { unanswered &+= 1 }
            pending[slot] = request
        }

        /// Takes the request a response with this sequence answers, if one is waiting and young
        /// enough.
        mutating func answer(sequence: UInt8, time: Timestamp) -> Pending? {
            let slot = Int(sequence & 0x0f)
            guard let request = pending[slot] else { return nil }
            pending[slot] = nil
            guard time.nanoseconds &- request.time.nanoseconds <= Self.requestTimeout.nanoseconds else {
                unanswered &+= 1
                return nil
            }
            return request
        }
    }

    /// A request waiting for its response.
    public struct Pending: Sendable, Equatable {
        public var sequence: UInt8
        public var function: UInt8
        public var operation: Operation
        public var time: Timestamp

        public init(sequence: UInt8, function: UInt8, operation: Operation, time: Timestamp) {
            self.sequence = sequence
            self.function = function
            self.operation = operation
            self.time = time
        }
    }
}
