import ConvergeModel
import ConvergeWire
import Testing
@testable import ConvergeProtocols

/// Real captures with odd and malformed packets (Tests/Fixtures/link, see LICENSE.md there); the
/// expected values are what tshark shows for the same frames.
@Suite struct LinkCaptureDecoderTests {
    func load(_ name: String) throws -> LinkTestPcap {
        try #require(LinkTestPcap(contentsOf: linkFixtureURL(name)), "cannot read fixture \(name)")
    }

    func decodeAll(_ pcap: LinkTestPcap) -> [(packet: DecodedPacket, issue: DecodeIssue?)] {
        pcap.records.map { linkDecode($0.bytes, pcap.linkType) }
    }

    @Test func ipv4TotalLengthBeyondTheFrame() throws {
        // tshark: "IPv4 total length exceeds packet length (1516 bytes)", UDP "Bad length value 65008".
        let pcap = try load("sv-ipv4-truncated.pcap")
        let (p, issue) = try #require(decodeAll(pcap).first)
        #expect(issue == nil)
        #expect(p.anomalies.contains(.ipLengthExceedsCapture))
        #expect(p.source == linkIP("10.16.1.10"))
        #expect(p.destination == linkIP("10.16.1.11"))
        #expect(p.transport == .udp)
        #expect(p.sourcePort == 2539)
        #expect(p.destinationPort == 5333)
        #expect(p.payloadOffset + p.payloadLength == 1530)
    }

    @Test func vlanGREARP() throws {
        let (p, issue) = try #require(decodeAll(try load("sv-vlan-gre-arp.pcap")).first)
        #expect(issue == nil)
        #expect(p.vlanCount == 1)
        #expect(p.tunnelDepth == 1)
        #expect(p.tunnelSource == linkIP("1.1.1.1"))
        #expect(p.network == .arp)
    }

    @Test func vxlanARP() throws {
        let packets = decodeAll(try load("sv-vxlan-arp.pcap"))
        #expect(packets.count == 2)
        #expect(packets.allSatisfy { $0.issue == nil && $0.packet.network == .arp && $0.packet.tunnelDepth == 1 })
        #expect(packets.map(\.packet.tunnelSource) == [linkIP("192.168.202.1"), linkIP("192.168.203.1")])
    }

    @Test func stackedVLANTagsARP() throws {
        let packets = decodeAll(try load("sv-vlan-stack-arp.pcap"))
        #expect(packets.map(\.packet.vlanCount) == [1, 2, 3])
        #expect(packets.allSatisfy { $0.issue == nil && $0.packet.network == .arp })
    }

    @Test func ipv6OverlappingFragmentsFirstDataWins() throws {
        // tshark: frames 5, 6, 9 make a 1208-byte ICMPv6 echo request; frame 8 overlaps frame 6
        // with other bytes ("overlap", "conflicting data").
        let pcap = try load("sv-ipv6-frag-1.pcap")
        var reassembler = IPReassembler()
        var results: [(frame: Int, datagram: [UInt8], packet: DecodedPacket)] = []
        for (index, record) in pcap.records.enumerated() {
            let (p, issue) = linkDecode(record.bytes, pcap.linkType)
            #expect(issue == nil, "frame \(index + 1)")
            guard p.isFragment else { continue }
            let data = Array(record.bytes[p.payloadOffset..<(p.payloadOffset + p.payloadLength)])
            if let datagram = reassembler.add(p, data: data.span, time: record.time) {
                results.append((index + 1, datagram, p))
            }
        }
        #expect(reassembler.stats.inconsistentOverlaps == 1)
        #expect(reassembler.stats.completed == 1)
        let done = try #require(results.first)
        #expect(done.frame == 9)
        #expect(done.datagram.count == 1208)
        var packet = done.packet
        #expect(PacketDecoder.decodeTransport(done.datagram.span, ipProtocol: packet.ipProtocol, into: &packet) == nil)
        #expect(packet.transport == .icmpv6)
        #expect(packet.icmpType == 128)
    }

    @Test func ipv6AtomicFragmentWithTooShortTCP() throws {
        // tshark marks frame 8 "Malformed Packet": an atomic fragment header, then 0 bytes of TCP.
        let packets = decodeAll(try load("sv-ipv6-frag-25.pcap"))
        #expect(packets.count == 10)
        for (index, decoded) in packets.enumerated() where index != 7 {
            #expect(decoded.issue == nil, "frame \(index + 1)")
        }
        #expect(packets[7].issue == .truncatedTransport)
        #expect(packets[7].packet.anomalies.contains(.atomicFragment))
        #expect(packets[7].packet.fragmentID == 0)
        #expect(packets[3].packet.transport == .icmpv6)  // behind a hop-by-hop header
    }

    @Test func udpLengthBelowEight() throws {
        // tshark: "Bad length value 5 < 8".
        let (p, issue) = try #require(decodeAll(try load("sv-udp-len-invalid.pcap")).first)
        #expect(issue == .badUDPLength)
        #expect(p.sourcePort == 13000)
        #expect(p.source == linkIP("127.0.0.1"))
    }

    @Test func rawIPLinkType() throws {
        let pcap = try load("sv-rawip-dns.pcap")
        #expect(pcap.linkType == .raw)
        let packets = decodeAll(pcap)
        #expect(packets.map(\.issue) == [nil, nil])
        #expect(packets.map(\.packet.sourcePort) == [36441, 53])
        #expect(packets.map(\.packet.payloadLength) == [71, 159])  // UDP lengths 79 and 167, minus 8
    }

    @Test func rawIPv4LinkType() throws {
        let pcap = try load("sv-rawip4-dnp3.pcap")
        #expect(pcap.linkType == .ipv4)
        let packets = decodeAll(pcap)
        #expect(packets.count == 40)
        #expect(packets.allSatisfy { $0.issue == nil && $0.packet.transport == .tcp })
        #expect(packets.allSatisfy { $0.packet.sourcePort == 20000 || $0.packet.destinationPort == 20000 })
    }

    @Test func malformedIPv4OptionsAreNoted() throws {
        // Frame 8 has a 32-byte header whose options tshark cannot parse (a 2-byte Security option).
        let packets = decodeAll(try load("sv-tcp-malformed-ipv4.pcap"))
        #expect(packets.count == 11)
        #expect(packets.allSatisfy { $0.issue == nil && $0.packet.transport == .tcp })
        #expect(packets[7].packet.anomalies.contains(.ipOptions))
        #expect(packets[7].packet.transportOffset == 14 + 32)
        #expect(packets.filter { $0.packet.anomalies.contains(.ipOptions) }.count == 1)
    }

    @Test func bsdLoopbackNull() throws {
        let pcap = try load("iti-null-dnp3.pcap")
        #expect(pcap.linkType == .null)
        let packets = decodeAll(pcap)
        #expect(packets.count == 15)
        #expect(packets.allSatisfy { $0.issue == nil && $0.packet.network == .ipv4 && $0.packet.transport == .tcp })
        #expect(packets.allSatisfy { $0.packet.source == linkIP("127.0.0.1") })
    }
}
