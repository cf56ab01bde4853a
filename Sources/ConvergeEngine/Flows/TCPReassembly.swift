/// What all `TCPStream`s of one worker share: the limits, the total buffer budget and the counters.
/// A class so every stream charges one budget; not thread-safe (one per worker, like `FlowTable`).
public final class TCPReassembly {
    struct Tally {
        var bytesInUse = 0
        var counters = TCPStreamCounters()
    }

    public let limits: TCPStreamLimits
    /// The mutable state lives behind a pointer: stored properties of a class are checked for
    /// exclusive access at run time on every change, which cost more than the counting itself.
    let tally: UnsafeMutablePointer<Tally>

    /// Buffer capacity currently held by all streams (out-of-order and partial-PDU buffers).
    public var bytesInUse: Int { tally.pointee.bytesInUse }
    public var counters: TCPStreamCounters { tally.pointee.counters }

    public init(limits: TCPStreamLimits = TCPStreamLimits()) {
        self.limits = limits.clamped
        tally = .allocate(capacity: 1)
        tally.initialize(to: Tally())
    }

    deinit {
        tally.deallocate()
    }

    /// Takes `bytes` more from the budget, or refuses.
    @inline(__always)
    func charge(_ bytes: Int) -> Bool {
        guard bytes <= limits.maxTotalBytes &- tally.pointee.bytesInUse else { return false }
        tally.pointee.bytesInUse &+= bytes
        return true
    }

    @inline(__always)
    func refund(_ bytes: Int) {
        tally.pointee.bytesInUse = max(tally.pointee.bytesInUse &- bytes, 0)
    }
}
