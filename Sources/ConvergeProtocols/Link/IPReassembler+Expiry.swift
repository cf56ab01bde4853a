import ConvergeModel

extension IPReassembler {
    /// Drops every datagram whose first fragment is older than `limits.timeout` at `now`.
    public mutating func expire(now: Timestamp) {
        var expired: [Key] = []
        for (key, entry) in pending where isExpired(entry, now: now) { expired.append(key) }
        for key in expired {
            if let entry = pending.removeValue(forKey: key) { release(entry) }
            stats.timedOut &+= 1
        }
    }

    func isExpired(_ entry: Pending, now: Timestamp) -> Bool {
        now.nanoseconds &- entry.firstSeen.nanoseconds > limits.timeout.nanoseconds
    }

    /// Evicts the datagram that started first. False when nothing is pending.
    mutating func evictOldest() -> Bool {
        var oldest: (key: Key, time: Timestamp)?
        for (key, entry) in pending where oldest.map({ entry.firstSeen < $0.time }) ?? true {
            oldest = (key, entry.firstSeen)
        }
        guard let oldest, let entry = pending.removeValue(forKey: oldest.key) else { return false }
        release(entry)
        return true
    }

    mutating func release(_ entry: Pending) {
        bufferedBytes &-= entry.data.count
    }

    mutating func keep(_ entry: Pending, _ key: Key) {
        pending[key] = entry
    }
}
