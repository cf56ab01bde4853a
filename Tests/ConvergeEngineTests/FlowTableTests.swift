import ConvergeModel
import ConvergeProtocols
import Testing
@testable import ConvergeEngine

@Suite struct FlowTableTests {
    typealias P = FlowPackets

    @Test func handshakeDecidesClientAndCountsPerDirection() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        let syn = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 100), at: seconds(1),
                                 length: 74)
        let synAck = try table.must(P.tcp("10.0.0.2", 502, "10.0.0.1", 40000, flags: P.synAck), at: seconds(1),
                                    length: 74)
        let ack = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.ack), at: seconds(2), length: 66)
        #expect(syn.isNew && !synAck.isNew && !ack.isNew)
        #expect(syn.slot == synAck.slot && synAck.slot == ack.slot)
        #expect(syn.direction == .toServer && synAck.direction == .toClient && ack.direction == .toServer)
        let flow = try #require(table.flow(at: syn.slot))
        #expect(flow.client == Endpoint(address: P.ip("10.0.0.1"), port: 40000))
        #expect(flow.server == Endpoint(address: P.ip("10.0.0.2"), port: 502))
        #expect(flow.tcpState == .established)
        #expect(flow.packetsToServer == 2 && flow.packetsToClient == 1)
        #expect(flow.bytesToServer == 140 && flow.bytesToClient == 74)
        #expect(flow.firstSeen == seconds(1) && flow.lastSeen == seconds(2))
        #expect(table.counters.createdTCP == 1 && table.counters.active == 1)
    }

    /// The client's SYN may be missing while the SYN+ACK is seen: its sender is the server even on
    /// ports that would say otherwise.
    @Test func synAckSenderIsServer() throws {
        let table = FlowRecordSink().makeTable()
        let u = try table.must(P.tcp("10.0.0.9", 50000, "10.0.0.3", 60000, flags: P.synAck), at: seconds(1))
        let flow = try #require(table.flow(at: u.slot))
        #expect(u.direction == .toClient)
        #expect(flow.server.port == 50000 && flow.client.port == 60000)
        #expect(flow.tcpState == .synReceived)
    }

    /// Port ranking when no handshake is seen: (source port, destination port, is the sender the client).
    @Test(arguments: [
        (UInt16(50000), UInt16(502), true), (502, 50000, false), (1000, 502, true), (502, 1000, false),
        (8080, 35000, false), (35000, 8080, true), (5020, 5021, false), (5021, 5020, true),
        (40000, 443, true), (443, 40000, false), (20000, 20000, true), (53, 53, true), (161, 162, true),
        (60000, 61000, true), (61000, 60000, true), (49152, 2404, true), (123, 49200, false),
    ])
    func midstreamServerFromPorts(sourcePort: UInt16, destinationPort: UInt16, senderIsClient: Bool) throws {
        for transport in [Transport.tcp, .udp] {
            let table = FlowRecordSink().makeTable()
            let packet = P.packet(transport, "192.168.1.20", sourcePort, "192.168.1.10", destinationPort,
                                  flags: P.pshAck)
            let u = try table.must(packet, at: seconds(5))
            let flow = try #require(table.flow(at: u.slot))
            #expect(u.direction == (senderIsClient ? .toServer : .toClient))
            #expect(flow.client.port == (senderIsClient ? sourcePort : destinationPort))
            #expect(flow.tcpState == (transport == .tcp ? .midstream : TCPState.none))
        }
    }

    @Test func bothDirectionsShareOneFlowAndHash() throws {
        let table = FlowRecordSink().makeTable()
        let a = P.udp("2001:db8::1", 40001, "2001:db8::2", 161)
        let b = P.udp("2001:db8::2", 161, "2001:db8::1", 40001)
        let ua = try table.must(a, at: seconds(1), length: 100)
        let ub = try table.must(b, at: seconds(2), length: 300)
        #expect(ua.slot == ub.slot && ua.isNew && !ub.isNew)
        #expect(ua.direction == .toServer && ub.direction == .toClient)
        let ka = FlowKey.normalised(source: a.source.bits, sourcePort: 40001, destination: a.destination.bits,
                                    destinationPort: 161, vlan: 0, ipProtocol: 17)
        let kb = FlowKey.normalised(source: b.source.bits, sourcePort: 161, destination: b.destination.bits,
                                    destinationPort: 40001, vlan: 0, ipProtocol: 17)
        #expect(ka.key == kb.key && ka.sourceIsA != kb.sourceIsA)
        #expect(ka.key.hash(seed: 0) == kb.key.hash(seed: 0))
        let flow = try #require(table.flow(at: ua.slot))
        #expect(flow.bytesToServer == 100 && flow.bytesToClient == 300)
        #expect(table.counters.createdUDP == 1 && table.counters.active == 1)
    }

    @Test func vlanProtocolAndFamilySeparateFlows() throws {
        let table = FlowRecordSink().makeTable()
        var slots = Set<Int>()
        slots.insert(try table.must(P.udp("10.0.0.1", 1000, "10.0.0.2", 502, vlan: 10), at: seconds(1)).slot)
        slots.insert(try table.must(P.udp("10.0.0.2", 502, "10.0.0.1", 1000, vlan: 20), at: seconds(1)).slot)
        slots.insert(try table.must(P.udp("10.0.0.1", 1000, "10.0.0.2", 502), at: seconds(1)).slot)
        slots.insert(try table.must(P.tcp("10.0.0.1", 1000, "10.0.0.2", 502, flags: P.ack), at: seconds(1)).slot)
        slots.insert(try table.must(P.udp("::a00:1", 1000, "::a00:2", 502), at: seconds(1)).slot)
        #expect(slots.count == 5)
        #expect(table.counters.createdUDP == 4 && table.counters.createdTCP == 1)
        // the reverse direction in VLAN 10 finds the VLAN 10 flow
        let back = try table.must(P.udp("10.0.0.2", 502, "10.0.0.1", 1000, vlan: 10), at: seconds(2))
        #expect(!back.isNew && back.direction == .toClient)
    }

    @Test func nonIPIsNotAFlow() {
        let table = FlowRecordSink().makeTable()
        var arp = DecodedPacket()
        arp.network = .arp
        arp.source = FlowPackets.ip("10.0.0.1")
        #expect(table.track(arp, wireLength: 42, time: seconds(1)) == nil)
        var other = DecodedPacket()
        other.network = .other
        #expect(table.track(other, wireLength: 60, time: seconds(1)) == nil)
        #expect(table.counters.created == 0 && table.counters.active == 0)
    }

    @Test func icmpAndOtherProtocolsAreCounted() throws {
        let table = FlowRecordSink().makeTable()
        _ = try table.must(P.packet(.icmp, "10.0.0.1", 0, "10.0.0.2", 0), at: seconds(1))
        _ = try table.must(P.packet(.icmpv6, "fe80::1", 0, "fe80::2", 0), at: seconds(1))
        _ = try table.must(P.packet(.other, "10.0.0.1", 0, "10.0.0.2", 0), at: seconds(1))
        #expect(table.counters.createdICMP == 2 && table.counters.createdOther == 1)
    }

    @Test func applicationFieldsAndRecordContents() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        table.applicationName = { $0 == 3 ? "modbus" : nil }
        let u = try table.must(P.tcp("10.0.0.1", 40000, "10.0.0.2", 502, flags: P.syn, seq: 7), at: seconds(10))
        table.setApplication(3, state: 42, at: u.slot)
        table.setApplication(9, state: 1, at: 12345)  // a free slot: ignored
        #expect(table.flow(at: u.slot)?.application == 3 && table.flow(at: u.slot)?.appState == 42)
        #expect(table.application(at: u.slot)?.application == 3 && table.application(at: u.slot)?.state == 42)
        #expect(table.application(at: 12345) == nil && table.application(at: -1) == nil)
        #expect(table.flow(at: 12345) == nil && table.flow(at: -1) == nil)
        table.flushAll()
        let record = try #require(sink.finals.first)
        #expect(record.application == "modbus" && record.tcpState == "syn_sent" && record.endReason == "end")
        #expect(record.id == 1 && record.ipProtocol == 6 && record.transport == .tcp)
        #expect(record.client.port == 40000 && record.server.port == 502)
        #expect(sink.entries.first?.slot == u.slot)
        #expect(table.flow(at: u.slot) == nil && table.counters.active == 0 && table.counters.flushed == 1)
    }

    @Test func flushAllEmitsEveryFlowInIDOrder() throws {
        let sink = FlowRecordSink()
        let table = sink.makeTable()
        for i in 0..<50 {
            _ = try table.must(P.udp("10.0.1.\(i)", 5000, "10.0.0.1", 53), at: seconds(Int64(50 - i)))
        }
        table.flushAll()
        #expect(sink.finals.map(\.id) == Array(1...50))
        #expect(sink.finals.allSatisfy { $0.endReason == "end" && $0.tcpState == nil })
        #expect(table.counters.active == 0 && table.checkConsistency())
    }

    @Test func idsFollowFirstIDAndStride() throws {
        let table = FlowTable(hashSeed: 1, firstID: 3, idStride: 4) { _, _, _ in }
        let a = try table.must(P.udp("10.0.0.1", 1, "10.0.0.2", 2), at: seconds(1))
        let b = try table.must(P.udp("10.0.0.1", 3, "10.0.0.2", 4), at: seconds(1))
        #expect(table.flow(at: a.slot)?.id == 3 && table.flow(at: b.slot)?.id == 7)
    }
}
