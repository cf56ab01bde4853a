import ConvergeModel
import ConvergeWire
import ConvergeTestSupport
import Testing
@testable import ConvergeProtocols

/// Hostile input: every truncated prefix of good frames, and seeded random frames on every link
/// type. Nothing may trap, offsets must stay inside the frame, and a cut frame must say so.
@Suite struct LinkRobustnessDecoderTests {
    typealias B = LinkFrameBuilder

    struct Sample: Sendable, CustomStringConvertible {
        var name: String
        var bytes: [UInt8]
        var linkType: LinkType
        var description: String { name }
    }

    /// Good frames whose last byte matters (no padding), one a link type and layer.
    static let samples: [Sample] = [
        Sample(name: "ethernet-tcp", bytes: Array(LinkFixtures.ethernetTCPSyn.dropLast(2)) + [], linkType: .ethernet),
        Sample(name: "arp", bytes: LinkFixtures.arpRequest, linkType: .ethernet),
        Sample(name: "sll-udp", bytes: LinkFixtures.sllUDP, linkType: .linuxSLL),
        Sample(name: "sll2-icmpv6", bytes: LinkFixtures.sll2ICMPv6, linkType: .linuxSLL2),
        Sample(name: "null-ipv6-udp", bytes: LinkFixtures.nullIPv6UDP, linkType: .null),
        Sample(name: "vxlan-tcp", bytes: LinkFixtures.vxlanTCP, linkType: .ethernet),
        Sample(
            name: "qinq-ipv6-ext-tcp",
            bytes: B.ethernet(type: 0x88A8, B.tag(1, next: 0x8100) + B.tag(2, next: 0x86DD)
                + B.ipv6(next: 0, B.extensionHeader(next: 60) + B.extensionHeader(next: 6) + B.tcp([1, 2]))),
            linkType: .ethernet),
        Sample(
            name: "gre-key-ipv4-udp",
            bytes: B.ipv4(protocol: 47, B.gre(protocol: 0x0800, key: 3, sequence: 4, B.ipv4(protocol: 17, B.udp([1])))),
            linkType: .ipv4),
        Sample(
            name: "ipv4-options-icmp",
            bytes: [0, 0, 0, 2] + B.ipv4(protocol: 1, options: [1, 1, 1, 0], B.icmp(type: 8, [1])),
            linkType: .loop),
    ]

    @Test(arguments: samples)
    func everyPrefixDecodesWithoutTrapAndLosesSomething(sample: Sample) {
        let (whole, wholeIssue) = linkDecode(sample.bytes, sample.linkType)
        #expect(wholeIssue == nil)
        #expect(whole.payloadLength > 0 || whole.network == .arp || whole.transport == .tcp)
        for length in 0..<sample.bytes.count {
            let (p, issue) = linkDecode(Array(sample.bytes.prefix(length)), sample.linkType)
            #expect(linkOffsetsAreInside(p, count: length), "\(sample.name) prefix \(length)")
            // A cut frame either reports an issue or decodes less: a shorter payload, or a length
            // field that now exceeds the capture.
            let lostSomething = issue != nil || p.payloadLength < whole.payloadLength
                || p.anomalies.contains(.ipLengthExceedsCapture) || p.network != whole.network
            #expect(lostSomething, "\(sample.name) prefix \(length) decoded like the whole frame")
        }
    }

    /// The deepest fixture (Ethernet, IPv4, UDP, VXLAN, Ethernet, IPv4, TCP), one test case a prefix.
    @Test(arguments: 0..<LinkFixtures.vxlanTCP.count)
    func vxlanPrefix(length: Int) {
        let (p, issue) = linkDecode(Array(LinkFixtures.vxlanTCP.prefix(length)), .ethernet)
        #expect(linkOffsetsAreInside(p, count: length))
        if length < 14 { #expect(issue == .truncatedLink) }
        // Until the inner IP header is whole, the outer packet is what is reported.
        if length >= 34, length < 14 + 20 + 8 + 8 + 14 + 20 { #expect(p.tunnelDepth == 0) }
        if length >= 104 { #expect(p.tunnelDepth == 1 && p.transport == .tcp && issue == nil) }
        #expect(issue != nil || p.payloadLength < 3 || p.anomalies.contains(.ipLengthExceedsCapture))
    }

    static let linkTypes: [LinkType] = [
        .ethernet, .linuxSLL, .linuxSLL2, .raw, .ipv4, .ipv6, .null, .loop, LinkType(rawValue: 147),
    ]

    /// Random bytes rarely get past the first header, so half the frames start from a real frame
    /// of the link type with a few bytes changed.
    @Test(arguments: linkTypes)
    func seededRandomFramesNeverTrap(linkType: LinkType) {
        var rng = SeededGenerator(seed: 0xC0FFEE &+ UInt64(linkType.rawValue))
        let seeds = Self.samples.filter { $0.linkType == linkType }.map(\.bytes)
            + [B.ethernet(type: 0x0800, B.ipv4(protocol: 17, B.udp(destinationPort: 4789, B.vxlan(vni: 1,
                B.ethernet(type: 0x8100, B.tag(5, next: 0x0800) + B.ipv4(protocol: 6, B.tcp([1])))))))]
        var decodedSomething = 0
        for round in 0..<3000 {
            var frame: [UInt8]
            if round % 2 == 0, let seed = seeds.randomElement(using: &rng) {
                frame = seed
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let index = Int.random(in: 0..<frame.count, using: &rng)
                    frame[index] = UInt8.random(in: 0...255, using: &rng)
                }
                if Bool.random(using: &rng) {
                    frame = Array(frame.prefix(Int.random(in: 0...frame.count, using: &rng)))
                }
            } else {
                frame = (0..<Int.random(in: 0..<160, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            let (p, _) = linkDecode(frame, linkType)
            #expect(linkOffsetsAreInside(p, count: frame.count), "\(linkType) round \(round)")
            if p.network != .none { decodedSomething += 1 }
        }
        if linkType.rawValue != 147 { #expect(decodedSomething > 100) }
    }

    /// Random transport datagrams, as a reassembler could hand them over.
    @Test func seededRandomReassembledDatagramsNeverTrap() {
        var rng = SeededGenerator(seed: 42)
        for round in 0..<3000 {
            let count = Int.random(in: 0..<120, using: &rng)
            let datagram = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var packet = DecodedPacket()
            packet.network = Bool.random(using: &rng) ? .ipv4 : .ipv6
            let proto = [6, 17, 1, 58, 47, 4, 41, 0, 43, 44, 51, 60, 59][round % 13]
            _ = PacketDecoder.decodeTransport(datagram.span, ipProtocol: UInt8(proto), into: &packet)
            #expect(linkOffsetsAreInside(packet, count: datagram.count))
        }
    }
}
