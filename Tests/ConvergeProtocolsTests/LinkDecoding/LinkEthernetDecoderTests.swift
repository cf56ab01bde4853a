import ConvergeModel
import ConvergeWire
import Testing
@testable import ConvergeProtocols

@Suite struct LinkEthernetDecoderTests {
    typealias B = LinkFrameBuilder

    @Test func ethernetIPv4TCPSyn() {
        let (p, issue) = linkDecode(LinkFixtures.ethernetTCPSyn, .ethernet)
        #expect(issue == nil)
        #expect(p.destinationMAC == 0x6677_8899_AABB)
        #expect(p.sourceMAC == 0x0011_2233_4455)
        #expect(p.etherType == 0x0800)
        #expect(p.network == .ipv4)
        #expect(p.networkOffset == 14)
        #expect(p.source == linkIP("10.0.0.1"))
        #expect(p.destination == linkIP("10.0.0.2"))
        #expect(p.ipProtocol == 6)
        #expect(p.hopLimit == 64)
        #expect(p.transport == .tcp)
        #expect(p.transportOffset == 34)
        #expect(p.sourcePort == 49152)
        #expect(p.destinationPort == 502)
        #expect(p.sequence == 1000)
        #expect(p.acknowledgment == 0)
        #expect(p.tcpFlags == DecodedPacket.syn)
        #expect(p.window == 64240)
        // The option is skipped and the two padding bytes are not payload.
        #expect(p.payloadOffset == 58)
        #expect(p.payloadLength == 0)
        #expect(p.anomalies.isEmpty)
        #expect(!p.isFragment)
        #expect(p.vlanCount == 0)
    }

    @Test func arpRequest() {
        let (p, issue) = linkDecode(LinkFixtures.arpRequest, .ethernet)
        #expect(issue == nil)
        #expect(p.network == .arp)
        #expect(p.etherType == 0x0806)
        #expect(p.arpOperation == 1)
        #expect(p.arpSenderMAC == 0x0011_2233_4455)
        #expect(p.source == linkIP("10.0.0.1"))
        #expect(p.destination == linkIP("10.0.0.2"))
        #expect(p.transport == .other)
        #expect(p.payloadOffset == 14)
        #expect(p.payloadLength == 28)
    }

    @Test func arpReplyCutInTheAddressesIsTruncated() {
        let frame = B.ethernet(type: 0x0806, B.arp(operation: 2, sender: "10.0.0.2", target: "10.0.0.1"))
        let (p, issue) = linkDecode(Array(frame.dropLast(3)), .ethernet)
        #expect(issue == .truncatedARP)
        #expect(p.network == .arp)
        #expect(p.arpOperation == 2)
        #expect(p.source == .none)
    }

    @Test func singleVLANTag() {
        let ipPacket = B.ipv4(protocol: 17, B.udp(sourcePort: 1000, destinationPort: 2000, [1, 2, 3]))
        let frame = B.ethernet(type: 0x8100, B.tag(100, priority: 5, next: 0x0800) + ipPacket)
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.vlan == 100)
        #expect(p.vlanCount == 1)
        #expect(p.innerVLAN == 0)
        #expect(p.etherType == 0x0800)
        #expect(p.networkOffset == 18)
        #expect(p.transport == .udp)
        #expect(p.sourcePort == 1000)
        #expect(p.destinationPort == 2000)
        #expect(p.payloadOffset == 18 + 20 + 8)
        #expect(p.payloadLength == 3)
    }

    @Test func qinqTags() {
        let ipPacket = B.ipv4(protocol: 1, B.icmp(type: 8, [9, 9]))
        let frame = B.ethernet(type: 0x88A8, B.tag(200, next: 0x8100) + B.tag(300, next: 0x0800) + ipPacket)
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.vlan == 200)
        #expect(p.innerVLAN == 300)
        #expect(p.vlanCount == 2)
        #expect(p.transport == .icmp)
        #expect(p.icmpType == 8)
        #expect(p.icmpCode == 0)
        #expect(p.payloadOffset == 22 + 20 + 8)
        #expect(p.payloadLength == 2)
    }

    @Test func vlanTagsPastTheCapStop() {
        var tags: [UInt8] = []
        for _ in 0..<PacketDecoder.maxVLANTags { tags += B.tag(7, next: 0x8100) }
        tags += B.tag(7, next: 0x0800)
        let frame = B.ethernet(type: 0x8100, tags + B.ipv4(protocol: 6, B.tcp()))
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == .tooManyVLANTags)
        #expect(Int(p.vlanCount) == PacketDecoder.maxVLANTags)
        #expect(p.network == .none)
    }

    @Test func vlanAtTheCapStillDecodes() {
        var tags: [UInt8] = []
        for _ in 0..<(PacketDecoder.maxVLANTags - 1) { tags += B.tag(7, next: 0x8100) }
        tags += B.tag(8, next: 0x0800)
        let frame = B.ethernet(type: 0x8100, tags + B.ipv4(protocol: 6, B.tcp()))
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.innerVLAN == 8)
        #expect(p.transport == .tcp)
    }

    @Test func llcSpanningTreeIsOther() {
        let bpdu: [UInt8] = [0x42, 0x42, 0x03] + Array(repeating: 0, count: 35)  // LLC STP + BPDU
        let frame = B.ethernet(destination: 0x0180_C200_0000, type: UInt16(bpdu.count), bpdu + [0, 0, 0, 0, 0, 0, 0, 0])
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.network == .other)
        #expect(p.etherType == 0)
        #expect(p.payloadOffset == 14)
        #expect(p.payloadLength == 38)  // the 802.3 length, padding excluded
        #expect(p.anomalies.isEmpty)
    }

    @Test func snapCarryingIPv4IsDecoded() {
        let ipPacket = B.ipv4(protocol: 17, B.udp([0xAB]))
        let snap: [UInt8] = [0xAA, 0xAA, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00]  // LLC SNAP, OUI 0, IPv4
        let frame = B.ethernet(type: UInt16(snap.count + ipPacket.count), snap + ipPacket)
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.network == .ipv4)
        #expect(p.etherType == 0x0800)
        #expect(p.networkOffset == 22)
        #expect(p.transport == .udp)
        #expect(p.payloadLength == 1)
    }

    @Test func snapWithVendorOUIIsOther() {
        let cdp: [UInt8] = [0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00, 0x02, 0xB4]  // Cisco CDP
        let frame = B.ethernet(type: UInt16(cdp.count), cdp)
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.network == .other)
        #expect(p.payloadOffset == 14)
    }

    @Test func ethernetLengthBeyondFrameIsAnAnomaly() {
        let frame = B.ethernet(type: 1000, [0x42, 0x42, 0x03, 0x00])
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.anomalies.contains(.badEthernetLength))
        #expect(p.payloadLength == 4)
    }

    @Test func unknownEtherTypeIsOtherWithPayload() {
        // PROFINET real-time (0x8892): a layer-2 industrial protocol a dissector reads from the payload.
        let frame = B.ethernet(type: 0x8892, [0xFE, 0xFE, 0x05, 0x00])
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.network == .other)
        #expect(p.etherType == 0x8892)
        #expect(p.payloadOffset == 14)
        #expect(p.payloadLength == 4)
    }

    @Test func mplsLabelStackToIPv4() {
        let labels: [UInt8] = [0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40]  // label 16, label 32 bottom
        let frame = B.ethernet(type: 0x8847, labels + B.ipv4(protocol: 6, B.tcp([1])))
        let (p, issue) = linkDecode(frame, .ethernet)
        #expect(issue == nil)
        #expect(p.network == .ipv4)
        #expect(p.networkOffset == 22)
        #expect(p.payloadLength == 1)
    }

    @Test func mplsWithoutBottomOfStackStops() {
        let label: [UInt8] = [0x00, 0x01, 0x00, 0x40]
        let frame = B.ethernet(type: 0x8847, Array(repeating: label, count: 12).flatMap { $0 })
        #expect(linkDecode(frame, .ethernet).issue == .tooManyMPLSLabels)
    }

    @Test func pppoeSessionToIPv6() {
        let ipPacket = B.ipv6(next: 17, B.udp([1, 2]))
        let session: [UInt8] = [0x11, 0x00, 0x00, 0x2A] + B.be16(UInt16(2 + ipPacket.count)) + [0x00, 0x57]
        let (p, issue) = linkDecode(B.ethernet(type: 0x8864, session + ipPacket), .ethernet)
        #expect(issue == nil)
        #expect(p.network == .ipv6)
        #expect(p.transport == .udp)
        #expect(p.payloadLength == 2)
    }

    @Test func shortEthernetIsTruncatedLink() {
        #expect(linkDecode(Array(LinkFixtures.arpRequest.prefix(13)), .ethernet).issue == .truncatedLink)
        #expect(linkDecode([], .ethernet).issue == .truncatedLink)
    }
}
