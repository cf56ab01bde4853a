/// Delivery, the partial-PDU buffer and the out-of-order buffer.
extension TCPStream {
    /// Bytes that start exactly at `nextSequence`.
    mutating func deliverInOrder(_ bytes: Span<UInt8>, shared: TCPReassembly, deliver: (Span<UInt8>, Int) -> Int) {
        let count = bytes.count
        nextSequence &+= UInt32(truncatingIfNeeded: count)
        shared.tally.pointee.counters.bytesDelivered &+= UInt64(count)
        let fillsHole = segments.first.map { Int32(bitPattern: $0.sequence &- nextSequence) <= 0 } ?? false
        if carry.isEmpty && !fillsHole {
            // The common case: hand on the segment itself; keep only what the consumer left.
            let gap = pendingGap
            pendingGap = 0
            let consumed = min(max(deliver(bytes, gap), 0), count)
            if consumed < count {
                Self.keep(bytes.extracting(consumed..<count), in: &carry, pendingGap: &pendingGap, shared: shared)
            }
            return
        }
        Self.keep(bytes, in: &carry, pendingGap: &pendingGap, shared: shared)
        drainAndDeliver(shared: shared, deliver: deliver)
    }

    /// Moves buffered segments that are now in order behind the carry, then offers the carry.
    mutating func drainAndDeliver(shared: TCPReassembly, deliver: (Span<UInt8>, Int) -> Int) {
        while let first = segments.first {
            let distance = Int(Int32(bitPattern: first.sequence &- nextSequence))
            if distance > 0 { break }
            segments.removeFirst()
            let length = Int(first.length), seen = -distance
            if seen >= length {
                shared.tally.pointee.counters.retransmittedBytes &+= UInt64(length)
                continue
            }
            shared.tally.pointee.counters.retransmittedBytes &+= UInt64(seen)
            let start = Int(first.offset) &+ seen, end = Int(first.offset) &+ length
            nextSequence &+= UInt32(truncatingIfNeeded: length &- seen)
            shared.tally.pointee.counters.bytesDelivered &+= UInt64(length &- seen)
            do {
                // A second reference to the arena (no copy) lets its bytes be read while self changes.
                let source = arena
                Self.keep(source.span.extracting(start..<end), in: &carry, pendingGap: &pendingGap, shared: shared)
            }
        }
        if segments.isEmpty { arena.removeAll(keepingCapacity: true) }
        Self.shrinkIfIdle(&arena, shared: shared)
        offerCarry(deliver: deliver, shared: shared)
    }

    /// Offers the partial-PDU buffer (if any) to the consumer and drops what it consumed.
    mutating func offerCarry(deliver: (Span<UInt8>, Int) -> Int, shared: TCPReassembly) {
        let count = carry.count
        guard count > 0 else { return }
        let gap = pendingGap
        pendingGap = 0
        let consumed = min(max(deliver(carry.span, gap), 0), count)
        if consumed == count {
            carry.removeAll(keepingCapacity: true)
        } else if consumed > 0 {
            carry.removeFirst(consumed)
        }
        Self.shrinkIfIdle(&carry, shared: shared)
    }

    /// Appends in-order bytes to the partial-PDU buffer. When the bound or the budget refuses, the
    /// held bytes are abandoned (they become part of the next gap) and the new ones kept if they fit.
    static func keep(_ bytes: Span<UInt8>, in carry: inout [UInt8], pendingGap: inout Int, shared: TCPReassembly) {
        let count = bytes.count
        if reserve(&carry, needed: carry.count &+ count, limit: shared.limits.maxCarryBytes, shared: shared) {
            append(bytes, to: &carry)
            return
        }
        shared.tally.pointee.counters.overflows &+= 1
        shared.tally.pointee.counters.overflowBytes &+= UInt64(carry.count)
        pendingGap &+= carry.count
        carry.removeAll(keepingCapacity: true)
        if Self.reserve(&carry, needed: count, limit: shared.limits.maxCarryBytes, shared: shared) {
            append(bytes, to: &carry)
        } else {
            shared.tally.pointee.counters.overflowBytes &+= UInt64(count)
            pendingGap &+= count
        }
    }

    /// Buffers a segment that starts `distance` bytes ahead. Returns false when a bound refuses it
    /// (the caller skips a hole and tries again); true when it was buffered or was a duplicate.
    mutating func bufferOutOfOrder(sequence: UInt32, distance: Int, payload: Span<UInt8>, shared: TCPReassembly)
        -> Bool {
        let count = payload.count
        var insertAt = segments.count
        var held = 0
        for (i, s) in segments.enumerated() {
            let start = Int(Int32(bitPattern: s.sequence &- nextSequence))
            if start <= distance && start &+ Int(s.length) >= distance &+ count {
                shared.tally.pointee.counters.retransmittedBytes &+= UInt64(count)
                return true
            }
            if insertAt == segments.count && start > distance { insertAt = i }
            held &+= Int(s.length)
        }
        let limits = shared.limits
        guard segments.count < limits.maxOutOfOrderSegments, held &+ count <= limits.maxOutOfOrderBytes else {
            return false
        }
        if arena.count &+ count > limits.maxOutOfOrderBytes { compactArena() }
        let needed = arena.count &+ count
        guard Self.reserve(&arena, needed: needed, limit: limits.maxOutOfOrderBytes, shared: shared) else {
            return false
        }
        let offset = Int32(truncatingIfNeeded: arena.count)
        Self.append(payload, to: &arena)
        segments.insert(Segment(sequence: sequence, offset: offset, length: Int32(truncatingIfNeeded: count)),
                        at: insertAt)
        shared.tally.pointee.counters.outOfOrderSegments &+= 1
        shared.tally.pointee.counters.outOfOrderBytes &+= UInt64(count)
        return true
    }

    /// Jumps `nextSequence` forward to `target`, abandoning the partial PDU: the consumer hears of
    /// both with the next delivery.
    mutating func skip(to target: UInt32, shared: TCPReassembly) {
        let hole = Int(Int32(bitPattern: target &- nextSequence))
        guard hole > 0 else { return }
        shared.tally.pointee.counters.gaps &+= 1
        shared.tally.pointee.counters.gapBytes &+= UInt64(hole)
        pendingGap &+= hole &+ carry.count
        carry.removeAll(keepingCapacity: true)
        Self.shrinkIfIdle(&carry, shared: shared)
        nextSequence = target
    }

    /// Moves the live segments to the front of the arena (drained ones leave dead bytes behind).
    mutating func compactArena() {
        var write = 0
        var done = 0
        // Segments are few (bounded); move them in arena order so no live byte is overwritten.
        while done < segments.count {
            var next = -1
            for (i, s) in segments.enumerated() where Int(s.offset) >= write {
                if next < 0 || s.offset < segments[next].offset { next = i }
            }
            if next < 0 { break }
            let from = Int(segments[next].offset), length = Int(segments[next].length)
            if from != write {
                arena.withUnsafeMutableBytes { raw in
                    guard let base = raw.baseAddress else { return }
                    (base + write).copyMemory(from: base + from, byteCount: length)
                }
                segments[next].offset = Int32(truncatingIfNeeded: write)
            }
            write &+= length
            done &+= 1
        }
        arena.removeLast(arena.count &- write)
    }

    /// Grows a buffer's capacity to `needed` (doubling, within `limit`) if the shared budget allows.
    /// A buffer's charge on the budget is always exactly its capacity; the allocator may round the
    /// capacity up a little, so that slack is charged first and the unused part refunded.
    static func reserve(_ buffer: inout [UInt8], needed: Int, limit: Int, shared: TCPReassembly) -> Bool {
        let before = buffer.capacity
        if needed <= before { return true }
        guard needed <= limit else { return false }
        var target = min(max(needed, before &* 2, 256), limit)
        if !shared.charge(target &- before &+ allocatorSlack) {
            target = needed
            guard shared.charge(target &- before &+ allocatorSlack) else { return false }
        }
        buffer.reserveCapacity(target)
        let taken = buffer.capacity &- before
        let charged = target &- before &+ allocatorSlack
        if taken <= charged {
            shared.refund(charged &- taken)
        } else {
            shared.tally.pointee.bytesInUse &+= taken &- charged  // never seen: more rounding than the slack
        }
        return true
    }

    /// Most bytes an array's capacity exceeds the request by (malloc granularity).
    static var allocatorSlack: Int { 64 }

    /// Frees an empty buffer bigger than the retained capacity.
    static func shrinkIfIdle(_ buffer: inout [UInt8], shared: TCPReassembly) {
        guard buffer.isEmpty, buffer.capacity > shared.limits.retainedCapacity else { return }
        let capacity = buffer.capacity
        buffer = []
        shared.refund(capacity)
    }

    static func append(_ bytes: Span<UInt8>, to buffer: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
    }
}
