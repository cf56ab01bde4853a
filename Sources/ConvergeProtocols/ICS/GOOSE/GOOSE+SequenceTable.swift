extension GOOSE {
    /// One GOOSE publisher: the sender's MAC, the APPID and a hash of the gocbRef (two control
    /// blocks of one device may share an APPID). Built from a parsed frame without allocating.
    public struct Publisher: Hashable, Sendable {
        /// Source MAC (48 bits) << 16 | APPID.
        public var macAndAppID: UInt64
        /// FNV-1a of the gocbRef's bytes (0 when absent).
        public var reference: UInt32

        public init(sourceMAC: UInt64, appID: UInt16, reference: UInt32) {
            macAndAppID = sourceMAC << 16 | UInt64(appID)
            self.reference = reference
        }

        public init(_ pdu: PDU, payload: Span<UInt8>, sourceMAC: UInt64) {
            var hash: UInt32 = 0x811C_9DC5
            let end = min(pdu.gocbRef.end, payload.count)
            var index = max(0, pdu.gocbRef.offset)
            while index < end {
                hash = (hash ^ UInt32(payload[index])) &* 0x0100_0193
                index &+= 1
            }
            self.init(sourceMAC: sourceMAC, appID: pdu.header.appID, reference: pdu.gocbRef.isEmpty ? 0 : hash)
        }

        var slotHash: UInt64 {
            var mixed = macAndAppID ^ UInt64(reference) &* 0x9E37_79B9_7F4A_7C15
            mixed ^= mixed >> 31
            mixed = mixed &* 0xBF58_476D_1CE4_E5B9
            return mixed ^ mixed >> 29
        }
    }

    /// The per-publisher `SequenceCheck`s the engine keeps (in its LinkLayer): a fixed table,
    /// allocated once, open addressing with a short probe; when a probe window is full the
    /// publisher seen least recently in it is evicted (its next frame then starts afresh).
    public struct SequenceTable: Sendable {
        public static let defaultCapacity = 1024
        public static let maxCapacity = 1 << 16
        /// Slots looked at per publisher.
        public static let maxProbe = 8

        struct Slot: Sendable {
            var publisher = Publisher(sourceMAC: 0, appID: 0, reference: 0)
            var check = SequenceCheck()
            var lastUse: UInt64 = 0
            var used = false
        }

        var slots: [Slot]
        var tick: UInt64 = 0
        /// Publishers held, and how many were evicted to make room.
        public private(set) var count = 0
        public private(set) var evictions = 0

        /// `capacity` is rounded up to a power of two between `maxProbe` and `maxCapacity`.
        public init(capacity: Int = defaultCapacity) {
            var size = Self.maxProbe
            while size < min(max(capacity, Self.maxProbe), Self.maxCapacity) { size &<<= 1 }
            slots = Array(repeating: Slot(), count: size)
        }

        public var capacity: Int { slots.count }

        /// Observes one frame of `publisher`; the first frame of a publisher finds nothing.
        public mutating func observe(_ publisher: Publisher, stNum: Int64, sqNum: Int64) -> SequenceCheck.Findings {
            tick &+= 1
            let index = slot(for: publisher)
            if !slots[index].used || slots[index].publisher != publisher {
                if slots[index].used { evictions &+= 1 } else { count &+= 1 }
                slots[index] = Slot(publisher: publisher, check: SequenceCheck(), lastUse: tick, used: true)
            }
            slots[index].lastUse = tick
            return slots[index].check.observe(stNum: stNum, sqNum: sqNum)
        }

        /// Observes a parsed frame: nothing for a frame that is not a goosePdu or lacks stNum or sqNum.
        public mutating func observe(_ pdu: PDU, payload: Span<UInt8>, sourceMAC: UInt64) -> SequenceCheck.Findings {
            guard pdu.hasFunction, pdu.has(.stNum), pdu.has(.sqNum) else { return [] }
            return observe(Publisher(pdu, payload: payload, sourceMAC: sourceMAC), stNum: pdu.stNum, sqNum: pdu.sqNum)
        }

        /// The state kept for `publisher`, if any.
        public func check(for publisher: Publisher) -> SequenceCheck? {
            let mask = slots.count &- 1
            let start = Int(truncatingIfNeeded: publisher.slotHash) & mask
            for step in 0..<Self.maxProbe {
                let slot = slots[(start &+ step) & mask]
                if slot.used, slot.publisher == publisher { return slot.check }
            }
            return nil
        }

        /// The publisher's slot, else a free one, else the least recently used in the window.
        func slot(for publisher: Publisher) -> Int {
            let mask = slots.count &- 1
            let start = Int(truncatingIfNeeded: publisher.slotHash) & mask
            var free = -1
            var oldest = start
            for step in 0..<Self.maxProbe {
                let index = (start &+ step) & mask
                let slot = slots[index]
                if slot.used {
                    if slot.publisher == publisher { return index }
                    if slot.lastUse < slots[oldest].lastUse { oldest = index }
                } else if free < 0 {
                    free = index
                }
            }
            return free >= 0 ? free : oldest
        }
    }
}
