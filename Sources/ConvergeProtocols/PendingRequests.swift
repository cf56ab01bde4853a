import ConvergeModel

/// A request a dissector keeps until its answer arrives, to pair the two.
public protocol PendingRequest: Sendable {
    associatedtype Key: Equatable & Sendable
    /// What the answer carries to name its request (transaction id, sequence number, …).
    var pendingKey: Key { get }
    var time: Timestamp { get }
}

/// Requests waiting for their answers, per flow, bounded: when full, the oldest makes room.
/// Linear on purpose: a healthy peer has a handful in flight, and a scan cannot grow it.
public struct BoundedPendingTable<Request: PendingRequest>: Sendable {
    public let capacity: Int
    /// A request dropped to make room that was older than this was lost anyway, so dropping it
    /// is not reported; nil reports every drop.
    public let lostAfter: Duration64?
    private var entries: [Request] = []

    public init(capacity: Int, lostAfter: Duration64?) {
        self.capacity = max(1, capacity)
        self.lostAfter = lostAfter
    }

    public var count: Int { entries.count }

    /// Requests dropped unanswered: replaced by a request with the same key, or dropped to make
    /// room (lost or not).
    public private(set) var unanswered: UInt64 = 0

    /// Adds the request, or replaces one with the same key. True when a request that may still
    /// be answered was dropped to make room (an anomaly for the caller to flag).
    public mutating func insert(_ request: Request) -> Bool {
        if entries.capacity < capacity { entries.reserveCapacity(capacity) }
        if let index = entries.firstIndex(where: { $0.pendingKey == request.pendingKey }) {
            entries[index] = request
            unanswered &+= 1
            return false
        }
        guard entries.count >= capacity else {
            entries.append(request)
            return false
        }
        var oldest = 0
        for index in entries.indices where entries[index].time < entries[oldest].time { oldest = index }
        let age = request.time.nanoseconds &- entries[oldest].time.nanoseconds
        entries[oldest] = request
        unanswered &+= 1
        guard let lostAfter else { return true }
        return age < lostAfter.nanoseconds
    }

    /// Removes and returns the request with this key.
    public mutating func take(_ key: Request.Key) -> Request? {
        guard let index = entries.firstIndex(where: { $0.pendingKey == key }) else { return nil }
        let found = entries[index]
        entries.swapAt(index, entries.count &- 1)
        entries.removeLast()
        return found
    }
}
