import ConvergeModel
import ConvergeWire
import Testing
@testable import ConvergeProtocols

@Suite struct LinkIPDecoderTests {
    typealias B = LinkFrameBuilder

    @Test func ipv4OptionsAreSkipped() {
        let options: [UInt8] = [0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00]  // router alert, NOP×3, EOL
        let frame = B.ipv4(protocol: 17, options: options, B.udp(sourcePort: 1, destinationPort: 2, [7, 7]))
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == nil)
        #expect(p.anomalies.contains(.ipOptions))
        #expect(p.transportOffset == 28)
        #expect(p.payloadOffset == 36)
        #expect(p.payloadLength == 2)
    }

    @Test func ipv4HeaderLengthBelowFive() {
        let frame = B.ipv4(protocol: 6, ihl: 4, B.tcp())
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == .badIPHeaderLength)
        #expect(p.network == .ipv4)  // addresses sit in the first 20 bytes and are kept
        #expect(p.source == linkIP("10.0.0.1"))
    }

    @Test func ipv4HeaderLengthBeyondCapture() {
        let frame = B.ipv4(protocol: 6, ihl: 15, [0, 0, 0, 0])
        #expect(linkDecode(frame, .ipv4).issue == .truncatedIP)
    }

    @Test func ipv4TotalLengthBelowHeader() {
        let frame = B.ipv4(protocol: 6, totalLength: 19, B.tcp())
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == .badIPTotalLength)
        #expect(p.destination == linkIP("10.0.0.2"))
        #expect(p.transport == .other)
    }

    @Test func ipv4TotalLengthBeyondCaptureUsesCapturedBytes() {
        // A snaplen cut: the header promises 1500 bytes, 40 were captured.
        let frame = B.ipv4(protocol: 6, totalLength: 1500, B.tcp())
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == nil)
        #expect(p.anomalies.contains(.ipLengthExceedsCapture))
        #expect(p.transport == .tcp)
        #expect(p.payloadLength == 0)
    }

    @Test func ipv4TotalLengthZeroIsSegmentationOffload() {
        let frame = B.ipv4(protocol: 6, totalLength: 0, B.tcp([1, 2, 3, 4]))
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == nil)
        #expect(p.anomalies.contains(.ipLengthZero))
        #expect(p.payloadLength == 4)
    }

    @Test func ipv4TrailerBytesAreNotPayload() {
        let frame = B.ipv4(protocol: 17, B.udp([1])) + [0xEE, 0xEE, 0xEE, 0xEE]  // e.g. an FCS
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == nil)
        #expect(p.payloadLength == 1)
        #expect(p.anomalies.isEmpty)
    }

    @Test func ipv4FirstFragment() {
        let data = B.udp(sourcePort: 7, destinationPort: 9, length: 1208, Array(repeating: 0xAA, count: 24))
        let frame = B.ipv4(protocol: 17, id: 0xBEEF, flagsAndOffset: 0x2000, data)
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == nil)
        #expect(p.isFragment)
        #expect(p.fragmentID == 0xBEEF)
        #expect(p.fragmentOffset == 0)
        #expect(p.moreFragments)
        #expect(p.ipProtocol == 17)
        #expect(p.transport == .other)  // left for reassembly
        #expect(p.sourcePort == 0)
        #expect(p.payloadOffset == 20)
        #expect(p.payloadLength == 32)
    }

    @Test func ipv4LastFragment() {
        let frame = B.ipv4(protocol: 6, id: 77, flagsAndOffset: 185, Array(repeating: 1, count: 10))
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == nil)
        #expect(p.isFragment)
        #expect(p.fragmentOffset == 1480)
        #expect(!p.moreFragments)
        #expect(p.payloadLength == 10)
    }

    @Test func ipv4AuthenticationHeaderIsSkipped() {
        // AH: next 6, payload length 4 (= (4+2)*4 = 24 bytes), reserved, SPI, sequence, 12-byte ICV.
        let ah: [UInt8] = [6, 4, 0, 0] + [0, 0, 1, 0] + [0, 0, 0, 1] + Array(repeating: 0, count: 12)
        let (p, issue) = linkDecode(B.ipv4(protocol: 51, ah + B.tcp([5])), .ipv4)
        #expect(issue == nil)
        #expect(p.ipProtocol == 6)
        #expect(p.transport == .tcp)
        #expect(p.transportOffset == 44)
        #expect(p.payloadLength == 1)
    }

    @Test func ipv6ExtensionChain() {
        // hop-by-hop → routing → destination options → TCP
        let chain = B.extensionHeader(next: 43) + B.extensionHeader(next: 60, body: Array(repeating: 0, count: 14))
            + B.extensionHeader(next: 6)
        let frame = B.ipv6(next: 0, chain + B.tcp(sourcePort: 80, destinationPort: 40000, [1, 2]))
        #expect(chain.count == 8 + 16 + 8)
        let (p, issue) = linkDecode(frame, .ipv6)
        #expect(issue == nil)
        #expect(p.ipProtocol == 6)
        #expect(p.transport == .tcp)
        #expect(p.transportOffset == 40 + 32)
        #expect(p.sourcePort == 80)
        #expect(p.payloadLength == 2)
        #expect(p.anomalies.isEmpty)
    }

    @Test func ipv6HopByHopLaterInTheChainIsAnAnomaly() {
        let chain = B.extensionHeader(next: 0) + B.extensionHeader(next: 17)
        let (p, issue) = linkDecode(B.ipv6(next: 60, chain + B.udp()), .ipv6)
        #expect(issue == nil)
        #expect(p.anomalies.contains(.misplacedHopByHop))
        #expect(p.transport == .udp)
    }

    @Test func ipv6FragmentHeader() {
        let fragment = B.fragmentHeader(next: 58, offset: 1232, more: true, id: 0xCAFE_F00D)
        let frame = B.ipv6(next: 60, B.extensionHeader(next: 44) + fragment + Array(repeating: 3, count: 16))
        let (p, issue) = linkDecode(frame, .ipv6)
        #expect(issue == nil)
        #expect(p.isFragment)
        #expect(p.fragmentID == 0xCAFE_F00D)
        #expect(p.fragmentOffset == 1232)
        #expect(p.moreFragments)
        #expect(p.ipProtocol == 58)
        #expect(p.transport == .other)
        #expect(p.payloadOffset == 40 + 8 + 8)
        #expect(p.payloadLength == 16)
    }

    @Test func ipv6AtomicFragmentDecodesOn() {
        let frame = B.ipv6(next: 44, B.fragmentHeader(next: 17, offset: 0, more: false, id: 1) + B.udp([9]))
        let (p, issue) = linkDecode(frame, .ipv6)
        #expect(issue == nil)
        #expect(!p.isFragment)
        #expect(p.anomalies.contains(.atomicFragment))
        #expect(p.transport == .udp)
        #expect(p.payloadLength == 1)
    }

    @Test func ipv6NoNextHeader() {
        let (p, issue) = linkDecode(B.ipv6(next: 59, []), .ipv6)
        #expect(issue == nil)
        #expect(p.ipProtocol == 59)
        #expect(p.transport == .other)
        #expect(p.payloadLength == 0)
    }

    @Test func ipv6ChainPastTheCap() {
        var chain: [UInt8] = []
        for _ in 0..<(PacketDecoder.maxExtensionHeaders + 1) { chain += B.extensionHeader(next: 60) }
        let (p, issue) = linkDecode(B.ipv6(next: 60, chain + B.udp()), .ipv6)
        #expect(issue == .tooManyExtensionHeaders)
        #expect(p.network == .ipv6)
        #expect(p.source == linkIP("2001:db8::1"))
    }

    @Test func ipv6ExtensionHeaderCutShort() {
        let header = B.extensionHeader(next: 6, body: Array(repeating: 0, count: 22))  // 24 bytes
        let frame = B.ipv6(next: 60, Array(header.prefix(10)))
        #expect(linkDecode(frame, .ipv6).issue == .truncatedExtensionHeader)
        #expect(linkDecode(B.ipv6(next: 60, [6]), .ipv6).issue == .truncatedExtensionHeader)
        #expect(linkDecode(B.ipv6(next: 44, [6, 0, 0]), .ipv6).issue == .truncatedExtensionHeader)
    }

    @Test func ipv6PayloadLengthRules() {
        let long = linkDecode(B.ipv6(next: 17, payloadLength: 900, B.udp()), .ipv6).packet
        #expect(long.anomalies.contains(.ipLengthExceedsCapture))
        let zero = linkDecode(B.ipv6(next: 17, payloadLength: 0, B.udp([1])), .ipv6).packet
        #expect(zero.anomalies.contains(.ipLengthZero))
        #expect(zero.payloadLength == 1)
        let trailer = linkDecode(B.ipv6(next: 17, B.udp([1])) + [0, 0, 0], .ipv6).packet
        #expect(trailer.payloadLength == 1)
        #expect(trailer.anomalies.isEmpty)
    }

    @Test func ipv6ShortHeader() {
        let frame = B.ipv6(next: 6, [])
        #expect(linkDecode(Array(frame.prefix(39)), .ipv6).issue == .truncatedIP)
        var wrong = frame
        wrong[0] = 0x40
        #expect(linkDecode(B.ethernet(type: 0x86DD, wrong), .ethernet).issue == .badIPVersion)
    }
}

@Suite struct LinkIPv4OptionsTests {
    @Test(arguments: [
        ([0x01, 0x01, 0x01, 0x00] as [UInt8], false),  // NOP NOP NOP EOL
        ([0x94, 0x04, 0x00, 0x00], false),  // router alert
        ([0x07, 0x07, 0x04, 0, 0, 0, 0, 0x00], false),  // record route (1 slot) + EOL
        ([0x82, 0x00, 0x00, 0x00], true),  // length 0
        ([0x01, 0x07, 0x09, 0x00], true),  // record route longer than the options
        ([0x01, 0x01, 0x01, 0x44], true),  // a type with no room for its length
    ])
    func optionWalk(options: [UInt8], bad: Bool) {
        let frame = LinkFrameBuilder.ipv4(protocol: 6, options: options, LinkFrameBuilder.tcp())
        let (p, issue) = linkDecode(frame, .ipv4)
        #expect(issue == nil)
        #expect(p.transport == .tcp)
        #expect(p.anomalies.contains(.badIPOptions) == bad)
    }
}
