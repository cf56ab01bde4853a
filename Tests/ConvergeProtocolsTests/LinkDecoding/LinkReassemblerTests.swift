import ConvergeModel
import ConvergeWire
import ConvergeTestSupport
import Testing
@testable import ConvergeProtocols

@Suite struct LinkReassemblerTests {
    typealias B = LinkFrameBuilder

    static let t0 = Timestamp(seconds: 1_700_000_000, nanoseconds: 0)

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(nanoseconds: t0.nanoseconds + seconds * 1_000_000_000) }

    /// A fragment's fields as the decoder would set them.
    static func fragment(offset: Int, more: Bool, id: UInt32 = 7, source: String = "10.0.0.1",
                         protocol: UInt8 = 17) -> DecodedPacket {
        var p = DecodedPacket()
        p.network = .ipv4
        p.source = linkIP(source)
        p.destination = linkIP("10.0.0.2")
        p.ipProtocol = `protocol`
        p.isFragment = true
        p.fragmentID = id
        p.fragmentOffset = offset
        p.moreFragments = more
        return p
    }

    /// A 40-byte datagram: bytes 0, 1, 2, … so any misplaced piece shows.
    static let datagram: [UInt8] = (0..<40).map { UInt8($0) }

    static func add(_ r: inout IPReassembler, _ range: Range<Int>, more: Bool, id: UInt32 = 7,
                    time: Timestamp = t0, bytes: [UInt8] = datagram) -> [UInt8]? {
        let piece = Array(bytes[range])
        return r.add(fragment(offset: range.lowerBound, more: more, id: id), data: piece.span, time: time)
    }

    @Test func inOrder() {
        var r = IPReassembler()
        #expect(Self.add(&r, 0..<16, more: true) == nil)
        #expect(Self.add(&r, 16..<32, more: true) == nil)
        #expect(Self.add(&r, 32..<40, more: false) == Self.datagram)
        #expect(r.stats.completed == 1)
        #expect(r.inProgress == 0)
        #expect(r.bufferedBytes == 0)
    }

    @Test func outOfOrder() {
        var r = IPReassembler()
        #expect(Self.add(&r, 32..<40, more: false) == nil)
        #expect(Self.add(&r, 0..<16, more: true) == nil)
        #expect(Self.add(&r, 16..<32, more: true) == Self.datagram)
        #expect(r.stats == { var s = IPReassembler.Stats(); s.completed = 1; return s }())
    }

    @Test func duplicateFragmentIsCountedNotDoubled() {
        var r = IPReassembler()
        #expect(Self.add(&r, 0..<16, more: true) == nil)
        #expect(Self.add(&r, 0..<16, more: true) == nil)
        #expect(Self.add(&r, 16..<40, more: false) == Self.datagram)
        #expect(r.stats.duplicates == 1)
        #expect(r.stats.overlaps == 0)
    }

    @Test func consistentOverlapFillsOnlyTheHole() {
        var r = IPReassembler()
        #expect(Self.add(&r, 0..<16, more: true) == nil)
        #expect(Self.add(&r, 8..<32, more: true) == nil)
        #expect(Self.add(&r, 32..<40, more: false) == Self.datagram)
        #expect(r.stats.overlaps == 1)
        #expect(r.stats.inconsistentOverlaps == 0)
    }

    @Test func inconsistentOverlapKeepsTheFirstData() {
        var r = IPReassembler()
        var forged = Self.datagram
        for i in 8..<16 { forged[i] = 0xEE }
        #expect(Self.add(&r, 0..<16, more: true) == nil)
        #expect(Self.add(&r, 8..<24, more: true, bytes: forged) == nil)  // rewrites 8..<16
        #expect(Self.add(&r, 24..<40, more: false) == Self.datagram)  // first data wins
        #expect(r.stats.overlaps == 1)
        #expect(r.stats.inconsistentOverlaps == 1)
    }

    @Test func fragmentInsideAReceivedRangeWithOtherBytes() {
        var r = IPReassembler()
        var forged = Self.datagram
        forged[10] = 0
        #expect(Self.add(&r, 0..<24, more: true) == nil)
        #expect(Self.add(&r, 8..<16, more: true, bytes: forged) == nil)
        #expect(r.stats.overlaps == 1)
        #expect(r.stats.inconsistentOverlaps == 1)
        #expect(r.stats.duplicates == 0)
    }

    @Test func neverCompletedTimesOut() {
        var r = IPReassembler(limits: .init(timeout: .seconds(30)))
        #expect(Self.add(&r, 0..<16, more: true) == nil)
        r.expire(now: Self.at(10))
        #expect(r.inProgress == 1)
        r.expire(now: Self.at(31))
        #expect(r.inProgress == 0)
        #expect(r.bufferedBytes == 0)
        #expect(r.stats.timedOut == 1)
    }

    @Test func lateFragmentStartsOverAfterTheTimeout() {
        var r = IPReassembler(limits: .init(timeout: .seconds(30)))
        #expect(Self.add(&r, 0..<16, more: true) == nil)
        #expect(Self.add(&r, 16..<40, more: false, time: Self.at(45)) == nil)  // the first piece expired
        #expect(r.stats.timedOut == 1)
        #expect(Self.add(&r, 0..<16, more: true, time: Self.at(46)) == Self.datagram)
    }

    @Test func tooManyDatagramsEvictsTheOldest() {
        var r = IPReassembler(limits: .init(maxDatagrams: 4))
        for id in 0..<6 {
            #expect(Self.add(&r, 0..<16, more: true, id: UInt32(id), time: Self.at(Int64(id))) == nil)
        }
        #expect(r.inProgress == 4)
        #expect(r.stats.dropped == 2)
        #expect(Self.add(&r, 16..<40, more: false, id: 0, time: Self.at(7)) == nil)  // id 0 was evicted
        #expect(Self.add(&r, 16..<40, more: false, id: 5, time: Self.at(7)) == Self.datagram)
    }

    @Test func totalBytesOverTheLimitEvicts() {
        var r = IPReassembler(limits: .init(maxTotalBytes: 100))
        let big = [UInt8](repeating: 1, count: 64)
        #expect(r.add(Self.fragment(offset: 0, more: true, id: 1), data: big.span, time: Self.t0) == nil)
        #expect(r.add(Self.fragment(offset: 0, more: true, id: 2), data: big.span, time: Self.at(1)) == nil)
        #expect(r.stats.dropped == 1)
        #expect(r.bufferedBytes == 64)
        // One datagram alone above the limit is dropped.
        let huge = [UInt8](repeating: 1, count: 128)
        #expect(r.add(Self.fragment(offset: 0, more: true, id: 3), data: huge.span, time: Self.at(2)) == nil)
        #expect(r.inProgress == 0)
        #expect(r.bufferedBytes == 0)
        #expect(r.stats.dropped == 3)
    }

    @Test func tooManyFragmentsDropsTheDatagram() {
        var r = IPReassembler(limits: .init(maxFragmentsPerDatagram: 3))
        let piece = [UInt8](repeating: 1, count: 8)
        for i in 0..<4 {
            #expect(r.add(Self.fragment(offset: i * 8, more: true), data: piece.span, time: Self.t0) == nil)
        }
        #expect(r.stats.dropped == 1)
        #expect(r.inProgress == 0)
        #expect(r.bufferedBytes == 0)
    }

    @Test func malformedFragments() {
        var r = IPReassembler()
        let piece = [UInt8](repeating: 1, count: 12)
        // Not a multiple of 8 while more fragments follow.
        #expect(r.add(Self.fragment(offset: 0, more: true), data: piece.span, time: Self.t0) == nil)
        // Past 65535 bytes (ping of death).
        #expect(r.add(Self.fragment(offset: 65528, more: false), data: piece.span, time: Self.t0) == nil)
        #expect(r.stats.malformed == 2)
        // A last fragment that ends before data already received, and a second, different last fragment.
        #expect(Self.add(&r, 16..<32, more: true) == nil)
        #expect(Self.add(&r, 8..<24, more: false) == nil)
        #expect(Self.add(&r, 32..<40, more: false) == nil)
        #expect(Self.add(&r, 24..<32, more: false) == nil)
        #expect(Self.add(&r, 32..<48, more: true, bytes: Self.datagram + Array(repeating: 0, count: 8)) == nil)
        #expect(r.stats.malformed == 5)
        #expect(Self.add(&r, 0..<16, more: true) == Self.datagram)
    }

    @Test func keyIncludesSourceAndProtocol() {
        var r = IPReassembler()
        let first = Array(Self.datagram[0..<16])
        let last = Array(Self.datagram[16..<40])
        #expect(r.add(Self.fragment(offset: 0, more: true), data: first.span, time: Self.t0) == nil)
        let elsewhere = Self.fragment(offset: 16, more: false, source: "10.0.0.9")
        #expect(r.add(elsewhere, data: last.span, time: Self.t0) == nil)
        #expect(r.add(Self.fragment(offset: 16, more: false, protocol: 6), data: last.span, time: Self.t0) == nil)
        #expect(r.inProgress == 3)
        #expect(r.add(Self.fragment(offset: 16, more: false), data: last.span, time: Self.t0) == Self.datagram)
    }

    @Test func snaplenCutFragmentsAreNotUsed() {
        var r = IPReassembler()
        var p = Self.fragment(offset: 0, more: true)
        p.anomalies.insert(.ipLengthExceedsCapture)
        let piece = [UInt8](repeating: 1, count: 8)
        #expect(r.add(p, data: piece.span, time: Self.t0) == nil)
        #expect(r.stats.truncated == 1)
        #expect(r.inProgress == 0)
    }

    /// From frames through the decoder and back: an IPv4 UDP datagram in three fragments.
    @Test func endToEndIPv4() {
        let udp = B.udp(sourcePort: 161, destinationPort: 50000, (0..<100).map { UInt8($0) })
        let pieces = [(0, 48, true), (48, 96, true), (96, udp.count, false)]
        var r = IPReassembler()
        var result: [UInt8]?
        var last = DecodedPacket()
        for (low, high, more) in pieces.reversed() {
            let field = UInt16(low / 8) | (more ? 0x2000 : 0)
            let piece = Array(udp[low..<high])
            let frame = B.ethernet(type: 0x0800, B.ipv4(protocol: 17, id: 99, flagsAndOffset: field, piece))
            let (p, issue) = linkDecode(frame, .ethernet)
            #expect(issue == nil)
            let data = Array(frame[p.payloadOffset..<(p.payloadOffset + p.payloadLength)])
            result = r.add(p, data: data.span, time: Self.t0)
            last = p
        }
        guard let result else {
            Issue.record("not reassembled")
            return
        }
        #expect(result == udp)
        #expect(PacketDecoder.decodeTransport(result.span, ipProtocol: last.ipProtocol, into: &last) == nil)
        #expect(last.transport == .udp)
        #expect(last.sourcePort == 161)
        #expect(last.payloadLength == 100)
    }

    /// IPv6: fragment headers after a destination-options header, ICMPv6 inside.
    @Test func endToEndIPv6() {
        let icmp = B.icmp(type: 128, (0..<60).map { UInt8($0) })
        var r = IPReassembler()
        var result: [UInt8]?
        var packet = DecodedPacket()
        for (low, high, more) in [(0, 32, true), (32, icmp.count, false)] {
            let header = B.fragmentHeader(next: 58, offset: low, more: more, id: 0x1234_5678)
            let frame = B.ipv6(next: 60, B.extensionHeader(next: 44) + header + Array(icmp[low..<high]))
            let (p, issue) = linkDecode(frame, .ipv6)
            #expect(issue == nil)
            #expect(p.isFragment)
            let data = Array(frame[p.payloadOffset..<(p.payloadOffset + p.payloadLength)])
            result = r.add(p, data: data.span, time: Self.t0)
            packet = p
        }
        #expect(result == icmp)
        if let result {
            #expect(PacketDecoder.decodeTransport(result.span, ipProtocol: packet.ipProtocol, into: &packet) == nil)
            #expect(packet.transport == .icmpv6)
            #expect(packet.icmpType == 128)
        }
    }

    /// Random fragment storms stay within the limits and never trap.
    @Test func seededRandomFragmentsStayBounded() {
        let limits = IPReassembler.Limits(maxDatagrams: 16, maxTotalBytes: 64 * 1024, maxFragmentsPerDatagram: 32)
        var r = IPReassembler(limits: limits)
        var rng = SeededGenerator(seed: 7)
        var most = (datagrams: 0, bytes: 0)
        for round in 0..<5000 {
            // Mostly small offsets (so pieces meet and overlap), sometimes any offset up to past 65535.
            let reach = round % 10 == 0 ? 70000 : 2048
            let p = Self.fragment(offset: Int.random(in: 0..<reach, using: &rng) & ~7, more: Bool.random(using: &rng),
                                  id: UInt32.random(in: 0..<40, using: &rng))
            let data = [UInt8](repeating: UInt8(round & 0xFF), count: Int.random(in: 0..<600, using: &rng) & ~7)
            _ = r.add(p, data: data.span, time: Self.at(Int64(round / 100)))
            most = (max(most.datagrams, r.inProgress), max(most.bytes, r.bufferedBytes))
            if round % 500 == 0 { r.expire(now: Self.at(Int64(round / 100))) }
        }
        #expect(most.datagrams == limits.maxDatagrams)  // the limits were reached, and held
        #expect(most.bytes <= limits.maxTotalBytes)
        #expect(r.stats.completed > 0)
        #expect(r.stats.malformed > 0)
        r.expire(now: Self.at(10_000))
        #expect(r.inProgress == 0)
        #expect(r.bufferedBytes == 0)
    }
}
