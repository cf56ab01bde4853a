/// The open-addressing index: each word is `hash tag (high 32 bits) | slot + 1 (low 32 bits)`,
/// 0 is empty. The tag is the hash's low 32 bits, so an entry's home bucket is `tag & mask`
/// without touching the flow, and most mismatches are rejected without touching it either.
extension FlowTable {
    @inline(__always)
    func find(_ key: FlowKey, hash: UInt64) -> Int {
        let tag = hash & 0xFFFF_FFFF
        var i = Int(truncatingIfNeeded: hash) & indexMask
        while true {
            let entry = index[i]
            if entry == 0 { return -1 }
            if entry >> 32 == tag {
                let slot = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                if flows[slot].key == key { return slot }
            }
            i = (i &+ 1) & indexMask
        }
    }

    /// Adds a slot; the caller guarantees the key is not present.
    func insertIntoIndex(slot: Int, hash: UInt64) {
        if (counters.active &+ 1) &* 2 > indexMask &+ 1 && indexMask &+ 1 < maxIndexSize {
            growIndex()
        }
        place(entry: (hash & 0xFFFF_FFFF) << 32 | UInt64(truncatingIfNeeded: slot &+ 1))
    }

    @inline(__always)
    private func place(entry: UInt64) {
        var i = Int(truncatingIfNeeded: entry >> 32) & indexMask
        while index[i] != 0 { i = (i &+ 1) & indexMask }
        index[i] = entry
    }

    /// Removes a slot's entry and shifts the following entries of the cluster back into the hole
    /// wherever their probe path allows, so lookups never need tombstones.
    func removeFromIndex(slot: Int, hash: UInt64) {
        let wanted = UInt64(truncatingIfNeeded: slot &+ 1)
        var hole = Int(truncatingIfNeeded: hash) & indexMask
        while true {
            let entry = index[hole]
            if entry == 0 { return }  // not present: nothing to do (cannot happen for a live flow)
            if entry & 0xFFFF_FFFF == wanted { break }
            hole = (hole &+ 1) & indexMask
        }
        var j = hole
        while true {
            j = (j &+ 1) & indexMask
            let entry = index[j]
            if entry == 0 { break }
            let home = Int(truncatingIfNeeded: entry >> 32) & indexMask
            // The entry may fill the hole only if the hole lies on its path from home to j.
            if (j &- home) & indexMask >= (j &- hole) & indexMask {
                index[hole] = entry
                hole = j
            }
        }
        index[hole] = 0
    }

    /// Doubles the index (warm-up only: it stops at twice the capacity) and re-places every flow.
    private func growIndex() {
        let newSize = (indexMask &+ 1) &* 2
        index.deallocate()
        index = .allocate(capacity: newSize)
        index.initialize(repeating: 0, count: newSize)
        indexMask = newSize &- 1
        for slot in 0..<highWater where flows[slot].id != 0 {
            let hash = flows[slot].key.hash(seed: seed)
            place(entry: (hash & 0xFFFF_FFFF) << 32 | UInt64(truncatingIfNeeded: slot &+ 1))
        }
    }
}
