import ConvergeModel

extension S7Comm {
    /// Per-flow state: requests waiting for responses, their item addresses, the COTP reassembly
    /// buffer and the identity SZL being collected across response parts.
    public struct State: Sendable, ISOOnTCPFlowState {
        public var pending = BoundedPendingTable<Pending>(capacity: pendingCapacity, lostAfter: requestTimeout)
        /// Item addresses of recent read/write requests, so responses can name what they carry.
        public var items = ItemRing()
        /// Gathered COTP fragments of the last PDU, valid until the next `parse`.
        public var cotp = ISOOnTCP.Reassembly()
        /// An identity SZL (0x0011/0x001C families) spread over several response parts.
        public var szl = SZLCollector()
        /// The classic TSAP the client called (rack << 5 | slot in the low byte), 0 if unseen.
        public var calledTSAP: UInt16 = 0
        /// Requests dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0

        public init() {}
    }

    /// One read/write item address (S7ANY syntax; other syntaxes keep only their syntax id).
    public struct ItemAddress: Sendable, Equatable {
        public var syntaxID: UInt8 = 0
        public var transportSize: UInt8 = 0
        public var area: UInt8 = 0
        public var dbNumber: UInt16 = 0
        /// Byte address << 3 | bit, as the wire encodes it (24 bits).
        public var bitAddress: UInt32 = 0
        /// Element count in `transportSize` units.
        public var length: UInt16 = 0

        public var byteAddress: Int { Int(bitAddress >> 3) }
        public var bit: Int { Int(bitAddress & 7) }
    }

    /// A fixed ring of item addresses: a request's items take consecutive slots and its pending
    /// entry remembers where; a response whose items were overwritten since finds them stale.
    public struct ItemRing: Sendable {
        public static let capacity = 256
        private var slots: [ItemAddress] = []
        /// Slots written so far (wraps); an item `n` is still there while `written - n <= capacity`.
        public private(set) var written: UInt32 = 0

        public init() {}

        mutating func append(_ item: ItemAddress) {
            if slots.isEmpty { slots = Array(repeating: ItemAddress(), count: Self.capacity) }
            slots[Int(written % UInt32(Self.capacity))] = item
            written &+= 1
        }

        /// Item `index` of a request whose first item was `first`, if not overwritten since.
        public func item(first: UInt32, index: Int) -> ItemAddress? {
            guard index >= 0, index < Self.capacity, !slots.isEmpty else { return nil }
            let position = first &+ UInt32(index)
            let age = written &- position
            guard age >= 1, age <= UInt32(Self.capacity) else { return nil }
            return slots[Int(position % UInt32(Self.capacity))]
        }
    }

    /// Requests in flight kept per flow at most; a client has few.
    public static let pendingCapacity = 64
    /// A request unanswered this long is taken as lost and makes room silently.
    public static let requestTimeout = Duration64.seconds(10)

    /// What a response names its request by: the PDU reference, and whether it is userdata
    /// (jobs are answered by ack/ack-data, userdata by userdata, each with its own references).
    public struct PendingKey: Sendable, Equatable {
        public var pduReference: UInt16
        public var userdata: Bool
    }

    /// The data of an identity SZL answered in several userdata parts (a CPU with a 240-byte PDU
    /// splits 0x001C). Only identity lists are collected, and at most `capacity` bytes.
    public struct SZLCollector: Sendable {
        public static let capacity = 2048
        /// SZL header and records as they arrived (starting at the SZL id).
        public private(set) var bytes: [UInt8] = []
        public private(set) var szlID: UInt16 = 0
        public private(set) var szlIndex: UInt16 = 0
        /// The data unit reference of the parts still to come, 0 when none is open.
        public private(set) var openReference: UInt8 = 0
        public private(set) var truncated = false

        public init() {}

        mutating func start(id: UInt16, index: UInt16, reference: UInt8) {
            if bytes.capacity < Self.capacity { bytes.reserveCapacity(Self.capacity) }
            bytes.removeAll(keepingCapacity: true)
            szlID = id
            szlIndex = index
            openReference = reference
            truncated = false
        }

        mutating func append(_ data: Span<UInt8>, from start: Int, to end: Int) {
            var index = start
            while index < end, index < data.count {
                guard bytes.count < Self.capacity else {
                    truncated = true
                    return
                }
                bytes.append(data[index])
                index &+= 1
            }
        }

        mutating func close() { openReference = 0 }
    }
}

extension S7Comm.Pending: PendingRequest {
    public var pendingKey: S7Comm.PendingKey {
        S7Comm.PendingKey(pduReference: pduReference, userdata: rosctr == S7Comm.ROSCTR.userdata)
    }
}
