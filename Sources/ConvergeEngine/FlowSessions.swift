/// The application layer's per-flow records: for each flow with an application, its small fields
/// (`ApplicationLayer.FlowApp`) and both directions' TCP streams side by side, so a segment reads
/// what it needs of them (the flow's protocol and sync state, its own stream's position, the
/// other stream's holding flag) from one cache line instead of one line per table; and the flow's
/// operation counts for the inventory's feed (`OperationTally`), in the same slot.
///
/// Slots are 256 bytes on 64-byte boundaries. The small fields and the fronts of both streams
/// (which hold the fields the in-order path reads) lie in the first 64; the rest of the streams
/// in the second 64; the tally starts at 128, so the fields a message counts (its count, the
/// samples check, the client's operations) share one line, and that line sits beside the
/// record's own instead of in a table of its own. Indexed by `Int32` with a free list, like
/// `Pool`. A bad index stops the program rather than reading outside the records.
final class FlowSessions {
    /// One record. Only ever reached through addresses, never copied out whole: the streams hold
    /// buffers, and a copy would retain them.
    struct Record {
        var app: ApplicationLayer.FlowApp
        var toServer = TCPStream()
        var toClient = TCPStream()
    }

    static let stride = 256
    static let alignment = 64
    /// Where a slot's tally starts: the first byte of its third cache line.
    static let tallyOffset = 128

    private var base: UnsafeMutableRawPointer
    private var live: UnsafeMutablePointer<Bool>
    private(set) var count = 0
    private var capacity: Int
    private var free: [Int32] = []
    /// Where the fields sit in a record (checked once: the streams must be one stride apart).
    private let appOffset: Int
    private let lanesOffset: Int

    init(capacity: Int = 1024) {
        precondition(MemoryLayout<Record>.size <= Self.tallyOffset, "a flow session record outgrew its slot")
        precondition(
            Self.tallyOffset &+ MemoryLayout<OperationTally>.size <= Self.stride
                && Self.tallyOffset % MemoryLayout<OperationTally>.alignment == 0,
            "a flow's operation tally outgrew its slot")
        guard let app = MemoryLayout<Record>.offset(of: \Record.app),
            let toServer = MemoryLayout<Record>.offset(of: \Record.toServer),
            let toClient = MemoryLayout<Record>.offset(of: \Record.toClient),
            toClient == toServer &+ MemoryLayout<TCPStream>.stride
        else { preconditionFailure("flow session streams are not adjacent") }
        appOffset = app
        lanesOffset = toServer
        self.capacity = max(capacity, 1)
        base = .allocate(byteCount: self.capacity &* Self.stride, alignment: Self.alignment)
        live = .allocate(capacity: self.capacity)
    }

    deinit {
        for index in 0..<count where live[index] { record(index).deinitialize(count: 1) }
        base.deallocate()
        live.deallocate()
    }

    @inline(__always)
    private func record(_ index: Int) -> UnsafeMutablePointer<Record> {
        (base + index &* Self.stride).assumingMemoryBound(to: Record.self)
    }

    /// The index as an offset, checked against the records there are (not whether it is live:
    /// that would read one more cache line per packet, and the flow table only holds live ones).
    @inline(__always)
    private func checked(_ index: Int32) -> Int {
        let i = Int(index)
        precondition(i >= 0 && i < count, "flow session index out of range")
        return i
    }

    func insert(_ app: ApplicationLayer.FlowApp) -> Int32 {
        let index: Int
        if let reused = free.popLast() {
            index = Int(reused)
        } else {
            if count == capacity { grow() }
            index = count
            count &+= 1
        }
        (base + index &* Self.stride).bindMemory(to: Record.self, capacity: 1).initialize(to: Record(app: app))
        (base + index &* Self.stride + Self.tallyOffset).bindMemory(to: OperationTally.self, capacity: 1)
            .initialize(to: OperationTally())
        live[index] = true
        return Int32(truncatingIfNeeded: index)
    }

    /// Frees the record (its streams must have been released) for reuse.
    func remove(_ index: Int32) {
        guard contains(index) else { return }
        record(Int(index)).deinitialize(count: 1)
        live[Int(index)] = false
        free.append(index)
    }

    func contains(_ index: Int32) -> Bool {
        index >= 0 && Int(index) < count && live[Int(index)]
    }

    /// The record's small fields; the addresses below stay valid until the next `insert`.
    subscript(index: Int32) -> ApplicationLayer.FlowApp {
        unsafeAddress { UnsafePointer(app(index)) }
        unsafeMutableAddress { app(index) }
    }

    @inline(__always)
    func app(_ index: Int32) -> UnsafeMutablePointer<ApplicationLayer.FlowApp> {
        (base + checked(index) &* Self.stride + appOffset).assumingMemoryBound(to: ApplicationLayer.FlowApp.self)
    }

    /// The flow's operation counts (plain values: read, written and reset in place).
    @inline(__always)
    func tally(_ index: Int32) -> UnsafeMutablePointer<OperationTally> {
        (base + checked(index) &* Self.stride + Self.tallyOffset).assumingMemoryBound(to: OperationTally.self)
    }

    /// The flow's two streams: toServer, then toClient (`lanes(i) + Int(direction.rawValue)`).
    @inline(__always)
    func lanes(_ index: Int32) -> UnsafeMutablePointer<TCPStream> {
        (base + checked(index) &* Self.stride + lanesOffset).assumingMemoryBound(to: TCPStream.self)
    }

    private func grow() {
        let newCapacity = capacity &* 2
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity &* Self.stride, alignment: Self.alignment)
        let newLive = UnsafeMutablePointer<Bool>.allocate(capacity: newCapacity)
        for index in 0..<count {
            newLive[index] = live[index]
            guard live[index] else { continue }
            let target = (newBase + index &* Self.stride).bindMemory(to: Record.self, capacity: 1)
            target.moveInitialize(from: record(index), count: 1)
            let tally = (base + index &* Self.stride + Self.tallyOffset).assumingMemoryBound(to: OperationTally.self)
            (newBase + index &* Self.stride + Self.tallyOffset).bindMemory(to: OperationTally.self, capacity: 1)
                .moveInitialize(from: tally, count: 1)
        }
        base.deallocate()
        live.deallocate()
        base = newBase
        live = newLive
        capacity = newCapacity
    }
}
