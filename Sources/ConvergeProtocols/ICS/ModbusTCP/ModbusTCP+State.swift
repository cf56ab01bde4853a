import ConvergeModel

extension ModbusTCP {
    /// Per-flow state: requests waiting for responses and what scan detection has seen.
    public struct State: Sendable {
        /// Distinct unit ids in one flow's requests that make it look like a unit-id sweep.
        public static let unitScanThreshold = 32
        /// Distinct unsupported or unknown function codes in one flow that make it a function scan.
        public static let functionScanThreshold = 4

        public var pending = PendingTable()
        /// Requests dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0
        /// Unit ids seen in requests, one bit each.
        var unitsSeen: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var distinctUnits = 0
        /// Function codes (0…127) probed without support, one bit each.
        var probedFunctions: UInt128 = 0
        var distinctProbedFunctions = 0

        public init() {}

        /// Records a request's unit id; true exactly once, when the flow reaches the scan threshold.
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

    /// Pending requests keyed by transaction id, bounded by `capacity`. Small and linear on
    /// purpose: a healthy client has one or two requests in flight.
    public struct PendingTable: Sendable {
        /// At most this many requests wait per flow; more evict the oldest (an anomaly).
        public static let capacity = 64
        private var entries: [Pending] = []

        public init() {}

        public var count: Int { entries.count }

        /// A request unanswered this long is taken as lost (Modbus clients time out after seconds):
        /// it makes room silently, so occasional lost responses never add up to an overflow.
        public static let requestTimeout = Duration64.seconds(10)

        /// Requests dropped unanswered: replaced by a request with the same transaction id, or
        /// timed out to make room.
        public private(set) var unanswered: UInt64 = 0

        /// Adds or replaces the request with this transaction id. Returns true when the table was
        /// full of requests younger than `requestTimeout` and the oldest was dropped to make room.
        mutating func insert(_ request: Pending) -> Bool {
            if entries.capacity < Self.capacity { entries.reserveCapacity(Self.capacity) }
            if let index = entries.firstIndex(where: { $0.transactionID == request.transactionID }) {
                entries[index] = request
                unanswered &+= 1
                return false
            }
            guard entries.count >= Self.capacity else {
                entries.append(request)
                return false
            }
            var oldest = 0
            for index in entries.indices where entries[index].time < entries[oldest].time {
                oldest = index
            }
            let age = request.time.nanoseconds &- entries[oldest].time.nanoseconds
            entries[oldest] = request
            unanswered &+= 1
            return age < Self.requestTimeout.nanoseconds
        }

        /// Removes and returns the request with this transaction id.
        mutating func take(transactionID: UInt16) -> Pending? {
            guard let index = entries.firstIndex(where: { $0.transactionID == transactionID }) else {
                return nil
            }
            let found = entries[index]
            entries.swapAt(index, entries.count &- 1)
            entries.removeLast()
            return found
        }
    }
}
