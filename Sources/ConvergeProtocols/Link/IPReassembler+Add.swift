import ConvergeModel

extension IPReassembler {
    /// Adds one fragment (fields from DecodedPacket, data = the fragment payload). Returns the whole
    /// reassembled transport-layer datagram when the last piece arrives, else nil. Bounded in memory
    /// and time. Decode the result with `PacketDecoder.decodeTransport(_:ipProtocol:into:)`.
    public mutating func add(_ packet: DecodedPacket, data: Span<UInt8>, time: Timestamp) -> [UInt8]? {
        guard packet.isFragment else { return nil }
        guard !packet.anomalies.contains(.ipLengthExceedsCapture) else {
            stats.truncated &+= 1
            return nil
        }
        let start = packet.fragmentOffset
        let end = start &+ data.count
        guard start >= 0, end <= limits.maxDatagramSize else {
            stats.malformed &+= 1
            return nil
        }
        if packet.moreFragments, data.count == 0 || data.count % 8 != 0 {
            stats.malformed &+= 1
            return nil
        }

        let key = Key(
            source: packet.source.bits, destination: packet.destination.bits,
            id: packet.fragmentID, ipProtocol: packet.ipProtocol)
        var entry: Pending
        if let existing = pending.removeValue(forKey: key) {
            if isExpired(existing, now: time) {
                release(existing)
                stats.timedOut &+= 1
                entry = Pending(firstSeen: time)
            } else {
                entry = existing
            }
        } else {
            if pending.count >= limits.maxDatagrams, evictOldest() { stats.dropped &+= 1 }
            entry = Pending(firstSeen: time)
        }

        guard fitsEnd(start: start, end: end, more: packet.moreFragments, entry: &entry) else {
            stats.malformed &+= 1
            keep(entry, key)
            return nil
        }
        entry.fragments &+= 1
        guard entry.fragments <= limits.maxFragmentsPerDatagram, reserve(end, for: &entry) else {
            release(entry)
            stats.dropped &+= 1
            return nil
        }
        merge(data, start: start, into: &entry)

        if let finalLength = entry.finalLength, entry.received.count == 1,
            entry.received[0] == 0..<finalLength
        {
            release(entry)
            stats.completed &+= 1
            return entry.data
        }
        keep(entry, key)
        return nil
    }

    /// Checks the fragment against the datagram's known end and records the end a last fragment sets.
    func fitsEnd(start: Int, end: Int, more: Bool, entry: inout Pending) -> Bool {
        if more {
            if let finalLength = entry.finalLength, end > finalLength { return false }
            return true
        }
        if let finalLength = entry.finalLength { return finalLength == end }
        if let last = entry.received.last, last.upperBound > end { return false }
        entry.finalLength = end
        return true
    }

    /// Grows the datagram buffer to `end` bytes, evicting the oldest other datagrams if the total
    /// would pass the limit. False when even that is not enough.
    mutating func reserve(_ end: Int, for entry: inout Pending) -> Bool {
        let growth = end &- entry.data.count
        guard growth > 0 else { return true }
        while bufferedBytes &+ growth > limits.maxTotalBytes {
            guard evictOldest() else { return false }
            stats.dropped &+= 1
        }
        entry.data.append(contentsOf: [UInt8](repeating: 0, count: growth))
        bufferedBytes &+= growth
        return true
    }

    /// Copies the bytes of [start, start + data.count) that no earlier fragment supplied (first data
    /// wins), compares the rest, counts what overlapped, and records the range.
    mutating func merge(_ data: Span<UInt8>, start: Int, into entry: inout Pending) {
        let end = start &+ data.count
        var cursor = start
        var overlapped = false
        var conflicting = false
        var copiedAny = false
        for range in entry.received where range.upperBound > start && range.lowerBound < end {
            overlapped = true
            if range.lowerBound > cursor {
                copy(data, from: cursor, to: range.lowerBound, start: start, into: &entry)
                copiedAny = true
            }
            let high = min(range.upperBound, end)
            var i = max(range.lowerBound, start)
            while i < high {
                if entry.data[i] != data[i &- start] { conflicting = true }
                i &+= 1
            }
            cursor = max(cursor, high)
        }
        if cursor < end {
            copy(data, from: cursor, to: end, start: start, into: &entry)
            copiedAny = true
        }
        if overlapped {
            if copiedAny || conflicting { stats.overlaps &+= 1 } else { stats.duplicates &+= 1 }
            if conflicting { stats.inconsistentOverlaps &+= 1 }
        }
        if end > start { insert(start..<end, into: &entry.received) }
    }

    func copy(_ data: Span<UInt8>, from low: Int, to high: Int, start: Int, into entry: inout Pending) {
        var i = low
        while i < high {
            entry.data[i] = data[i &- start]
            i &+= 1
        }
    }

    /// Inserts a range into a sorted list of disjoint ranges, merging those it overlaps or touches.
    func insert(_ new: Range<Int>, into ranges: inout [Range<Int>]) {
        var low = new.lowerBound
        var high = new.upperBound
        var result: [Range<Int>] = []
        result.reserveCapacity(ranges.count &+ 1)
        var placed = false
        for range in ranges {
            if range.upperBound < low {
                result.append(range)
            } else if range.lowerBound > high {
                if !placed {
                    result.append(low..<high)
                    placed = true
                }
                result.append(range)
            } else {
                low = min(low, range.lowerBound)
                high = max(high, range.upperBound)
            }
        }
        if !placed { result.append(low..<high) }
        ranges = result
    }
}
