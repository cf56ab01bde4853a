import ConvergeModel

extension ModbusTCP {
    /// Per-flow state: requests waiting for responses and what scan detection has seen.
    public struct State: Sendable {
        /// Distinct unit ids in one flow's requests that make it look like a unit-id sweep.
        public static let unitScanThreshold = 32
        /// Distinct unsupported or unknown function codes in one flow that make it a function scan.
        public static let functionScanThreshold = 4

        // Every message reads the head of `pending` (its count and first request), so it comes
        // first: with the state at the start of a cache line (the engine's state pools align
        // them), a response with one request in flight reads one line of its state.

        public var pending = PendingTable()
        /// Unit ids seen in requests, one bit each.
        var unitsSeen: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var distinctUnits = 0
        /// Requests dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0
        /// Function codes (0…127) probed without support, one bit each.
        var probedFunctions: UInt128 = 0
        var distinctProbedFunctions = 0

        public init() {}

        /// Records a request's unit id; true exactly once, when the flow reaches the scan threshold.
        /// Inlined into the request parse, which calls it for every request.
        @inline(__always)
        mutating func noteUnit(_ unit: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(unit & 63)
            let isNew: Bool
            switch unit >> 6 {
            case 0: isNew = unitsSeen.0 & bit == 0; unitsSeen.0 |= bit
            case 1: isNew = unitsSeen.1 & bit == 0; unitsSeen.1 |= bit
            case 2: isNew = unitsSeen.2 & bit == 0; unitsSeen.2 |= bit
            default: isNew = unitsSeen.3 & bit == 0; unitsSeen.3 |= bit
            }
            guard isNew else { return false }
            distinctUnits &+= 1
            return distinctUnits == Self.unitScanThreshold
        }

        /// Records an unsupported function code; true exactly once, at the scan threshold.
        mutating func noteProbedFunction(_ code: UInt8) -> Bool {
            let bit = UInt128(1) << UInt128(code & 0x7f)
            guard probedFunctions & bit == 0 else { return false }
            probedFunctions |= bit
            distinctProbedFunctions &+= 1
            return distinctProbedFunctions == Self.functionScanThreshold
        }
    }

    /// Pending requests keyed by transaction id, bounded by `capacity` (the shared table).
    public struct PendingTable: Sendable {
        /// At most this many requests wait per flow; more evict the oldest (an anomaly).
        public static let capacity = 64
        /// A request unanswered this long is taken as lost (Modbus clients time out after seconds):
        /// it makes room silently, so occasional lost responses never add up to an overflow.
        public static let requestTimeout = Duration64.seconds(10)
        private var table = BoundedPendingTable<Pending>(capacity: capacity, lostAfter: requestTimeout)

        public init() {}

        public var count: Int { table.count }
        /// Requests dropped unanswered: replaced by a request with the same transaction id, or
        /// dropped to make room.
        public var unanswered: UInt64 { table.unanswered }

        /// Adds or replaces the request with this transaction id. True when the table was full of
        /// requests younger than `requestTimeout` and the oldest was dropped to make room.
        @inline(__always)
        mutating func insert(_ request: Pending) -> Bool { table.insert(request) }

        /// Removes and returns the request with this transaction id.
        @inline(__always)
        mutating func take(transactionID: UInt16) -> Pending? { table.take(transactionID) }
    }
}

extension ModbusTCP.Pending: PendingRequest {
    public var pendingKey: UInt16 { transactionID }
}
