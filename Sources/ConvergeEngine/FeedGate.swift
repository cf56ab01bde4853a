import ConvergeModel
import ConvergeProtocols

/// The detection feed's memory of verdicts: per flow and message shape (`FeedKey`), whether the
/// detectors want such messages as events (`FeedVerdict`). The first message of a shape is always
/// built and its verdict asked of `gate.verdict`; a poll then repeats shapes the detectors skip, and
/// those messages are never turned into events. Four ways per bucket: a bench of a thousand live
/// shapes in a direct-mapped table had dozens of pairs evicting each other on every message (each
/// eviction builds the message again and makes a new counting plan); with four ways a fifth shape
/// in one bucket is rare. Skips kept between endpoints (`FeedScope.endpoints`) have buckets of
/// their own, eight times as many: they must outlive the many short IT flows in between, whose
/// entries churn the flows' buckets (sharing 2,048 buckets, most TLS and HTTP connections found
/// their endpoints' skip evicted and were built again), while the flows' buckets stay few, so a
/// poll's lookups stay in cache. Flow ids are never reused within a run, so a verdict cannot go
/// stale.
final class FeedGate {
    static let flowBuckets = 2048
    static let endpointBuckets = 16384
    static let buckets = flowBuckets + endpointBuckets
    static let ways = 4

    /// One way: a 64-bit fingerprint of its flow (or endpoints) and shape tag, and its verdict
    /// (`code`). Sixteen bytes, so a bucket's four ways fill one cache line: the table is read per
    /// message and the packet stream keeps evicting it, so a lookup costs one miss, not two. Two
    /// shapes alike in all 64 bits of the fingerprint are as rare as two endpoints' ids alike.
    private struct Entry {
        /// 0: an empty way.
        var print: UInt64 = 0
        /// The verdict (`code`), and in the top bit whether it was asked since the bucket's clock
        /// hand last passed: a poll's shapes are, a finished DNS query's or TLS handshake's are
        /// not, so those are what a new shape replaces.
        var code: UInt64 = 0
    }

    private static let referenced: UInt64 = 1 << 63

    /// The fingerprint of a flow (or endpoints) and a shape tag, never 0.
    @inline(__always)
    private static func fingerprint(flow: UInt64, tag: UInt64) -> UInt64 {
        var h = flow &* 0xBF58_476D_1CE4_E5B9 ^ tag &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        h &*= 0x9E37_79B9_7F4A_7C15
        return h ^ h >> 29 | 1
    }

    @inline(__always)
    private static func code(_ verdict: FeedVerdict) -> UInt64 {
        switch verdict {
        case .build: 1
        case .skip: 2
        case .count(let plan): UInt64(truncatingIfNeeded: plan) << 2 | 3
        }
    }

    @inline(__always)
    private static func verdict(_ code: UInt64) -> FeedVerdict {
        switch code & 3 {
        case 1: .build
        case 2: .skip
        default: .count(plan: Int(truncatingIfNeeded: (code & ~referenced) >> 2))
        }
    }

    /// The table and its clock hands, in memory of their own (buckets on cache-line boundaries):
    /// read and written per message, an array would be checked for sharing at every write.
    private let entries: UnsafeMutablePointer<Entry>
    /// Per bucket, the clock hand: the way looked at first when a new shape needs one.
    private let victims: UnsafeMutablePointer<UInt8>
    /// The detectors' answer for a built message, and where counted messages go.
    let gate: MessageGate
    /// Messages not built because their shape was skipped, or only counted.
    var skipped: UInt64 = 0
    var counted: UInt64 = 0
    /// Debug builds: each key's first shape per flow (`noteShape`).
    var shapes: [ShapeKey: FeedShape] = [:]

    init(_ gate: MessageGate) {
        self.gate = gate
        let ways = Self.buckets &* Self.ways
        entries = UnsafeMutableRawPointer.allocate(byteCount: ways &* MemoryLayout<Entry>.stride, alignment: 64)
            .bindMemory(to: Entry.self, capacity: ways)
        entries.initialize(repeating: Entry(), count: ways)
        victims = .allocate(capacity: Self.buckets)
        victims.initialize(repeating: 0, count: Self.buckets)
    }

    deinit {
        // Released as it was taken: raw, aligned memory.
        UnsafeMutableRawPointer(entries).deallocate()
        victims.deallocate()
    }

    /// The key's bucket, folding in the protocol (two dissectors may compose equal key bits):
    /// among the flows' buckets for a flow id, after them for endpoints (`endpoints`).
    @inline(__always)
    static func slot(flow: UInt64, app: UInt8, key: FeedKey) -> Int {
        var h = flow &* 0x9E37_79B9_7F4A_7C15
        h ^= (key.bits ^ UInt64(app) << 40) &* 0xC2B2_AE3D_27D4_EB4F
        let mixed = Int(truncatingIfNeeded: h >> 40)
        return flow >> 63 == 0 ? mixed % flowBuckets : flowBuckets &+ mixed % endpointBuckets
    }

    @inline(__always)
    static func tag(app: UInt8, key: FeedKey) -> UInt64 { key.bits ^ UInt64(app) << 56 }

    /// Endpoints stand in for a flow id in the table (`FeedScope.endpoints`): their hash with the
    /// top bit set, which flow ids (counted from 1) never have.
    static func endpoints(client: Endpoint, server: Endpoint, app: UInt8, clientPort: Bool) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(client.address)
        hasher.combine(server.address)
        hasher.combine(server.port)
        hasher.combine(app)
        if clientPort { hasher.combine(client.port) }
        return UInt64(UInt(bitPattern: hasher.finalize())) | 1 << 63
    }

    /// Where this flow and key sit in `slot`'s bucket, -1 when they do not.
    @inline(__always)
    private func place(slot: Int, print: UInt64) -> Int {
        let first = slot &* Self.ways
        for way in first..<(first &+ Self.ways) where entries[way].print == print { return way }
        return -1
    }

    /// The verdict stored for this flow and key, nil when none is (the message is then built
    /// and `gate.verdict` asked).
    @inline(__always)
    func verdict(slot: Int, flow: UInt64, tag: UInt64) -> FeedVerdict? {
        let way = place(slot: slot, print: Self.fingerprint(flow: flow, tag: tag))
        guard way >= 0 else { return nil }
        let code = entries[way].code
        if code & Self.referenced == 0 { entries[way].code = code | Self.referenced }
        return Self.verdict(code)
    }

    /// A message of a counted shape, handed to `gate.count`; when its plan is gone the verdict is
    /// forgotten and false returned (the message is then built and its shape asked again).
    @inline(__always)
    func count(_ plan: Int, _ sighting: FeedSighting, slot: Int, flow: UInt64, tag: UInt64) -> Bool {
        if gate.count(plan, sighting) {
            counted &+= 1
            return true
        }
        forget(slot: slot, flow: flow, tag: tag)
        return false
    }

    func forget(slot: Int, flow: UInt64, tag: UInt64) {
        let way = place(slot: slot, print: Self.fingerprint(flow: flow, tag: tag))
        if way >= 0 { entries[way] = Entry() }
    }

    /// Stores a verdict in its flow and key's way, else in a free way, else in the first way the
    /// bucket's clock hand finds not asked since it last passed (clearing the marks it passes).
    func record(slot: Int, flow: UInt64, tag: UInt64, _ verdict: FeedVerdict) {
        let print = Self.fingerprint(flow: flow, tag: tag)
        let first = slot &* Self.ways
        var way = place(slot: slot, print: print)
        if way < 0 { way = (first..<(first &+ Self.ways)).first { entries[$0].print == 0 } ?? -1 }
        while way < 0 {
            let hand = first &+ Int(victims[slot])
            victims[slot] = (victims[slot] &+ 1) % UInt8(Self.ways)
            if entries[hand].code & Self.referenced != 0 {
                entries[hand].code &= ~Self.referenced
            } else {
                way = hand
            }
        }
        entries[way] = Entry(print: print, code: Self.code(verdict))
    }
}

/// What the message feed's gate asks (`Analyzer.messageGate`): the verdict for the shape of a
/// built message, and where the messages of a counted shape go.
public struct MessageGate {
    public var verdict: (Message) -> FeedVerdict
    /// False when the plan is no longer known: the message is then built and its shape asked again.
    public var count: (Int, FeedSighting) -> Bool
    /// How far a skip reaches (`FeedScope`).
    public var skipScope: FeedScope

    public init(
        verdict: @escaping (Message) -> FeedVerdict, count: @escaping (Int, FeedSighting) -> Bool,
        skipScope: FeedScope = .flow
    ) {
        self.verdict = verdict
        self.count = count
        self.skipScope = skipScope
    }
}

extension FlowTable {
    /// The id of the live flow in `slot`, 0 for a free slot: read in place, without copying the flow.
    @inline(__always)
    func id(at slot: Int) -> UInt64 {
        guard slot >= 0, slot < highWater else { return 0 }
        return flows[slot].id
    }
}

/// What `FeedKey` promises equal between messages of one key on one flow.
struct FeedShape: Equatable {
    var proto: String
    var direction: Direction
    var functionCode: Int
    var functionName: String
    var operation: Operation
    var status: Int
    var anomalies: [String]

    init(_ m: Message) {
        proto = m.proto
        direction = m.direction
        functionCode = m.functionCode
        functionName = m.functionName
        operation = m.operation
        status = m.status.kindIndex
        anomalies = m.anomalies
    }
}

extension FeedGate {
    /// Debug builds remember each key's first shape per flow and check every later event of
    /// the key against it (skipped ones included: see `ApplicationLayer.assertSameShape`).
    func noteShape(flow: UInt64, tag: UInt64, unit: Int?, _ event: Message) {
        #if DEBUG
            assert(event.unit == unit, "\(event.proto) key unit \(unit ?? -1), event unit \(event.unit ?? -1)")
            let shape = FeedShape(event)
            let key = ShapeKey(flow: flow, tag: tag)
            if let first = shapes[key] {
                assert(first == shape, "\(event.proto) key \(tag) on flow \(flow): \(first) then \(shape)")
            } else if shapes.count < 1_000_000 {
                shapes[key] = shape
            }
        #endif
    }
}

struct ShapeKey: Hashable {
    var flow: UInt64
    var tag: UInt64
}
