import Testing
@testable import ConvergeEngine

/// Every bound of TCP reassembly, each reached on purpose: the stream skips or drops, reports the
/// gap, counts the overflow and keeps delivering the right bytes.
@Suite struct TCPStreamBoundsTests {
    func limits(_ change: (inout TCPStreamLimits) -> Void) -> TCPStreamLimits {
        var l = TCPStreamLimits()
        change(&l)
        return l
    }

    @Test func outOfOrderSegmentCountBound() {
        let shared = TCPReassembly(limits: limits { $0.maxOutOfOrderSegments = 2 })
        let data = streamBytes(1000)
        let checker = StreamChecker(data)
        var stream = TCPStream()
        stream.feed(data, 0..<100, base: 0, shared: shared, to: checker)
        stream.feed(data, 200..<300, base: 0, shared: shared, to: checker)
        stream.feed(data, 400..<500, base: 0, shared: shared, to: checker)
        #expect(checker.position == 100 && stream.withinBounds(shared.limits))
        stream.feed(data, 600..<700, base: 0, shared: shared, to: checker)  // a third: skip the first hole
        #expect(checker.gaps == [100] && checker.position == 300 && shared.counters.overflows == 1)
        #expect(stream.segments.count == 2 && stream.withinBounds(shared.limits))
        stream.feed(data, 300..<400, base: 0, shared: shared, to: checker)
        #expect(checker.position == 500)
        stream.finish(shared: shared, deliver: checker.deliver)
        #expect(checker.gaps == [100, 100] && checker.position == 700 && checker.mismatches == 0)
        #expect(shared.bytesInUse == 0)
    }

    @Test func outOfOrderByteBound() {
        let shared = TCPReassembly(limits: limits { $0.maxOutOfOrderBytes = 250 })
        let data = streamBytes(2000)
        let checker = StreamChecker(data)
        var stream = TCPStream()
        stream.feed(data, 0..<100, base: 9, shared: shared, to: checker)
        stream.feed(data, 200..<300, base: 9, shared: shared, to: checker)
        stream.feed(data, 400..<500, base: 9, shared: shared, to: checker)
        stream.feed(data, 600..<700, base: 9, shared: shared, to: checker)  // 300 > 250 buffered
        #expect(checker.gaps == [100] && checker.position == 300 && stream.withinBounds(shared.limits))
        // a segment larger than the bound with a hole in front: skip everything up to it
        stream.feed(data, 1000..<1300, base: 9, shared: shared, to: checker)
        #expect(checker.gaps == [100, 100, 100, 300] && checker.position == 1300)
        #expect(checker.mismatches == 0 && stream.bufferedBytes == 0 && stream.withinBounds(shared.limits))
        #expect(shared.counters.gaps == 4 && shared.counters.gapBytes == 600)
    }

    /// A consumer that never consumes (a PDU larger than the bound) cannot pin memory: the partial
    /// PDU is dropped and the gap reported.
    @Test func carryBound() {
        let shared = TCPReassembly(limits: limits { $0.maxCarryBytes = 300 })
        let data = streamBytes(1000)
        let checker = StreamChecker(data)
        var wanted = Int.max
        checker.policy = { $0.count >= wanted ? $0.count : 0 }
        var stream = TCPStream()
        for start in stride(from: 0, to: 400, by: 100) {
            stream.feed(data, start..<start + 100, base: 0, shared: shared, to: checker)
            #expect(stream.withinBounds(shared.limits))
        }
        #expect(stream.carry.count == 100 && shared.counters.overflows == 1 && shared.counters.overflowBytes == 300)
        wanted = 0
        stream.feed(data, 400..<500, base: 0, shared: shared, to: checker)
        #expect(checker.gaps == [300] && checker.position == 500 && checker.mismatches == 0)
        // a single segment larger than the bound, unconsumed: dropped whole
        wanted = Int.max
        stream.feed(data, 500..<900, base: 0, shared: shared, to: checker)
        #expect(stream.carry.isEmpty && shared.counters.overflowBytes == 700)
        wanted = 0
        stream.feed(data, 900..<1000, base: 0, shared: shared, to: checker)
        #expect(checker.gaps == [300, 400] && checker.position == 1000 && checker.mismatches == 0)
    }

    @Test func sharedTotalBound() {
        let shared = TCPReassembly(limits: limits { $0.maxTotalBytes = 2048 })
        let data = streamBytes(3000)
        let first = StreamChecker(data), second = StreamChecker(data)
        var a = TCPStream(), b = TCPStream()
        a.feed(data, 0..<10, base: 0, shared: shared, to: first)
        a.feed(data, 100..<1600, base: 0, shared: shared, to: first)
        #expect(a.bufferedBytes == 1500 && shared.bytesInUse <= 2048)
        b.feed(data, 0..<10, base: 0, shared: shared, to: second)
        b.feed(data, 100..<1100, base: 0, shared: shared, to: second)  // no budget left: skip to it
        #expect(second.gaps == [90] && second.position == 1100 && shared.counters.overflows == 1)
        #expect(b.bufferedBytes == 0 && shared.bytesInUse <= 2048)
        #expect(shared.bytesInUse == a.heldCapacity + b.heldCapacity)
        a.release(shared: shared)
        b.release(shared: shared)
        #expect(shared.bytesInUse == 0)
    }

    @Test func limitsAreClamped() {
        var l = TCPStreamLimits()
        l.maxCarryBytes = -5
        l.maxOutOfOrderBytes = Int.max
        l.maxOutOfOrderSegments = -1
        l.maxTotalBytes = Int.max
        let c = TCPReassembly(limits: l).limits
        #expect(c.maxCarryBytes == 0 && c.maxOutOfOrderBytes == 1 << 30 && c.maxOutOfOrderSegments == 0)
        #expect(c.maxTotalBytes == Int.max >> 2)
        // with nothing allowed the stream still delivers in-order bytes (zero copy) and never traps
        let shared = TCPReassembly(limits: l)
        let data = streamBytes(300)
        let checker = StreamChecker(data)
        checker.policy = { $0.count / 2 }
        var stream = TCPStream()
        stream.feed(data, 0..<100, base: 0, shared: shared, to: checker)
        stream.feed(data, 200..<300, base: 0, shared: shared, to: checker)
        #expect(checker.mismatches == 0 && checker.position == 250 && stream.bufferedBytes == 0)
    }
}
