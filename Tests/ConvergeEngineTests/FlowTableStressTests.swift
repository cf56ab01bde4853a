import ConvergeModel
import ConvergeProtocols
import ConvergeTestSupport
import Testing
@testable import ConvergeEngine

/// Seeded random traffic over more keys than slots: the index, the lists and the counters must stay
/// consistent through every insert, backward-shift delete, eviction and timeout.
@Suite struct FlowTableStressTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomTrafficKeepsTheTableConsistent(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var limits = FlowLimits()
        limits.capacity = 64
        limits.udpIdle = .seconds(20)
        limits.otherIdle = .seconds(5)
        limits.tcpIdle = .seconds(40)
        limits.activeTimeout = .seconds(30)
        limits.expiryBatch = 3
        let sink = FlowRecordSink()
        // a tiny hash seed space on purpose: seed 0 as well as a random one
        let table = sink.makeTable(limits, seed: seed == 1 ? 0 : rng.next())
        var time: Int64 = 1_000_000_000
        let flagChoices: [UInt8] = [FlowPackets.syn, FlowPackets.synAck, FlowPackets.ack, FlowPackets.pshAck,
                                    FlowPackets.finAck, FlowPackets.rst]
        for step in 0..<20_000 {
            time &+= Int64.random(in: 0...300_000_000, using: &rng)
            if Int.random(in: 0..<1000, using: &rng) == 0 { time &-= 5_000_000_000 }  // clock steps back
            var p = DecodedPacket()
            let v6 = Bool.random(using: &rng)
            p.network = v6 ? .ipv6 : .ipv4
            let hostA = UInt32.random(in: 0..<12, using: &rng), hostB = UInt32.random(in: 0..<12, using: &rng)
            p.source = v6 ? IPAddress(v6High: 0x2001_0db8 << 32, low: UInt64(hostA))
                : IPAddress(v4: 0x0A00_0000 | hostA)
            p.destination = v6 ? IPAddress(v6High: 0x2001_0db8 << 32, low: UInt64(hostB))
                : IPAddress(v4: 0x0A00_0000 | hostB)
            p.transport = [Transport.tcp, .udp, .icmp][Int.random(in: 0..<3, using: &rng)]
            p.ipProtocol = p.transport.rawValue
            p.sourcePort = [502, 40000, 40001, 53][Int.random(in: 0..<4, using: &rng)]
            p.destinationPort = [502, 40000, 40001, 53][Int.random(in: 0..<4, using: &rng)]
            p.vlan = UInt16.random(in: 0..<2, using: &rng)
            p.tcpFlags = flagChoices[Int.random(in: 0..<flagChoices.count, using: &rng)]
            p.sequence = UInt32.random(in: 0..<3, using: &rng)
            let u = try #require(table.track(p, wireLength: 60, time: Timestamp(nanoseconds: time)))
            let flow = try #require(table.flow(at: u.slot))
            let expected = FlowKey.normalised(source: p.source.bits, sourcePort: p.sourcePort,
                                              destination: p.destination.bits, destinationPort: p.destinationPort,
                                              vlan: p.vlan, ipProtocol: p.ipProtocol)
            #expect(flow.key == expected.key)
            #expect(table.counters.active <= 64)
            if step % 97 == 0 { #expect(table.checkConsistency()) }
        }
        #expect(table.checkConsistency())
        #expect(UInt64(sink.finals.count) + UInt64(table.counters.active) == table.counters.created)
        table.flushAll()
        let ids = sink.finals.map(\.id)
        #expect(Set(ids).count == ids.count && UInt64(ids.count) == table.counters.created)
        #expect(table.counters.evicted > 0 && table.counters.idleTimeouts > 0 && table.counters.closed > 0)
        #expect(sink.finals.allSatisfy { $0.firstSeen <= $0.lastSeen })
        #expect(table.checkConsistency() && table.counters.active == 0)
    }

    /// The index starts small and doubles as flows arrive: every flow stays findable across growth.
    @Test func indexGrowsWithoutLosingFlows() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        var slots: [Int] = []
        for i in 0..<5000 {
            let p = FlowPackets.udp("10.\(i / 65536).\(i / 256 % 256).\(i % 256)", 5000, "10.255.0.1", 161)
            slots.append(try table.must(p, at: seconds(1)).slot)
        }
        #expect(table.indexMask + 1 >= 10_000 && table.checkConsistency())
        for i in 0..<5000 {
            let p = FlowPackets.udp("10.255.0.1", 161, "10.\(i / 65536).\(i / 256 % 256).\(i % 256)", 5000)
            let u = try table.must(p, at: seconds(2))
            #expect(!u.isNew && u.slot == slots[i] && u.direction == .toClient)
        }
        #expect(table.counters.active == 5000 && table.counters.createdUDP == 5000)
    }
}
