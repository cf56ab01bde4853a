/// One direction of a TCP connection as an in-order byte stream, for dissectors that parse PDUs
/// spanning segments (STYLE.md: the dissector returns how much it consumed; the rest waits here).
///
/// `deliver(bytes, gap) -> consumed` is called with every run of in-order bytes. `gap` is how many
/// stream bytes were skipped since the end of what the consumer last consumed (lost in the
/// capture, dropped by a bound, or a partial PDU abandoned at a hole): 0 normally; when it is not,
/// the consumer resynchronises. So the consumer always knows the stream position of `bytes`.
/// Unconsumed trailing bytes are kept and offered again in front of the next bytes.
///
/// - In order with nothing held: the segment's own span is delivered (no copy).
/// - Retransmitted and overlapping bytes are trimmed (sequence numbers compare in serial arithmetic,
///   so wrap-around at 2^32 is ordinary); out-of-order segments wait in a bounded buffer.
/// - A bound reached (per-direction bytes or segments, partial-PDU size, shared total), the peer
///   acknowledging past a hole, or `finish` skips the hole and reports it.
///
/// The consumer must not touch this stream while it runs. Call `release` when the flow ends.
public struct TCPStream {
    struct Segment {
        var sequence: UInt32
        var offset: Int32
        var length: Int32
    }

    // The fields the per-segment fast path reads come first, so they share a cache line.

    /// Whether the first byte's sequence number is known (from the SYN or the first segment).
    public internal(set) var isStarted = false
    /// Whether a partial PDU, out-of-order data or an unreported gap is held. Kept inline and
    /// refreshed after every change so the per-segment fast path decides without reading the
    /// buffers' headers (two cache misses per segment otherwise).
    public private(set) var isHolding = false
    /// The sequence number of the next in-order byte.
    public internal(set) var nextSequence: UInt32 = 0
    /// Stream bytes skipped that the consumer has not been told about yet.
    var pendingGap = 0
    /// Delivered but unconsumed bytes; they end just before `nextSequence`.
    var carry: [UInt8] = []
    /// Out-of-order segments, ordered by sequence (relative to `nextSequence`), bytes in `arena`.
    var segments: [Segment] = []
    var arena: [UInt8] = []

    public init() {}

    mutating func refreshHolding() {
        isHolding = pendingGap != 0 || !carry.isEmpty || !segments.isEmpty
    }

    /// Bytes held: the partial PDU plus out-of-order data.
    public var bufferedBytes: Int { carry.count &+ segments.reduce(0) { $0 &+ Int($1.length) } }

    /// Takes one segment of this direction. `flags` is the TCP flags byte (SYN fixes the initial
    /// sequence number; RST segments carry no stream data).
    public mutating func receive(
        sequence: UInt32, flags: UInt8, payload: Span<UInt8>, shared: TCPReassembly,
        deliver: (Span<UInt8>, Int) -> Int
    ) {
        defer { refreshHolding() }
        if flags & TCPFlags.rst != 0 { return }
        var sequence = sequence
        if flags & TCPFlags.syn != 0 {
            sequence &+= 1  // the SYN occupies one sequence number; any data follows it
            if !isStarted {
                isStarted = true
                nextSequence = sequence
            }
        }
        let count = payload.count
        guard count > 0 else { return }
        if !isStarted {
            isStarted = true
            nextSequence = sequence
        }
        // Each pass either delivers, buffers or drops the segment, or skips a hole (which removes at
        // least one buffered segment), so the loop ends.
        while true {
            let distance = Int(Int32(bitPattern: sequence &- nextSequence))
            if distance <= 0 {
                let seen = -distance
                if seen >= count {
                    shared.tally.pointee.counters.retransmittedBytes &+= UInt64(count)
                    return
                }
                shared.tally.pointee.counters.retransmittedBytes &+= UInt64(seen)
                deliverInOrder(payload.extracting(seen..<count), shared: shared, deliver: deliver)
                return
            }
            if bufferOutOfOrder(sequence: sequence, distance: distance, payload: payload, shared: shared) {
                return
            }
            // A bound is reached: skip to the first buffered segment, or to this one if none.
            shared.tally.pointee.counters.overflows &+= 1
            if segments.isEmpty {
                skip(to: sequence, shared: shared)
            } else {
                skip(to: segments[0].sequence, shared: shared)
                drainAndDeliver(shared: shared, deliver: deliver)
            }
        }
    }

    /// The common case, decided without a delivery closure: a data segment that starts at or
    /// before `nextSequence` while nothing is held (no partial PDU, no out-of-order data, no gap to
    /// report). Advances past its new bytes and returns the offset of the first one in the
    /// payload; the caller dissects `payload[offset...]` and hands what it left to
    /// `keepUnconsumed`. Nil: the general `receive` must take the segment.
    @inline(__always)
    public mutating func takeInOrder(sequence: UInt32, flags: UInt8, count: Int, shared: TCPReassembly) -> Int? {
        guard isStarted, !isHolding, flags & (TCPFlags.rst | TCPFlags.syn) == 0 else { return nil }
        let seen = Int(Int32(bitPattern: nextSequence &- sequence))
        guard seen >= 0, seen < count else { return nil }
        nextSequence &+= UInt32(truncatingIfNeeded: count &- seen)
        shared.tally.pointee.counters.retransmittedBytes &+= UInt64(seen)
        shared.tally.pointee.counters.bytesDelivered &+= UInt64(count &- seen)
        return seen
    }

    /// After `takeInOrder`: keeps the bytes the consumer did not use, to be offered again in front
    /// of the next ones.
    public mutating func keepUnconsumed(_ rest: Span<UInt8>, shared: TCPReassembly) {
        guard rest.count > 0 else { return }
        Self.keep(rest, in: &carry, pendingGap: &pendingGap, shared: shared)
        refreshHolding()
    }

    /// The other direction acknowledged up to `acknowledgment`. When that covers the whole hole in
    /// front of buffered data, the receiver got bytes the capture lost: skip them and go on.
    public mutating func peerAcknowledged(
        _ acknowledgment: UInt32, shared: TCPReassembly, deliver: (Span<UInt8>, Int) -> Int
    ) {
        guard isStarted, isHolding, let first = segments.first else { return }
        defer { refreshHolding() }
        guard Int32(bitPattern: acknowledgment &- first.sequence) >= 0 else { return }
        skip(to: first.sequence, shared: shared)
        drainAndDeliver(shared: shared, deliver: deliver)
    }

    /// The flow ends: delivers every buffered segment, skipping the holes between them, then frees
    /// the buffers. A partial PDU left at the end is dropped.
    public mutating func finish(shared: TCPReassembly, deliver: (Span<UInt8>, Int) -> Int) {
        defer { refreshHolding() }
        while let first = segments.first {
            skip(to: first.sequence, shared: shared)
            drainAndDeliver(shared: shared, deliver: deliver)
        }
        release(shared: shared)
    }

    /// Frees the buffers and returns their budget. The stream may be reused afterwards as new.
    public mutating func release(shared: TCPReassembly) {
        // Each buffer's charge on the shared budget is exactly its capacity.
        shared.refund(carry.capacity &+ arena.capacity)
        self = TCPStream()
    }
}
