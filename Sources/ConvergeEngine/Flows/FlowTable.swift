import ConvergeModel
import ConvergeProtocols

/// Where a packet landed in the flow table.
public struct FlowUpdate: Sendable, Equatable {
    /// The flow's slot: stable for the flow's life, reused after it ends. Engines index their own
    /// per-flow state by it (or by `Flow.appState`).
    public var slot: Int
    public var direction: Direction
    /// This packet created the flow.
    public var isNew: Bool
}

/// Every bidirectional flow of one worker: a flat array of 128-byte `Flow` slots, an open-addressing
/// index over them, and four intrusive idle lists (one per timeout class, most recent first).
///
/// - Lookup: linear probing in a power-of-two index of `(hash tag, slot)` words kept at most half
///   full; deletion shifts followers back, so there are no tombstones and probe chains stay short.
/// - Bounded: at `capacity` the least recently active flow is evicted (a lingering closed TCP flow
///   first, as it has nothing left to lose), O(1), and counted.
/// - Time is packet time. Idle expiry runs at most every `expiryInterval` and ends at most
///   `expiryBatch` flows per run, reading only list tails; a packet that finds its flow idle past
///   the timeout starts a new one, so amortising never changes what is counted.
/// - Records: `onRecord(record, slot, isFinal)`. Final records (timeout, eviction, FIN/RST after
///   linger, port reuse, `flushAll`) come before the slot is freed, so the engine can read the flow
///   and release its state for that slot. Interim records (active timeout, `isFinal == false`)
///   carry the same id and the totals since the flow began; the last record of an id supersedes the
///   earlier ones, and an interim record is not a new flow in any count.
/// - After warm-up (the index grows by doubling up to its maximum), tracking allocates nothing.
///
/// Not thread-safe: one table per worker, sharded by `FlowKey.hash(seed: 0)`. The callback must not
/// call back into `track`, `expire` or `flushAll`.
public final class FlowTable {
    public let limits: FlowLimits
    public internal(set) var counters = FlowCounters()
    /// Names application ids in records; the engine sets it once it knows its dissectors.
    public var applicationName: (UInt8) -> String? = { _ in nil }

    let onRecord: (FlowRecord, Int, Bool) -> Void
    let capacity: Int
    let seed: UInt64
    let flows: UnsafeMutablePointer<Flow>
    /// Slots below this were used at least once (initialised memory); above it, never touched.
    var highWater = 0
    var freeHead = FlowTable.nil32
    var index: UnsafeMutablePointer<UInt64>
    var indexMask: Int
    let maxIndexSize: Int
    /// Head (most recent) at 2c, tail (stalest) at 2c+1 for timeout class c.
    let listEnds: UnsafeMutablePointer<UInt32>
    /// Idle timeout in nanoseconds per timeout class.
    let idleTimeouts: UnsafeMutablePointer<Int64>
    let activeTimeout: Int64
    let expiryInterval: Int64
    /// The latest packet time seen: time never runs backwards for expiry.
    var clock = Int64.min
    /// The previous packet jumped far ahead and was not believed yet (see `advanceClock`).
    var jumpPending = false
    var nextExpiryCheck = Int64.min
    var nextID: UInt64
    let idStride: UInt64

    static var nil32: UInt32 { .max }

    /// - Parameters:
    ///   - hashSeed: fixed for reproducible layouts in tests; random by default.
    ///   - firstID, idStride: flow ids are `firstID`, `firstID + idStride`, …, so sharded workers
    ///     can hand out disjoint ids (worker k of n: firstID k+1, stride n).
    public init(
        limits: FlowLimits = FlowLimits(), hashSeed: UInt64? = nil, firstID: UInt64 = 1, idStride: UInt64 = 1,
        onRecord: @escaping (_ record: FlowRecord, _ slot: Int, _ isFinal: Bool) -> Void
    ) {
        self.limits = limits
        self.onRecord = onRecord
        capacity = limits.effectiveCapacity
        seed = hashSeed ?? UInt64.random(in: .min ... .max)
        // Cache-line aligned, so each 128-byte flow spans exactly two lines.
        flows = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Flow>.stride, alignment: 64)
            .bindMemory(to: Flow.self, capacity: capacity)
        var size = 2
        while size < 2 * capacity { size <<= 1 }
        maxIndexSize = size
        let initialSize = min(size, 1024)
        index = .allocate(capacity: initialSize)
        index.initialize(repeating: 0, count: initialSize)
        indexMask = initialSize - 1
        listEnds = .allocate(capacity: 2 * TimeoutClass.allCases.count)
        listEnds.initialize(repeating: FlowTable.nil32, count: 2 * TimeoutClass.allCases.count)
        idleTimeouts = .allocate(capacity: TimeoutClass.allCases.count)
        idleTimeouts[Int(TimeoutClass.tcpOpen.rawValue)] = limits.tcpIdle.nanoseconds
        idleTimeouts[Int(TimeoutClass.tcpClosed.rawValue)] = limits.tcpClosedLinger.nanoseconds
        idleTimeouts[Int(TimeoutClass.udp.rawValue)] = limits.udpIdle.nanoseconds
        idleTimeouts[Int(TimeoutClass.other.rawValue)] = limits.otherIdle.nanoseconds
        activeTimeout = limits.activeTimeout.nanoseconds
        expiryInterval = max(limits.expiryInterval.nanoseconds, 0)
        nextID = max(firstID, 1)
        self.idStride = max(idStride, 1)
    }

    deinit {
        flows.deallocate()
        index.deallocate()
        listEnds.deallocate()
        idleTimeouts.deallocate()
    }

    /// Finds or creates the flow of this packet and updates its counters, times and TCP state.
    /// Returns nil for packets that are not flows (ARP and other non-IP frames).
    public func track(_ packet: borrowing DecodedPacket, wireLength: Int, time: Timestamp) -> FlowUpdate? {
        let network = packet.network
        guard network == .ipv4 || network == .ipv6 else { return nil }
        let now = time.nanoseconds
        advanceClock(to: now)
        if clock >= nextExpiryCheck { runExpiry(limit: limits.expiryBatch) }

        let (key, sourceIsA) = FlowKey.normalised(
            source: packet.source.bits, sourcePort: packet.sourcePort,
            destination: packet.destination.bits, destinationPort: packet.destinationPort,
            vlan: packet.vlan, ipProtocol: packet.ipProtocol)
        let hash = key.hash(seed: seed)
        let transport = packet.transport
        let sequence = packet.sequence
        let flags = transport == .tcp ? packet.tcpFlags : 0
        let isOpeningSYN = flags & (TCPFlags.syn | TCPFlags.ack) == TCPFlags.syn

        var slot = find(key, hash: hash)
        if slot >= 0 {
            let flow = flows + slot
            if max(clock, now) &- flow.pointee.last > idleTimeouts[Int(flow.pointee.timeoutClass)] {
                end(slot: slot, reason: .idle)
                slot = -1
            } else if isOpeningSYN && startsNewConnection(flow, fromA: sourceIsA, sequence: sequence) {
                let state = flow.pointee.tcpState
                counters.portReuses &+= 1
                end(slot: slot, reason: state == .reset ? .rst : state == .closed ? .fin : .reuse)
                slot = -1
            } else if now &- flow.pointee.activeSince >= activeTimeout {
                emitInterim(slot: slot, now: now)
            }
        }
        var isNew = false
        if slot < 0 {
            slot = create(key: key, hash: hash, sourceIsA: sourceIsA, transport: transport, flags: flags,
                          sequence: sequence, now: now)
            isNew = true
        }
        let direction = update(slot: slot, sourceIsA: sourceIsA, flags: flags, sequence: sequence,
                               wireLength: wireLength, now: now)
        return FlowUpdate(slot: slot, direction: direction, isNew: isNew)
    }

    /// Moves packet time forward. One record stamped far in the future (a corrupt or hostile
    /// timestamp) must not expire every flow at once, so a jump of more than
    /// `unconfirmedJump` is believed only when the next packet jumps too (merged captures and
    /// capture pauses do; a single bad record does not).
    @inline(__always)
    func advanceClock(to now: Int64) {
        guard now > clock else {
            jumpPending = false
            return
        }
        if jumpPending || clock == Int64.min || now &- clock <= FlowTable.unconfirmedJump {
            clock = now
            jumpPending = false
        } else {
            jumpPending = true
        }
    }

    static var unconfirmedJump: Int64 { 60_000_000_000 }

    /// A copy of the flow in `slot`, or nil when the slot holds no flow.
    public func flow(at slot: Int) -> Flow? {
        guard slot >= 0, slot < highWater, flows[slot].id != 0 else { return nil }
        return flows[slot]
    }

    /// The engine's application state index of a live flow with an application, else nil: the
    /// per-packet question, answered without copying the whole `Flow`.
    @inline(__always)
    public func applicationState(at slot: Int) -> Int32? {
        guard slot >= 0, slot < highWater, flows[slot].id != 0, flows[slot].application != 0,
            flows[slot].appState >= 0
        else { return nil }
        return flows[slot].appState
    }

    /// The engine's application id and state index of a live flow with an application, else nil:
    /// what a flow's end asks, answered without copying the whole `Flow`.
    @inline(__always)
    func application(at slot: Int) -> (application: UInt8, state: Int32)? {
        guard slot >= 0, slot < highWater else { return nil }
        let flow = flows + slot
        guard flow.pointee.id != 0, flow.pointee.application != 0, flow.pointee.appState >= 0 else { return nil }
        return (flow.pointee.application, flow.pointee.appState)
    }

    /// Stores the engine's application id and state index on a live flow (ignored for a free slot).
    public func setApplication(_ application: UInt8, state: Int32, at slot: Int) {
        guard slot >= 0, slot < highWater, flows[slot].id != 0 else { return }
        flows[slot].application = application
        flows[slot].appState = state
    }

    /// Ends every flow whose idle time passed by `now` (at least the latest packet time), without
    /// the per-run batch limit: for live capture when packets stop, or before a report.
    public func expire(now: Timestamp) {
        if now.nanoseconds > clock { clock = now.nanoseconds }
        runExpiry(limit: Int.max)
    }

    /// End of input: emits a final record for every flow, in flow-id order, and empties the table.
    public func flushAll() {
        var live: [(id: UInt64, slot: Int)] = []
        live.reserveCapacity(counters.active)
        for slot in 0..<highWater where flows[slot].id != 0 {
            live.append((flows[slot].id, slot))
        }
        live.sort { $0.id < $1.id }
        for entry in live { end(slot: entry.slot, reason: .end) }
    }
}
