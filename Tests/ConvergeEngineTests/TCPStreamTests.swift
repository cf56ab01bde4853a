import Testing
@testable import ConvergeEngine

@Suite struct TCPStreamTests {
    static let ack: UInt8 = 0x10
    static let syn: UInt8 = 0x02

    @Test func inOrderSegmentsAreDeliveredWithoutCopy() {
        let shared = TCPReassembly()
        let data = streamBytes(3000)
        let checker = StreamChecker(data)
        var stream = TCPStream()
        stream.receive(sequence: 999, flags: Self.syn, payload: [UInt8]().span, shared: shared,
                       deliver: checker.deliver)
        #expect(stream.isStarted && stream.nextSequence == 1000 && checker.deliveries == 0)
        for start in stride(from: 0, to: 3000, by: 1000) {
            let segment = Array(data[start..<start + 1000])
            stream.receive(sequence: 1000 + UInt32(start), flags: Self.ack, payload: segment.span, shared: shared,
                           deliver: checker.deliver)
            let base = segment.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            #expect(checker.lastBase == base, "an in-order segment must be handed on as is")
        }
        #expect(checker.deliveries == 3 && checker.position == 3000 && checker.mismatches == 0)
        #expect(checker.gaps.isEmpty && stream.bufferedBytes == 0)
        #expect(shared.counters.bytesDelivered == 3000 && shared.bytesInUse == 0)
    }

    /// Length-prefixed records split across segments: the consumer takes whole records only.
    @Test func partialPDUIsCarriedToTheNextSegment() {
        var data: [UInt8] = []
        for length in [5, 200, 1, 90, 33, 250, 7] {
            data.append(UInt8(length))
            data.append(contentsOf: (0..<length).map { UInt8(truncatingIfNeeded: $0 &+ length) })
        }
        let checker = StreamChecker(data)
        var records: [Int] = []
        checker.policy = { bytes in
            var at = 0
            while at < bytes.count, at + 1 + Int(bytes[at]) <= bytes.count {
                records.append(Int(bytes[at]))
                at += 1 + Int(bytes[at])
            }
            return at
        }
        let shared = TCPReassembly()
        var stream = TCPStream()
        var start = 0
        for size in [3, 100, 150, 1, 1, 64, 200, 10_000] where start < data.count {
            let end = min(start + size, data.count)
            stream.feed(data, start..<end, base: 77, shared: shared, to: checker)
            start = end
        }
        #expect(records == [5, 200, 1, 90, 33, 250, 7])
        #expect(checker.mismatches == 0 && checker.gaps.isEmpty && checker.position == data.count)
        #expect(stream.bufferedBytes == 0)
        #expect(shared.bytesInUse == stream.heldCapacity)
        stream.release(shared: shared)
        #expect(shared.bytesInUse == 0)
    }

    @Test func outOfOrderSegmentsWaitForTheHole() {
        let data = streamBytes(400)
        let checker = StreamChecker(data)
        let shared = TCPReassembly()
        var stream = TCPStream()
        stream.feed(data, 0..<100, base: 5000, shared: shared, to: checker)
        stream.feed(data, 300..<400, base: 5000, shared: shared, to: checker)
        stream.feed(data, 200..<300, base: 5000, shared: shared, to: checker)
        #expect(checker.position == 100 && stream.bufferedBytes == 200)
        stream.feed(data, 100..<200, base: 5000, shared: shared, to: checker)
        #expect(checker.position == 400 && checker.mismatches == 0 && checker.gaps.isEmpty)
        #expect(shared.counters.outOfOrderSegments == 2 && shared.counters.bytesDelivered == 400)
        #expect(stream.bufferedBytes == 0)
    }

    @Test func duplicatesAndOverlapsAreTrimmed() {
        let data = streamBytes(600)
        let checker = StreamChecker(data)
        let shared = TCPReassembly()
        var stream = TCPStream()
        stream.feed(data, 0..<100, base: 1, shared: shared, to: checker)
        stream.feed(data, 0..<100, base: 1, shared: shared, to: checker)     // whole retransmission
        stream.feed(data, 50..<150, base: 1, shared: shared, to: checker)    // overlaps 50
        #expect(checker.position == 150 && shared.counters.retransmittedBytes == 150)
        // overlapping out-of-order segments, one duplicate of a buffered one
        stream.feed(data, 300..<400, base: 1, shared: shared, to: checker)
        stream.feed(data, 350..<450, base: 1, shared: shared, to: checker)
        stream.feed(data, 300..<400, base: 1, shared: shared, to: checker)
        stream.feed(data, 200..<320, base: 1, shared: shared, to: checker)
        #expect(checker.position == 150)
        stream.feed(data, 140..<210, base: 1, shared: shared, to: checker)   // fills the hole, overlaps both
        #expect(checker.position == 450 && checker.mismatches == 0 && checker.gaps.isEmpty)
        // 150 + 100 (duplicate of buffered) + 10 (140..<150) + 10 (200..<210 vs 200..<320)
        // + 20 (300..<320 twice) + 50 (350..<400 twice)
        #expect(shared.counters.retransmittedBytes == 340)
        #expect(shared.counters.bytesDelivered == 450)
    }

    @Test func sequenceNumbersWrapAround() {
        let data = streamBytes(2000)
        let checker = StreamChecker(data)
        let shared = TCPReassembly()
        var stream = TCPStream()
        let isn: UInt32 = 0xFFFF_FE00  // first data byte at 0xFFFF_FE01: the stream crosses 2^32 at 511
        stream.receive(sequence: isn, flags: Self.syn, payload: [UInt8]().span, shared: shared,
                       deliver: checker.deliver)
        let base = isn &+ 1
        stream.feed(data, 0..<400, base: base, shared: shared, to: checker)
        stream.feed(data, 800..<1200, base: base, shared: shared, to: checker)  // beyond the wrap, early
        stream.feed(data, 300..<600, base: base, shared: shared, to: checker)   // across the wrap, overlapping
        stream.feed(data, 600..<800, base: base, shared: shared, to: checker)
        stream.feed(data, 1200..<2000, base: base, shared: shared, to: checker)
        #expect(checker.position == 2000 && checker.mismatches == 0 && checker.gaps.isEmpty)
        #expect(stream.nextSequence == base &+ 2000 && shared.counters.retransmittedBytes == 100)
    }

    @Test func midstreamStartsAtTheFirstSegmentSeen() {
        let data = streamBytes(300)
        let checker = StreamChecker(data)
        let shared = TCPReassembly()
        var stream = TCPStream()
        stream.feed(data, 0..<100, base: 0x8000_0000, shared: shared, to: checker)
        #expect(stream.nextSequence == 0x8000_0064)
        // an older segment (before the start) is a retransmission
        stream.receive(sequence: 0x7FFF_FFF0, flags: Self.ack, payload: [UInt8](repeating: 1, count: 16).span,
                       shared: shared, deliver: checker.deliver)
        stream.feed(data, 100..<300, base: 0x8000_0000, shared: shared, to: checker)
        #expect(checker.position == 300 && checker.mismatches == 0 && shared.counters.retransmittedBytes == 16)
    }

    @Test func synDataAndResetPayload() {
        let data = streamBytes(100)
        let checker = StreamChecker(data)
        let shared = TCPReassembly()
        var stream = TCPStream()
        // TCP Fast Open: data on the SYN starts after the SYN's own sequence number
        let first = Array(data[0..<40])
        stream.receive(sequence: 41, flags: Self.syn, payload: first.span, shared: shared, deliver: checker.deliver)
        #expect(checker.position == 40)
        stream.receive(sequence: 82, flags: 0x04, payload: [UInt8](repeating: 9, count: 30).span, shared: shared,
                       deliver: checker.deliver)
        #expect(checker.position == 40 && stream.nextSequence == 82)
        stream.feed(data, 40..<100, base: 42, shared: shared, to: checker)
        #expect(checker.position == 100 && checker.mismatches == 0)
    }

    @Test func peerAcknowledgingPastAHoleSkipsIt() {
        let data = streamBytes(300)
        let checker = StreamChecker(data)
        let shared = TCPReassembly()
        var stream = TCPStream()
        stream.feed(data, 0..<100, base: 10, shared: shared, to: checker)
        stream.feed(data, 200..<300, base: 10, shared: shared, to: checker)
        stream.peerAcknowledged(10 + 150, shared: shared, deliver: checker.deliver)  // hole not fully covered
        #expect(checker.position == 100 && checker.gaps.isEmpty)
        stream.peerAcknowledged(10 + 300, shared: shared, deliver: checker.deliver)
        #expect(checker.gaps == [100] && checker.position == 300 && checker.mismatches == 0)
        #expect(shared.counters.gaps == 1 && shared.counters.gapBytes == 100)
    }

    /// A hole abandons the partial PDU in front of it: the reported gap includes those bytes.
    @Test func gapAbandonsThePartialPDU() {
        let data = streamBytes(500)
        let checker = StreamChecker(data)
        checker.policy = { $0.count / 100 * 100 }  // whole 100-byte records
        let shared = TCPReassembly()
        var stream = TCPStream()
        stream.feed(data, 0..<150, base: 0, shared: shared, to: checker)   // one record, 50 carried
        stream.feed(data, 300..<500, base: 0, shared: shared, to: checker)
        stream.finish(shared: shared, deliver: checker.deliver)
        #expect(checker.gaps == [200] && checker.position == 500 && checker.mismatches == 0)
        #expect(shared.counters.gapBytes == 150 && shared.bytesInUse == 0 && stream.bufferedBytes == 0)
    }

    @Test func finishDeliversEverythingBufferedAcrossHoles() {
        let data = streamBytes(1000)
        let checker = StreamChecker(data)
        let shared = TCPReassembly()
        var stream = TCPStream()
        stream.feed(data, 0..<100, base: 3, shared: shared, to: checker)
        stream.feed(data, 700..<1000, base: 3, shared: shared, to: checker)
        stream.feed(data, 300..<500, base: 3, shared: shared, to: checker)
        stream.finish(shared: shared, deliver: checker.deliver)
        #expect(checker.gaps == [200, 200] && checker.position == 1000 && checker.mismatches == 0)
        #expect(shared.bytesInUse == 0 && !stream.isStarted)
    }

    @Test func consumerResultIsClamped() {
        let data = streamBytes(200)
        let checker = StreamChecker(data)
        var calls = 0
        checker.policy = { bytes in
            calls += 1
            return calls == 1 ? -5 : bytes.count + 1000
        }
        let shared = TCPReassembly()
        var stream = TCPStream()
        stream.feed(data, 0..<100, base: 0, shared: shared, to: checker)
        #expect(stream.bufferedBytes == 100)
        stream.feed(data, 100..<200, base: 0, shared: shared, to: checker)
        #expect(stream.bufferedBytes == 0 && checker.position == 200 && checker.mismatches == 0)
    }
}
