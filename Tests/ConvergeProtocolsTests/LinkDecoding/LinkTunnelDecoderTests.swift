import ConvergeModel
import ConvergeWire
import Testing
@testable import ConvergeProtocols

@Suite struct LinkTunnelDecoderTests {
    typealias B = LinkFrameBuilder

    @Test func vxlanInnerPacket() {
        let (p, issue) = linkDecode(LinkFixtures.vxlanTCP, .ethernet)
        #expect(issue == nil)
        #expect(p.tunnelDepth == 1)
        #expect(p.tunnelID == 123)
        #expect(p.tunnelSource == linkIP("192.0.2.1"))
        #expect(p.tunnelDestination == linkIP("192.0.2.2"))
        #expect(p.sourceMAC == 0x0200_0000_0001)  // the inner frame's MACs
        #expect(p.destinationMAC == 0x0200_0000_0002)
        #expect(p.source == linkIP("10.1.1.1"))
        #expect(p.destination == linkIP("10.1.1.2"))
        #expect(p.networkOffset == 14 + 20 + 8 + 8 + 14)
        #expect(p.transport == .tcp)
        #expect(p.sourcePort == 502)
        #expect(p.destinationPort == 49153)
        #expect(p.sequence == 5)
        #expect(p.acknowledgment == 9)
        #expect(p.payloadOffset == 104)
        #expect(p.payloadLength == 3)
    }

    @Test func vxlanWithoutTheIFlagIsPlainUDP() {
        var frame = LinkFixtures.vxlanTCP
        frame[42] = 0x00  // VXLAN flags
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.tunnelDepth == 0)
        #expect(p.destinationPort == 4789)
        #expect(p.payloadOffset == 42)
    }

    @Test func vxlanWithABrokenInnerFrameKeepsTheOuterPacket() {
        let inner = Array(repeating: UInt8(0), count: 10)  // shorter than an Ethernet header
        let frame = B.ethernet(type: 0x0800, B.ipv4(protocol: 17, B.udp(destinationPort: 4789, B.vxlan(vni: 5, inner))))
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == .truncatedLink)
        #expect(p.tunnelDepth == 0)
        #expect(p.transport == .udp)
        #expect(p.destinationPort == 4789)
        #expect(p.source == linkIP("10.0.0.1"))
    }

    @Test func vxlanCarryingARP() {
        let innerARP = B.ethernet(destination: 0xFFFF_FFFF_FFFF, type: 0x0806,
                                  B.arp(operation: 1, sender: "172.16.0.1", target: "172.16.0.9"))
        let datagram = B.udp(destinationPort: 4789, B.vxlan(vni: 1, innerARP))
        let frame = B.ethernet(type: 0x0800, B.ipv4(protocol: 17, datagram))
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.network == .arp)
        #expect(p.tunnelDepth == 1)
        #expect(p.transport == .other)
        #expect(p.sourcePort == 0)
        #expect(p.source == linkIP("172.16.0.1"))
    }

    @Test func greWithChecksumKeyAndSequence() {
        let inner = B.ipv4(source: "192.168.10.1", destination: "192.168.10.2", protocol: 17, B.udp([1, 2, 3]))
        let gre = B.gre(protocol: 0x0800, checksum: true, key: 0xDEAD_BEEF, sequence: 42, inner)
        #expect(gre.count == 16 + inner.count)
        let (p, issue) = linkDecode(B.ethernet(type: 0x0800, B.ipv4(protocol: 47, gre)), .ethernet)
        #expect(issue == nil)
        #expect(p.tunnelDepth == 1)
        #expect(p.tunnelID == 0xDEAD_BEEF)
        #expect(p.tunnelSource == linkIP("10.0.0.1"))
        #expect(p.source == linkIP("192.168.10.1"))
        #expect(p.networkOffset == 14 + 20 + 16)
        #expect(p.sourceMAC == 0)  // IP inside GRE has no MAC of its own
        #expect(p.transport == .udp)
        #expect(p.payloadLength == 3)
    }

    @Test func greTransparentEthernetBridging() {
        let innerFrame = B.ethernet(destination: 0x0A0A_0A0A_0A0A, source: 0x0B0B_0B0B_0B0B, type: 0x86DD,
                                    B.ipv6(next: 6, B.tcp([7])))
        let (p, issue) = linkDecode(B.ipv4(protocol: 47, B.gre(protocol: 0x6558, key: 9, innerFrame)), .raw)
        #expect(issue == nil)
        #expect(p.sourceMAC == 0x0B0B_0B0B_0B0B)
        #expect(p.network == .ipv6)
        #expect(p.transport == .tcp)
        #expect(p.tunnelID == 9)
        #expect(p.payloadLength == 1)
    }

    @Test func greOverVLANCarryingARP() {
        // As suricata-verify's decode-arp-3: VLAN / IPv4 / GRE / ARP.
        let gre = B.gre(protocol: 0x0806, B.arp(operation: 2, sender: "1.1.1.1", target: "2.2.2.2"))
        let frame = B.ethernet(type: 0x8100, B.tag(10, next: 0x0800) + B.ipv4(protocol: 47, gre))
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.vlan == 10)
        #expect(p.network == .arp)
        #expect(p.arpOperation == 2)
        #expect(p.tunnelDepth == 1)
    }

    @Test func greUnknownProtocolAndVersionOneStayOuter() {
        let unknown = linkDecode(B.ipv4(protocol: 47, B.gre(protocol: 0x1234, [1, 2, 3])), .ipv4)
        #expect(unknown.issue == nil)
        #expect(unknown.packet.tunnelDepth == 0)
        #expect(unknown.packet.ipProtocol == 47)
        #expect(unknown.packet.payloadOffset == 24)
        let pptp: [UInt8] = [0x30, 0x01, 0x88, 0x0B, 0, 4, 0, 1, 0, 0, 0, 1, 0xFF, 0x03, 0, 0x21]
        let v1 = linkDecode(B.ipv4(protocol: 47, pptp), .ipv4)
        #expect(v1.issue == nil)
        #expect(v1.packet.tunnelDepth == 0)
    }

    @Test func greHeaderCutShort() {
        let gre = B.gre(protocol: 0x0800, key: 1, sequence: 2, [])
        #expect(linkDecode(B.ipv4(protocol: 47, Array(gre.prefix(10))), .ipv4).issue == .truncatedTunnel)
        #expect(linkDecode(B.ipv4(protocol: 47, [0, 0]), .ipv4).issue == .truncatedTunnel)
    }

    @Test func erspanTypeII() {
        let inner = B.ethernet(type: 0x0800, B.ipv4(protocol: 6, B.tcp([1])))
        let erspan: [UInt8] = [0x10, 0x01, 0x00, 0x05, 0, 0, 0, 0]  // version 1, VLAN 1, session 5, index
        let gre = B.gre(protocol: 0x88BE, sequence: 1, erspan + inner)
        let (p, issue) = linkDecode(B.ipv4(protocol: 47, gre), .ipv4)
        #expect(issue == nil)
        #expect(p.tunnelDepth == 1)
        #expect(p.transport == .tcp)
    }

    @Test func sixInFour() {
        let inner = B.ipv6(source: "2001:db8:1::1", destination: "2001:db8:2::2", next: 17, B.udp([1]))
        let (p, issue) = linkDecode(B.ipv4(protocol: 41, inner), .ipv4)
        #expect(issue == nil)
        #expect(p.network == .ipv6)
        #expect(p.tunnelDepth == 1)
        #expect(p.source == linkIP("2001:db8:1::1"))
        #expect(p.tunnelSource == linkIP("10.0.0.1"))
        #expect(p.networkOffset == 20)
    }

    @Test func tunnelInsideATunnel() {
        let innermost = B.ipv4(source: "10.9.9.1", destination: "10.9.9.2", protocol: 6, B.tcp([1, 2]))
        let middle = B.ipv4(source: "172.16.0.1", destination: "172.16.0.2", protocol: 47,
                            B.gre(protocol: 0x0800, innermost))
        let outer = B.ethernet(type: 0x0800, B.ipv4(protocol: 17, B.udp(destinationPort: 4789,
                               B.vxlan(vni: 77, B.ethernet(type: 0x0800, middle)))))
        let (p, issue) = linkDecode(outer, .ethernet)
        #expect(issue == nil)
        #expect(p.tunnelDepth == 2)
        #expect(p.tunnelSource == linkIP("10.0.0.1"))  // the outermost endpoints
        #expect(p.tunnelID == 0)  // the innermost tunnel (GRE without key)
        #expect(p.source == linkIP("10.9.9.1"))
        #expect(p.payloadLength == 2)
    }

    @Test func tunnelsPastTheCapStop() {
        var packet = B.ipv4(source: "10.9.9.1", destination: "10.9.9.2", protocol: 6, B.tcp())
        for _ in 0..<(PacketDecoder.maxTunnelDepth + 1) {
            packet = B.ipv4(protocol: 4, packet)
        }
        let (p, issue) = linkDecode(packet, .ipv4)
        #expect(issue == .tunnelTooDeep)
        #expect(Int(p.tunnelDepth) == PacketDecoder.maxTunnelDepth)
        #expect(p.ipProtocol == 4)
    }
}
