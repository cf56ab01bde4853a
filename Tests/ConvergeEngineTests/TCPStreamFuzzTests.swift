import Testing
@testable import ConvergeEngine

/// Seeded random segment streams: reordered, duplicated, re-segmented retransmissions, sequence
/// numbers near the wrap, a consumer that takes random amounts. Without loss and within bounds the
/// consumer must see exactly the original stream with no gap; with loss and tight bounds every
/// byte it sees must still sit at the right stream position, and every bound must hold throughout.
@Suite struct TCPStreamFuzzTests {
    final class Random {
        var state: UInt64
        init(_ seed: UInt64) { state = seed }
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
        func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    struct Plan {
        var segments: [Range<Int>] = []
        var isn: UInt32
    }

    static func plan(_ random: Random, length: Int, lossPercent: Int) -> Plan {
        let isn: UInt32 = random.chance(40) ? UInt32.max &- UInt32(random.below(length + 2))
            : UInt32(truncatingIfNeeded: random.next())
        var cuts: [Range<Int>] = []
        var at = 0
        while at < length {
            let end = min(length, at + 1 + random.below(1460))
            cuts.append(at..<end)
            at = end
        }
        var order: [Range<Int>] = []
        for (i, cut) in cuts.enumerated() {
            if i > 0 && lossPercent > 0 && random.chance(lossPercent) { continue }
            order.append(cut)
            if random.chance(10) {  // a retransmission with other boundaries
                let from = max(0, cut.lowerBound - random.below(800))
                order.append(from..<min(length, cut.upperBound + random.below(800)))
            }
        }
        // local reordering: swap with one of the next few segments
        if order.count > 2 {
            for i in 1..<(order.count - 1) where random.chance(30) {
                order.swapAt(i, min(order.count - 1, i + 1 + random.below(3)))
            }
        }
        return Plan(segments: order, isn: isn)
    }

    @Test(arguments: 0..<200)
    func losslessStreamsArriveIntact(seed: Int) {
        let random = Random(UInt64(seed) &* 7919 &+ 1)
        let length = 1 + random.below(30_000)
        let data = streamBytes(length, salt: UInt32(seed))
        let plan = Self.plan(random, length: length, lossPercent: 0)
        let shared = TCPReassembly()
        let checker = StreamChecker(data)
        checker.policy = { random.chance(30) ? $0.count : random.below($0.count + 1) }
        var stream = TCPStream()
        stream.receive(sequence: plan.isn, flags: 0x02, payload: [UInt8]().span, shared: shared,
                       deliver: checker.deliver)
        let base = plan.isn &+ 1
        for range in plan.segments {
            stream.feed(data, range, base: base, shared: shared, to: checker)
            #expect(stream.withinBounds(shared.limits))
        }
        #expect(checker.gaps.isEmpty && checker.mismatches == 0)
        #expect(checker.position + stream.carry.count == length && stream.segments.isEmpty)
        #expect(shared.counters.bytesDelivered == UInt64(length) && shared.counters.overflows == 0)
        #expect(stream.nextSequence == base &+ UInt32(length))
        #expect(shared.bytesInUse == stream.heldCapacity)
        stream.release(shared: shared)
        #expect(shared.bytesInUse == 0)
    }

    @Test(arguments: 0..<200)
    func lossyStreamsWithTightBoundsStayAligned(seed: Int) {
        let random = Random(UInt64(seed) &* 104_729 &+ 3)
        let length = 1 + random.below(30_000)
        let data = streamBytes(length, salt: UInt32(seed) &* 3)
        let plan = Self.plan(random, length: length, lossPercent: 5 + random.below(20))
        var limits = TCPStreamLimits()
        limits.maxOutOfOrderBytes = 500 + random.below(6000)
        limits.maxOutOfOrderSegments = 1 + random.below(8)
        limits.maxCarryBytes = 200 + random.below(4000)
        limits.maxTotalBytes = 1000 + random.below(12_000)
        limits.retainedCapacity = random.below(2048)
        let shared = TCPReassembly(limits: limits)
        let checker = StreamChecker(data)
        checker.policy = { random.chance(20) ? 0 : random.below($0.count + 1) }
        var stream = TCPStream()
        let midstream = random.chance(30)
        if !midstream {
            stream.receive(sequence: plan.isn, flags: 0x02, payload: [UInt8]().span, shared: shared,
                           deliver: checker.deliver)
        }
        let base = plan.isn &+ 1
        var highest = 0
        // mid-stream: the capture begins at a random segment, which fixes the stream's start
        let segments = midstream ? Array(plan.segments.dropFirst(random.below(plan.segments.count)))
            : plan.segments
        if midstream, let start = segments.first { checker.position = start.lowerBound }
        for range in segments {
            stream.feed(data, range, base: base, shared: shared, to: checker)
            highest = max(highest, range.upperBound)
            if random.chance(10) {
                stream.peerAcknowledged(base &+ UInt32(highest), shared: shared, deliver: checker.deliver)
            }
            #expect(stream.withinBounds(shared.limits))
            #expect(shared.bytesInUse <= shared.limits.maxTotalBytes)
            #expect(shared.bytesInUse == stream.heldCapacity)
        }
        stream.finish(shared: shared, deliver: checker.deliver)
        #expect(checker.mismatches == 0)
        #expect(shared.bytesInUse == 0)
    }
}
