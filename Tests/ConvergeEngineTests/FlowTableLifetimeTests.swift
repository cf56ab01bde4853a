import ConvergeModel
import ConvergeProtocols
import Testing
@testable import ConvergeEngine

/// Eviction, idle and active timeouts, TCP close and port reuse.
@Suite struct FlowTableLifetimeTests {
    typealias P = FlowPackets

    @Test func evictsTheLeastRecentlyActiveAtCapacity() throws {
        var limits = FlowLimits.pinned
        limits.capacity = 4
        let sink = FlowRecordSink()
        let table = sink.makeTable(limits)
        var slots: [Int] = []
        for i in 0..<4 {
            let packet = P.udp("10.0.0.\(i + 1)", 5000, "10.0.0.100", 161)
            slots.append(try table.must(packet, at: seconds(Int64(i + 1))).slot)
        }
        // flow 0 becomes the most recent; flow 1 is now the oldest
        _ = try table.must(P.udp("10.0.0.100", 161, "10.0.0.1", 5000), at: seconds(5))
        let fifth = try table.must(P.udp("10.0.0.5", 5000, "10.0.0.100", 161), at: seconds(6))
        #expect(table.counters.evicted == 1 && table.counters.active == 4)
        let evicted = try #require(sink.finals.first)
        #expect(evicted.endReason == "evicted" && evicted.client.address == P.ip("10.0.0.2"))
        #expect(fifth.isNew && fifth.slot == slots[1])  // the freed slot is reused
        #expect(table.checkConsistency())
        // the evicted flow comes back as a new flow and pushes out the next oldest (10.0.0.3)
        let back = try table.must(P.udp("10.0.0.2", 5000, "10.0.0.100", 161), at: seconds(7))
        #expect(back.isNew && table.counters.evicted == 2)
        #expect(sink.finals.last?.client.address == P.ip("10.0.0.3"))
        #expect(table.counters.createdUDP == 6)
    }

    @Test func evictionPrefersLingeringClosedFlows() throws {
        var limits = FlowLimits.pinned
        limits.capacity = 2
        let sink = FlowRecordSink()
        let table = sink.makeTable(limits)
        _ = try table.must(P.udp("10.0.0.1", 5000, "10.0.0.9", 53), at: seconds(1))
        _ = try table.must(P.tcp("10.0.0.2", 40000, "10.0.0.9", 80, flags: P.rst), at: seconds(2))
        _ = try table.must(P.udp("10.0.0.3", 5000, "10.0.0.9", 53), at: seconds(3))
        #expect(sink.finals.map(\.endReason) == ["rst"])
        #expect(table.counters.evicted == 0 && table.counters.closed == 1)
    }

    @Test func capacityOfOneStillWorks() throws {
        var limits = FlowLimits.pinned
        limits.capacity = 0  // clamped to 1
        let sink = FlowRecordSink()
        let table = sink.makeTable(limits)
        for i in 0..<10 {
            _ = try table.must(P.udp("10.0.0.\(i)", 5000, "10.0.0.100", 161), at: seconds(1))
        }
        #expect(table.counters.active == 1 && table.counters.evicted == 9 && table.checkConsistency())
    }

    @Test func idleTimeoutsPerTransport() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        _ = try table.must(P.udp("10.0.0.1", 5000, "10.0.0.9", 53), at: seconds(0))
        _ = try table.must(P.packet(.icmp, "10.0.0.1", 0, "10.0.0.9", 0), at: seconds(0))
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.9", 502, flags: P.ack), at: seconds(0))
        // packets of an unrelated flow move packet time forward (a jump needs a second packet)
        _ = try table.must(P.udp("10.0.0.2", 5000, "10.0.0.9", 53), at: seconds(61))
        _ = try table.must(P.udp("10.0.0.2", 5000, "10.0.0.9", 53), at: seconds(61))
        #expect(sink.finals.map(\.transport) == [.icmp])
        _ = try table.must(P.udp("10.0.0.2", 5000, "10.0.0.9", 53), at: seconds(181))
        _ = try table.must(P.udp("10.0.0.2", 5000, "10.0.0.9", 53), at: seconds(181))
        #expect(sink.finals.map(\.transport) == [.icmp, .udp])
        _ = try table.must(P.udp("10.0.0.2", 5000, "10.0.0.9", 53), at: seconds(3601))
        _ = try table.must(P.udp("10.0.0.2", 5000, "10.0.0.9", 53), at: seconds(3601))
        // the second UDP flow (idle since 181, ended by its own packet), then the TCP flow
        #expect(sink.finals.map(\.transport) == [.icmp, .udp, .udp, .tcp])
        #expect(sink.finals.allSatisfy { $0.endReason == "idle" })
        #expect(table.counters.idleTimeouts == 4 && table.counters.active == 1)
        #expect(sink.finals[3].tcpState == "midstream")
    }

    /// A flow found idle past its timeout by its own packet starts anew, even before an expiry run.
    @Test func packetAfterIdleTimeoutStartsANewFlow() throws {
        var limits = FlowLimits.pinned
        limits.expiryInterval = .seconds(100_000)  // keep the periodic run out of the way
        let sink = FlowRecordSink()
        let table = sink.makeTable(limits)
        let first = try table.must(P.udp("10.0.0.1", 5000, "10.0.0.9", 53), at: seconds(0))
        let again = try table.must(P.udp("10.0.0.9", 53, "10.0.0.1", 5000), at: seconds(180))
        #expect(!again.isNew)
        let later = try table.must(P.udp("10.0.0.1", 5000, "10.0.0.9", 53), at: seconds(361))
        #expect(later.isNew && first.slot == later.slot)
        #expect(sink.finals.count == 1 && sink.finals.first?.endReason == "idle")
        #expect(sink.finals.first?.packetsToClient == 1 && sink.finals.first?.id == 1)
        #expect(table.flow(at: later.slot)?.id == 2)
    }

    @Test func expiryIsAmortisedInBatches() throws {
        var limits = FlowLimits.pinned
        limits.expiryBatch = 2
        let sink = FlowRecordSink()
        let table = sink.makeTable(limits)
        for i in 0..<5 {
            _ = try table.must(P.udp("10.0.0.\(i)", 5000, "10.0.0.100", 161), at: seconds(0))
        }
        _ = try table.must(P.udp("10.0.1.1", 5000, "10.0.0.100", 161), at: seconds(200))
        #expect(sink.finals.isEmpty)  // a jump of 200 s is believed once the next packet confirms it
        _ = try table.must(P.udp("10.0.1.1", 5000, "10.0.0.100", 161), at: seconds(200))
        #expect(sink.finals.count == 2)
        _ = try table.must(P.udp("10.0.1.1", 5000, "10.0.0.100", 161), at: seconds(200))
        #expect(sink.finals.count == 4)
        _ = try table.must(P.udp("10.0.1.1", 5000, "10.0.0.100", 161), at: seconds(200))
        #expect(sink.finals.count == 5 && table.counters.active == 1)
        // stalest first: creation order
        #expect(sink.finals.map(\.id) == [1, 2, 3, 4, 5])
    }

    @Test func explicitExpireEndsEverythingDue() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        for i in 0..<300 {
            _ = try table.must(P.udp("10.0.\(i / 200).\(i % 200)", 5000, "10.0.9.9", 161), at: seconds(0))
        }
        table.expire(now: seconds(100))
        #expect(sink.finals.isEmpty)
        table.expire(now: seconds(181))
        #expect(sink.finals.count == 300 && table.counters.active == 0 && table.checkConsistency())
    }

    @Test func activeTimeoutEmitsInterimRecords() throws {
        var limits = FlowLimits.pinned
        limits.activeTimeout = .seconds(1800)
        let sink = FlowRecordSink()
        let table = sink.makeTable(limits)
        var slots = Set<Int>()
        for t in stride(from: Int64(0), through: 4000, by: 100) {
            let u = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.pshAck), at: seconds(t))
            slots.insert(u.slot)
        }
        #expect(slots.count == 1)
        #expect(sink.interims.count == 2 && table.counters.interimRecords == 2)
        #expect(sink.interims.allSatisfy { $0.id == 1 && $0.endReason == "active" })
        // totals so far: packets at 0…1700 before the first interim (at 1800, before counting it)
        #expect(sink.interims.first?.packetsToServer == 18)
        #expect(table.counters.createdTCP == 1 && sink.finals.isEmpty)
        table.flushAll()
        #expect(sink.finals.first?.packetsToServer == 41 && sink.finals.first?.id == 1)
    }

    @Test func finExchangeLingersThenEnds() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 1), at: seconds(0))
        _ = try table.must(P.tcp("10.0.0.2", 502, "10.0.0.1", 40000, flags: P.synAck), at: seconds(0))
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.ack), at: seconds(0))
        let fin1 = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.finAck), at: seconds(1))
        #expect(table.flow(at: fin1.slot)?.tcpState == .closing)
        _ = try table.must(P.tcp("10.0.0.2", 502, "10.0.0.1", 40000, flags: P.finAck), at: seconds(1))
        #expect(table.flow(at: fin1.slot)?.tcpState == .closed)
        let lastAck = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.ack), at: seconds(2))
        #expect(!lastAck.isNew && sink.finals.isEmpty)
        _ = try table.must(P.udp("10.0.0.7", 5000, "10.0.0.9", 53), at: seconds(13))
        #expect(sink.finals.map(\.endReason) == ["fin"] && sink.finals.first?.tcpState == "closed")
        #expect(sink.finals.first?.packetsToServer == 4 && table.counters.closed == 1)
    }

    @Test func resetLingersThenEnds() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 102, flags: P.syn, seq: 5), at: seconds(0))
        let rst = try table.must(P.tcp("10.0.0.2", 102, "10.0.0.1", 40000, flags: P.rst | P.ack), at: seconds(0))
        #expect(table.flow(at: rst.slot)?.tcpState == .reset)
        // a late FIN does not revive a reset flow
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 102, flags: P.finAck), at: seconds(1))
        #expect(table.flow(at: rst.slot)?.tcpState == .reset)
        table.expire(now: seconds(12))
        #expect(sink.finals.map(\.endReason) == ["rst"] && sink.finals.first?.tcpState == "reset")
    }

    @Test(arguments: [FlowPackets.finAck, FlowPackets.rst])
    func newSYNAfterCloseStartsANewFlow(closing: UInt8) throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        let first = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 1000), at: seconds(0))
        _ = try table.must(P.tcp("10.0.0.2", 502, "10.0.0.1", 40000, flags: P.synAck), at: seconds(0))
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: closing), at: seconds(1))
        if closing == P.finAck {
            _ = try table.must(P.tcp("10.0.0.2", 502, "10.0.0.1", 40000, flags: P.finAck), at: seconds(1))
        }
        // a retransmitted SYN (same ISN) stays in the old flow
        let retransmit = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 1000),
                                        at: seconds(2))
        #expect(!retransmit.isNew)
        let reuse = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 9000), at: seconds(3))
        #expect(reuse.isNew && reuse.slot == first.slot)
        #expect(sink.finals.map(\.endReason) == [closing == P.rst ? "rst" : "fin"])
        #expect(table.counters.portReuses == 1 && table.counters.createdTCP == 2)
        #expect(table.flow(at: reuse.slot)?.id == 2 && table.flow(at: reuse.slot)?.tcpState == .synSent)
    }

    /// Without the handshake, any SYN on a closed flow reuses the ports; on an open one it does not.
    @Test func midstreamCloseThenSYN() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.pshAck), at: seconds(0))
        let synOnOpen = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 1), at: seconds(0))
        #expect(!synOnOpen.isNew)
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.finAck), at: seconds(1))
        _ = try table.must(P.tcp("10.0.0.2", 502, "10.0.0.1", 40000, flags: P.finAck), at: seconds(1))
        let next = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 1), at: seconds(2))
        #expect(next.isNew && sink.finals.map(\.endReason) == ["fin"])
    }

    /// A client SYN with a new ISN on a flow still open (the old connection vanished) starts over.
    @Test func newISNOnOpenFlowIsReuse() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 1), at: seconds(0))
        _ = try table.must(P.tcp("10.0.0.2", 502, "10.0.0.1", 40000, flags: P.synAck), at: seconds(0))
        _ = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.ack), at: seconds(0))
        let next = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 77), at: seconds(5))
        #expect(next.isNew && sink.finals.map(\.endReason) == ["reuse"])
        #expect(sink.finals.first?.tcpState == "established")
    }
}

/// Packet time comes from the capture, which may lie.
@Suite struct FlowTableClockTests {
    typealias P = FlowPackets

    @Test func oneFarFutureTimestampDoesNotExpireEverything() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        for i in 0..<20 {
            _ = try table.must(P.udp("10.0.0.\(i)", 5000, "10.0.0.100", 161), at: seconds(Int64(i)))
        }
        // the bad packet judges only its own flow by its own time: that one flow is split
        let bogus = try table.must(P.udp("10.0.0.1", 5000, "10.0.0.100", 161), at: seconds(4_000_000_000))
        #expect(bogus.isNew && sink.finals.map(\.client.address) == [P.ip("10.0.0.1")])
        for i in 0..<20 {
            let u = try table.must(P.udp("10.0.0.100", 161, "10.0.0.\(i)", 5000), at: seconds(Int64(30 + i)))
            #expect(!u.isNew)
        }
        #expect(sink.finals.count == 1 && table.counters.createdUDP == 21)
        // a real jump is confirmed by the packet after it
        _ = try table.must(P.udp("10.0.0.50", 5000, "10.0.0.100", 161), at: seconds(10_000))
        #expect(sink.finals.count == 1)
        _ = try table.must(P.udp("10.0.0.50", 5000, "10.0.0.100", 161), at: seconds(10_001))
        // the other 19 flows expire; 10.0.0.1's second part was last seen "in the future"
        #expect(sink.finals.count == 20 && sink.finals.allSatisfy { $0.endReason == "idle" })
    }

    @Test func extremeTimestampsDoNotTrap() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        for t in [Int64.max, Int64.min, 0, Int64.max, -1, Int64.max - 1, Int64.min + 1] {
            _ = try table.must(P.udp("10.0.0.1", 5000, "10.0.0.100", 161), at: Timestamp(nanoseconds: t))
            _ = try table.must(P.tcp("10.0.0.1", 5000, "10.0.0.100", 502, flags: P.syn), at: Timestamp(nanoseconds: t))
        }
        table.expire(now: Timestamp(nanoseconds: Int64.max))
        table.flushAll()
        #expect(table.counters.active == 0 && table.checkConsistency())
        #expect(UInt64(sink.finals.count) == table.counters.created)
    }
}
