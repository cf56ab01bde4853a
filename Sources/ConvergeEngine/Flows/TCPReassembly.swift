/// What all `TCPStream`s of one worker share: the limits, the total buffer budget and the counters.
/// A class so every stream charges one budget; not thread-safe (one per worker, like `FlowTable`).
public final class TCPReassembly {
    public let limits: TCPStreamLimits
    /// Buffer capacity currently held by all streams (out-of-order and partial-PDU buffers).
    public internal(set) var bytesInUse = 0
    public internal(set) var counters = TCPStreamCounters()

    public init(limits: TCPStreamLimits = TCPStreamLimits()) {
        self.limits = limits.clamped
    }

    /// Takes `bytes` more from the budget, or refuses.
    @inline(__always)
    func charge(_ bytes: Int) -> Bool {
        guard bytes <= limits.maxTotalBytes &- bytesInUse else { return false }
        bytesInUse &+= bytes
        return true
    }

    @inline(__always)
    func refund(_ bytes: Int) {
        bytesInUse = max(bytesInUse &- bytes, 0)
    }
}
