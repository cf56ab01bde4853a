import ConvergeModel

/// A request a dissector keeps until its answer arrives, to pair the two.
public protocol PendingRequest: Sendable {
    associatedtype Key: Equatable & Sendable
    /// What the answer carries to name its request (transaction id, sequence number, …).
    var pendingKey: Key { get }
    var time: Timestamp { get }
}

/// Requests waiting for their answers, per flow, bounded: when full, the oldest makes room.
///
/// The first `nearCapacity` requests live inline in the table (so in the flow's state, on the
/// cache lines the dissector already touches); only a client with more in flight spills into a
/// heap array. Lookups are linear on purpose: a healthy peer has a handful in flight, and a scan
/// cannot grow the table past `capacity`.
public struct BoundedPendingTable<Request: PendingRequest>: Sendable {
    /// Requests kept inline before any spill to the heap.
    public static var nearCapacity: Int { 8 }

    // The fields every insert and take read (`nearCount`, `far`, `capacity`) come first, right in
    // front of `near[0]` (at offset 24), so a flow with one request in flight reads its table from
    // one cache line when the table starts a line (`ModbusTCP.State` puts it first).

    /// `near[0..<nearCount]` are all set; `far` holds the rest (only when `near` is full).
    private var nearCount = 0
    private var far: [Request] = []
    public let capacity: Int
    private var near: InlineArray<8, Request?> = .init(repeating: nil)
    /// Requests dropped unanswered: replaced by a request with the same key, or dropped to make
    /// room (lost or not).
    public private(set) var unanswered: UInt64 = 0
    /// A request dropped to make room that was older than this was lost anyway, so dropping it
    /// is not reported; nil reports every drop.
    public let lostAfter: Duration64?

    public init(capacity: Int, lostAfter: Duration64?) {
        self.capacity = max(1, capacity)
        self.lostAfter = lostAfter
    }

    public var count: Int { nearCount &+ far.count }

    // `insert` and `take` are inlined into each protocol's parse: called out of line, the request
    // travels through memory both ways and the caller reads it back with wider loads than it was
    // stored with, a store-forwarding stall on every message (the rare full-table path stays out).

    /// Adds the request, or replaces one with the same key. True when a request that may still
    /// be answered was dropped to make room (an anomaly for the caller to flag).
    @inline(__always)
    public mutating func insert(_ request: Request) -> Bool {
        let key = request.pendingKey
        for i in 0..<nearCount where near[i]?.pendingKey == key {
            near[i] = request
            unanswered &+= 1
            return false
        }
        if !far.isEmpty, let index = far.firstIndex(where: { $0.pendingKey == key }) {
            far[index] = request
            unanswered &+= 1
            return false
        }
        if count < capacity {
            if nearCount < Self.nearCapacity {
                near[nearCount] = request
                nearCount &+= 1
            } else {
                far.append(request)
            }
            return false
        }
        return replaceOldest(with: request)
    }

    /// Removes and returns the request with this key.
    @inline(__always)
    public mutating func take(_ key: Request.Key) -> Request? {
        for i in 0..<nearCount {
            guard let found = near[i], found.pendingKey == key else { continue }
            nearCount &-= 1
            near[i] = near[nearCount]
            near[nearCount] = nil
            if let spilled = far.popLast() {
                near[nearCount] = spilled
                nearCount &+= 1
            }
            return found
        }
        guard !far.isEmpty, let index = far.firstIndex(where: { $0.pendingKey == key }) else { return nil }
        let found = far[index]
        far.swapAt(index, far.count &- 1)
        far.removeLast()
        return found
    }

    /// The request with this key, left in place (an answer in several parts keeps its request
    /// pending until the last part).
    public func peek(_ key: Request.Key) -> Request? {
        for i in 0..<nearCount {
            if let found = near[i], found.pendingKey == key { return found }
        }
        return far.first { $0.pendingKey == key }
    }

    /// The table is full: the oldest request makes room. True when it may still have been answered.
    @inline(never)
    private mutating func replaceOldest(with request: Request) -> Bool {
        var oldestTime = Timestamp(nanoseconds: .max)
        var oldestNear = -1, oldestFar = -1
        for i in 0..<nearCount {
            if let entry = near[i], entry.time < oldestTime { oldestTime = entry.time; oldestNear = i }
        }
        for (i, entry) in far.enumerated() where entry.time < oldestTime {
            oldestTime = entry.time
            oldestFar = i
            oldestNear = -1
        }
        if oldestFar >= 0 {
            far[oldestFar] = request
        } else if oldestNear >= 0 {
            near[oldestNear] = request
        }
        unanswered &+= 1
        guard let lostAfter else { return true }
        return request.time.nanoseconds &- oldestTime.nanoseconds < lostAfter.nanoseconds
    }
}

/// The per-flow state of a protocol that remembers nothing but its outstanding requests (FINS,
/// MELSEC, SRTP): the bounded table, and how many requests a full table pushed out.
public struct PendingRequestState<Request: PendingRequest>: Sendable {
    public var pending: BoundedPendingTable<Request>
    /// Requests dropped from a full table (each also an anomaly on its message).
    public var pendingOverflows: UInt64 = 0

    public init(capacity: Int, lostAfter: Duration64?) {
        pending = BoundedPendingTable(capacity: capacity, lostAfter: lostAfter)
    }
}
