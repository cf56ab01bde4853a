import ConvergeModel
import ConvergeWire
import Testing
@testable import ConvergeProtocols

@Suite struct LinkTransportDecoderTests {
    typealias B = LinkFrameBuilder

    @Test func tcpFieldsAndOptions() {
        let options: [UInt8] = [0x01, 0x01, 0x08, 0x0A, 0, 0, 0, 1, 0, 0, 0, 2]  // NOP NOP timestamps
        let segment = B.tcp(sourcePort: 502, destinationPort: 50000, sequence: 0xFFFF_FFF0,
                            acknowledgment: 0x0102_0304, flags: 0x11, window: 0xFFFF, options: options, [1, 2, 3])
        let (p, issue) = linkDecode(B.ipv4(protocol: 6, segment), .ipv4)
        #expect(issue == nil)
        #expect(p.sequence == 0xFFFF_FFF0)
        #expect(p.acknowledgment == 0x0102_0304)
        #expect(p.tcpFlags == DecodedPacket.fin | DecodedPacket.ack)
        #expect(p.window == 0xFFFF)
        #expect(p.payloadOffset == 20 + 32)
        #expect(p.payloadLength == 3)
    }

    @Test func tcpDataOffsetBelowFive() {
        let (p, issue) = linkDecode(B.ipv4(protocol: 6, B.tcp(dataOffset: 4, [1, 2, 3, 4])), .ipv4)
        #expect(issue == .badTCPHeaderLength)
        #expect(p.transport == .tcp)
        #expect(p.sourcePort == 49152)  // the ports before the bad field are kept
        #expect(p.source == linkIP("10.0.0.1"))
    }

    @Test func tcpDataOffsetBeyondSegment() {
        // The IP length is honest (no snaplen cut), so a 60-byte header in 24 bytes is a bad header.
        let (_, issue) = linkDecode(B.ipv4(protocol: 6, B.tcp(dataOffset: 15, [1, 2, 3, 4])), .ipv4)
        #expect(issue == .badTCPHeaderLength)
        // With a snaplen cut it is a truncation.
        let cut = B.ipv4(protocol: 6, totalLength: 100, B.tcp(dataOffset: 15, [1, 2, 3, 4]))
        #expect(linkDecode(cut, .ipv4).issue == .truncatedTransport)
    }

    @Test func tcpHeaderCutShort() {
        let frame = B.ipv4(protocol: 6, B.tcp())
        let (p, issue) = linkDecode(Array(frame.prefix(20 + 19)), .ipv4)
        #expect(issue == .truncatedTransport)
        #expect(p.transport == .tcp)
        #expect(p.destinationPort == 502)
        let (q, i2) = linkDecode(Array(frame.prefix(22)), .ipv4)
        #expect(i2 == .truncatedTransport)
        #expect(q.sourcePort == 0)
    }

    @Test func udpLengthLongerThanIPPayload() {
        let (p, issue) = linkDecode(B.ipv4(protocol: 17, B.udp(length: 100, [1, 2])), .ipv4)
        #expect(issue == .badUDPLength)
        #expect(p.transport == .udp)
        #expect(p.sourcePort == 5353)
        #expect(p.payloadLength == 2)
    }

    @Test func udpLengthBelowEight() {
        #expect(linkDecode(B.ipv4(protocol: 17, B.udp(length: 7, [1, 2])), .ipv4).issue == .badUDPLength)
    }

    @Test func udpLengthShorterThanIPPayload() {
        let (p, issue) = linkDecode(B.ipv4(protocol: 17, B.udp(length: 10, [1, 2, 3, 4, 5])), .ipv4)
        #expect(issue == nil)
        #expect(p.anomalies.contains(.udpLengthShort))
        #expect(p.payloadLength == 2)
    }

    @Test func udpUnderASnaplenCutIsFine() {
        let frame = B.ipv4(protocol: 17, totalLength: 600, B.udp(length: 580, [1, 2, 3]))
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == nil)
        #expect(p.payloadLength == 3)
    }

    @Test func icmpEcho() {
        let (p, issue) = linkDecode(B.ipv4(protocol: 1, B.icmp(type: 0, [1, 2, 3])), .ipv4)
        #expect(issue == nil)
        #expect(p.transport == .icmp)
        #expect(p.icmpType == 0)
        #expect(p.payloadOffset == 28)
        #expect(p.payloadLength == 3)
    }

    @Test func icmpDestinationUnreachableCode() {
        let (p, _) = linkDecode(B.ipv4(protocol: 1, B.icmp(type: 3, code: 3)), .ipv4)
        #expect(p.icmpType == 3)
        #expect(p.icmpCode == 3)
        #expect(linkDecode(B.ipv4(protocol: 1, [3, 3, 0]), .ipv4).issue == .truncatedTransport)
    }

    @Test func icmpv6NeighborSolicitation() {
        let (p, issue) = linkDecode(B.ipv6(next: 58, B.icmp(type: 135, Array(repeating: 0, count: 16))), .ipv6)
        #expect(issue == nil)
        #expect(p.transport == .icmpv6)
        #expect(p.icmpType == 135)
        #expect(p.payloadLength == 16)
    }

    @Test func unknownProtocolKeepsThePayload() {
        let (p, issue) = linkDecode(B.ipv4(protocol: 132, [1, 2, 3, 4, 5]), .ipv4)  // SCTP
        #expect(issue == nil)
        #expect(p.transport == .other)
        #expect(p.ipProtocol == 132)
        #expect(p.payloadOffset == 20)
        #expect(p.payloadLength == 5)
    }

    @Test func decodeTransportOnAReassembledDatagram() {
        let frame = B.ipv4(protocol: 17, flagsAndOffset: 0x2000, Array(repeating: 0, count: 8))
        var (packet, _) = linkDecode(frame, .ipv4)
        #expect(packet.isFragment)
        let datagram = B.udp(sourcePort: 161, destinationPort: 40000, Array(repeating: 0x30, count: 2000))
        let issue = PacketDecoder.decodeTransport(datagram.span, ipProtocol: 17, into: &packet)
        #expect(issue == nil)
        #expect(!packet.isFragment)
        #expect(packet.transport == .udp)
        #expect(packet.sourcePort == 161)
        #expect(packet.payloadOffset == 8)
        #expect(packet.payloadLength == 2000)
        #expect(packet.source == linkIP("10.0.0.1"))
    }

    @Test func decodeTransportSkipsIPv6DestinationOptions() {
        var packet = DecodedPacket()
        packet.network = .ipv6
        let datagram = B.extensionHeader(next: 6) + B.tcp([1])
        #expect(PacketDecoder.decodeTransport(datagram.span, ipProtocol: 60, into: &packet) == nil)
        #expect(packet.transport == .tcp)
        #expect(packet.ipProtocol == 6)
        #expect(packet.payloadOffset == 28)
        let nested = B.fragmentHeader(next: 6, offset: 8, more: true, id: 1) + B.tcp()
        #expect(PacketDecoder.decodeTransport(nested.span, ipProtocol: 44, into: &packet) == .nestedFragment)
    }
}
