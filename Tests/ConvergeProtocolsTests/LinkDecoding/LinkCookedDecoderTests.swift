import ConvergeModel
import ConvergeWire
import Testing
@testable import ConvergeProtocols

/// Link types without Ethernet: SLL, SLL2, raw IP, BSD loopback, and unknown ones.
@Suite struct LinkCookedDecoderTests {
    typealias B = LinkFrameBuilder

    @Test func linuxSLL() {
        let (p, issue) = linkDecode(LinkFixtures.sllUDP, .linuxSLL)
        #expect(issue == nil)
        #expect(p.sourceMAC == 0x0011_2233_4455)
        #expect(p.destinationMAC == 0)
        #expect(p.network == .ipv4)
        #expect(p.networkOffset == 16)
        #expect(p.source == linkIP("192.168.1.10"))
        #expect(p.destination == linkIP("192.168.1.1"))
        #expect(p.transport == .udp)
        #expect(p.sourcePort == 54321)
        #expect(p.destinationPort == 53)
        #expect(p.payloadOffset == 44)
        #expect(p.payloadLength == 12)
    }

    @Test func linuxSLL2() {
        let (p, issue) = linkDecode(LinkFixtures.sll2ICMPv6, .linuxSLL2)
        #expect(issue == nil)
        #expect(p.sourceMAC == 0x0011_2233_4455)
        #expect(p.network == .ipv6)
        #expect(p.etherType == 0x86DD)
        #expect(p.networkOffset == 20)
        #expect(p.source == linkIP("fe80::1"))
        #expect(p.destination == linkIP("fe80::2"))
        #expect(p.hopLimit == 255)
        #expect(p.transport == .icmpv6)
        #expect(p.ipProtocol == 58)
        #expect(p.icmpType == 128)
        #expect(p.icmpCode == 0)
        #expect(p.payloadOffset == 68)
        #expect(p.payloadLength == 4)
    }

    @Test func cookedHeadersCutShort() {
        #expect(linkDecode(Array(LinkFixtures.sllUDP.prefix(15)), .linuxSLL).issue == .truncatedLink)
        #expect(linkDecode(Array(LinkFixtures.sll2ICMPv6.prefix(19)), .linuxSLL2).issue == .truncatedLink)
    }

    @Test func sllWithVLANProtocolDecodesTheTag() {
        var frame = Array(LinkFixtures.sllUDP.prefix(14)) + [0x81, 0x00] + B.tag(42, next: 0x0800)
        frame += LinkFixtures.sllUDP.dropFirst(16)
        let (p, issue) = linkDecode(frame, .linuxSLL)
        #expect(issue == nil)
        #expect(p.vlan == 42)
        #expect(p.transport == .udp)
    }

    @Test func sllNetlinkIsOther() {
        var frame = LinkFixtures.sllUDP
        frame[2] = 0x03  // ARPHRD 824 = 0x0338: netlink
        frame[3] = 0x38
        let (p, issue) = linkDecode(frame, .linuxSLL)
        #expect(issue == nil)
        #expect(p.network == .other)
        #expect(p.payloadOffset == 16)
    }

    @Test func rawIPv4AndIPv6() {
        let v4 = B.ipv4(protocol: 6, B.tcp([1, 2, 3]))
        let v6 = B.ipv6(next: 17, B.udp([4]))
        for link in [LinkType.raw, LinkType(rawValue: 12), LinkType(rawValue: 14)] {
            let (p4, i4) = linkDecode(v4, link)
            #expect(i4 == nil)
            #expect(p4.network == .ipv4)
            #expect(p4.payloadLength == 3)
            let (p6, i6) = linkDecode(v6, link)
            #expect(i6 == nil)
            #expect(p6.network == .ipv6)
            #expect(p6.payloadLength == 1)
        }
        #expect(linkDecode(v4, .ipv4).issue == nil)
        #expect(linkDecode(v6, .ipv6).issue == nil)
    }

    @Test func rawLinkTypesCheckTheVersion() {
        let v4 = B.ipv4(protocol: 6, B.tcp())
        let v6 = B.ipv6(next: 17, B.udp())
        #expect(linkDecode(v6, .ipv4).issue == .badIPVersion)
        #expect(linkDecode(v4, .ipv6).issue == .badIPVersion)
        var v5 = v4
        v5[0] = 0x55
        #expect(linkDecode(v5, .raw).issue == .badIPVersion)
        #expect(linkDecode([], .raw).issue == .truncatedIP)
    }

    @Test func nullLoopbackBothByteOrders() {
        let (p, issue) = linkDecode(LinkFixtures.nullIPv6UDP, .null)
        #expect(issue == nil)
        #expect(p.network == .ipv6)
        #expect(p.source == linkIP("::1"))
        #expect(p.sourcePort == 5000)
        #expect(p.destinationPort == 20000)
        #expect(p.payloadOffset == 52)
        #expect(p.payloadLength == 2)

        let v4 = B.ipv4(protocol: 6, B.tcp())
        for header: [UInt8] in [[2, 0, 0, 0], [0, 0, 0, 2]] {  // written on a little- / big-endian host
            let (q, i) = linkDecode(header + v4, .null)
            #expect(i == nil)
            #expect(q.network == .ipv4)
            #expect(q.networkOffset == 4)
        }
        for family: UInt8 in [24, 28, 30] {
            #expect(linkDecode([family, 0, 0, 0] + B.ipv6(next: 59, []), .null).packet.network == .ipv6)
        }
    }

    @Test func loopIsNetworkOrder() {
        let (p, issue) = linkDecode([0, 0, 0, 24] + B.ipv6(next: 6, B.tcp()), .loop)
        #expect(issue == nil)
        #expect(p.network == .ipv6)
        #expect(p.transport == .tcp)
        // Little-endian 2 is 0x02000000 in network order: not a family.
        let (q, _) = linkDecode([2, 0, 0, 0] + B.ipv4(protocol: 6, B.tcp()), .loop)
        #expect(q.network == .other)
        #expect(q.anomalies.contains(.unknownLoopbackFamily))
    }

    @Test func unknownLoopbackFamilyIsOther() {
        let (p, issue) = linkDecode([7, 0, 0, 0, 1, 2, 3], .null)
        #expect(issue == nil)
        #expect(p.network == .other)
        #expect(p.anomalies.contains(.unknownLoopbackFamily))
        #expect(p.payloadOffset == 4)
        #expect(p.payloadLength == 3)
        #expect(linkDecode([2, 0, 0], .null).issue == .truncatedLink)
    }

    @Test(arguments: [UInt32(195), 147, 9999, UInt32.max])
    func unknownLinkTypeIsAnIssue(raw: UInt32) {
        let (p, issue) = linkDecode(LinkFixtures.ethernetTCPSyn, LinkType(rawValue: raw))
        #expect(issue == .unsupportedLinkType)
        #expect(p.network == .none)
    }

    @Test func decodeResetsThePacket() {
        var packet = DecodedPacket()
        let tunnelled = LinkFixtures.vxlanTCP
        let arp = LinkFixtures.arpRequest
        _ = PacketDecoder.decode(tunnelled.span, linkType: .ethernet, into: &packet)
        #expect(packet.tunnelDepth == 1)
        let issue = PacketDecoder.decode(arp.span, linkType: .ethernet, into: &packet)
        #expect(issue == nil)
        #expect(packet.tunnelDepth == 0)
        #expect(packet.transport == .other)
        #expect(packet.sourcePort == 0)
    }
}

@Suite struct LinkDecodeIssueTests {
    @Test func everyIssueHasItsOwnReason() {
        let reasons = DecodeIssue.allCases.map(\.reason)
        #expect(reasons.allSatisfy { !$0.isEmpty })
        #expect(Set(reasons).count == reasons.count)
    }
}
