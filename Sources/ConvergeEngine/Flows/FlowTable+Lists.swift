/// The idle lists: doubly linked through `Flow.lruPrev/lruNext` slot indices, most recent at the
/// head. Free slots are chained through `lruNext` from `freeHead`.
extension FlowTable {
    @inline(__always)
    func head(_ timeoutClass: UInt8) -> UInt32 { listEnds[Int(timeoutClass) &* 2] }
    @inline(__always)
    func tail(_ timeoutClass: UInt8) -> UInt32 { listEnds[Int(timeoutClass) &* 2 &+ 1] }

    @inline(__always)
    func linkAtHead(_ slot: Int, _ timeoutClass: UInt8) {
        let headIndex = Int(timeoutClass) &* 2
        let oldHead = listEnds[headIndex]
        let s = UInt32(truncatingIfNeeded: slot)
        flows[slot].lruPrev = FlowTable.nil32
        flows[slot].lruNext = oldHead
        if oldHead != FlowTable.nil32 {
            flows[Int(oldHead)].lruPrev = s
        } else {
            listEnds[headIndex &+ 1] = s
        }
        listEnds[headIndex] = s
    }

    @inline(__always)
    func unlink(_ slot: Int, _ timeoutClass: UInt8) {
        let headIndex = Int(timeoutClass) &* 2
        let prev = flows[slot].lruPrev, next = flows[slot].lruNext
        if prev != FlowTable.nil32 { flows[Int(prev)].lruNext = next } else { listEnds[headIndex] = next }
        if next != FlowTable.nil32 { flows[Int(next)].lruPrev = prev } else { listEnds[headIndex &+ 1] = prev }
    }

    /// Marks a flow most recently active within its list.
    @inline(__always)
    func touch(_ slot: Int, _ timeoutClass: UInt8) {
        if head(timeoutClass) == UInt32(truncatingIfNeeded: slot) { return }
        unlink(slot, timeoutClass)
        linkAtHead(slot, timeoutClass)
    }

    /// A slot for a new flow: a freed one, else the next never-used one. The caller made room.
    func allocateSlot() -> Int {
        if freeHead != FlowTable.nil32 {
            let slot = Int(freeHead)
            freeHead = flows[slot].lruNext
            return slot
        }
        let slot = highWater
        highWater &+= 1
        return slot
    }

    func releaseSlot(_ slot: Int) {
        flows[slot].id = 0
        flows[slot].lruNext = freeHead
        freeHead = UInt32(truncatingIfNeeded: slot)
    }
}
