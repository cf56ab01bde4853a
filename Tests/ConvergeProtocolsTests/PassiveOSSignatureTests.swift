import ConvergeModel
import ConvergeTestSupport
import Testing
@testable import ConvergeProtocols

/// Reading SYN signatures from byte-commented frames: typed values and p0f's text.
@Suite struct PassiveOSSignatureTests {
    typealias F = PassiveOSFrames
    typealias Layout = PassiveOSSignature.OptionLayout

    @Test func linuxSYN() throws {
        let sig = try #require(F.signature(F.linuxSYN()))
        #expect(sig.ipVersion == 4)
        #expect(sig.ttl == 64 && sig.initialTTL == 64 && sig.distance == 0)
        #expect(!sig.isSynAck && sig.dontFragment && !sig.ipIDZero && sig.ipOptionsLength == 0)
        #expect(sig.window == 64240 && sig.mss == 1460 && sig.windowScale == 7)
        #expect(sig.options == Layout([Layout.mss, Layout.sackPermitted, Layout.timestamp, Layout.nop,
                                       Layout.windowScale]))
        #expect(sig.timestampPresent && !sig.timestampZero && sig.sackPermitted)
        #expect(sig.quirks == [.dontFragment, .idNonZeroWithDF])
        #expect(sig.payloadLength == 0)
        #expect(sig.p0fText == "4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0")
    }

    @Test func windowsSynAckAfterTwoHops() throws {
        let sig = try #require(F.signature(F.windowsSynAck()))
        #expect(sig.isSynAck && sig.ttl == 126 && sig.initialTTL == 128 && sig.distance == 2)
        #expect(sig.window == 8192 && sig.windowScale == 8 && sig.sackPermitted && !sig.timestampPresent)
        #expect(sig.p0fText == "4:126+2:0:1460:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0")
    }

    @Test func macSYNOverIPv6() throws {
        let sig = try #require(F.signature(F.macSYNv6()))
        #expect(sig.ipVersion == 6 && sig.eolPadding == 1)
        #expect(sig.quirks == [.ecn, .flowLabel])
        #expect(sig.p0fText == "6:64+0:0:1440:65535,5:mss,nop,ws,nop,nop,ts,sok,eol+1:ecn,flow:0")
    }

    @Test func notASyn() {
        var frame = F.linuxSYN()
        frame[14 + 20 + 13] = 0x10  // ACK only
        #expect(F.signature(frame) == nil)
        frame[14 + 20 + 13] = 0x06  // SYN+RST
        #expect(F.signature(frame) == nil)
        let udp = LinkFrameBuilder.ethernet(type: 0x0800, LinkFrameBuilder.ipv4(protocol: 17, LinkFrameBuilder.udp()))
        #expect(F.signature(udp) == nil)
    }

    @Test func quirksOfOddHeaders() throws {
        // Zero sequence, ACK number without ACK, urgent pointer without URG, PSH, no DF and zero IP ID,
        // the reserved IP flag, and a payload.
        var frame = F.syn(options: [0x02, 0x04, 0x05, 0xB4], ttl: 30)
        let tcp = 14 + 20
        for i in 4..<8 { frame[tcp + i] = 0 }  // sequence 0
        frame[tcp + 11] = 1  // acknowledgment 1
        frame[tcp + 13] = 0x0A  // SYN, PSH
        frame[tcp + 19] = 5  // urgent pointer 5
        frame[14 + 6] = 0x80  // reserved flag
        frame += [0x41, 0x42]
        frame[14 + 3] = UInt8(frame.count - 14)  // IPv4 total length
        let sig = try #require(F.signature(frame))
        #expect(sig.quirks == [.idZeroWithoutDF, .mustBeZeroSet, .sequenceZero, .ackNumberWithoutFlag,
                               .urgentPointerWithoutFlag, .pushFlag])
        #expect(sig.payloadLength == 2 && sig.ipIDZero)
        #expect(sig.p0fText == "4:30+2:0:1460:4096,0:mss:id-,0+,seq-,ack+,uptr+,pushf+:+")
    }

    @Test func timestampQuirksAndExcessiveScale() throws {
        let sig = try #require(F.signature(F.syn(options: [
            0x08, 0x0A, 0, 0, 0, 0, 0, 0, 0, 9,  // timestamps: own 0, peer 9
            0x03, 0x03, 0x0F,  // window scale 15
            0x01, 0x01, 0x01,  // NOPs
        ])))
        #expect(sig.timestampZero && sig.windowScale == 15 && sig.mss == nil)
        #expect(sig.quirks.isSuperset(of: [.ownTimestampZero, .peerTimestampOnSyn, .excessiveWindowScale]))
        #expect(sig.p0fText == "4:64+0:0:0:4096,15:ts,ws,nop,nop,nop:id-,ts1-,ts2+,exws:0")
    }

    /// Option lengths of 0 and 1 would loop a walker that trusts them; past the header they overrun.
    @Test(arguments: [
        [0x02, 0x00, 0x05, 0xB4],  // length 0
        [0x02, 0x01, 0x05, 0xB4],  // length 1
        [0x02, 0x10, 0x05, 0xB4],  // length 16 in a 4-byte option area
        [0x01, 0x01, 0x01, 0x02],  // kind at the last byte, no length
        [0x02, 0x03, 0x05, 0x00],  // MSS with length 3
        [0x08, 0x04, 0x00, 0x00],  // timestamps with length 4
    ] as [[UInt8]])
    func badOptionLengths(options: [UInt8]) throws {
        let sig = try #require(F.signature(F.syn(options: options)))
        #expect(sig.quirks.contains(.badOptions))
        #expect(sig.p0fText.hasSuffix(",bad:0"))
    }

    @Test func fortyNOPsKeepTheFirstSixteen() throws {
        let sig = try #require(F.signature(F.syn(options: Array(repeating: 0x01, count: 40))))
        #expect(Int(sig.options.count) == Layout.capacity)
        #expect(!sig.quirks.contains(.badOptions))
    }

    @Test func dataAfterEndOfOptions() throws {
        let sig = try #require(F.signature(F.syn(options: [0x02, 0x04, 0x05, 0xB4, 0x00, 0x00, 0x00, 0x07])))
        #expect(sig.eolPadding == 3 && sig.quirks.contains(.dataAfterEOL))
        #expect(sig.layoutText == "mss,eol+3")
    }

    /// A data offset beyond the captured bytes: options are read as far as the frame goes.
    @Test func headerCutByCapture() throws {
        let sig = try #require(F.signature(F.syn(options: [0x02, 0x04, 0x05, 0xB4], dataOffset: 15)))
        #expect(sig.mss == 1460 && sig.quirks.contains(.badOptions))
    }

    @Test func unknownOptionKind() throws {
        let sig = try #require(F.signature(F.syn(options: [0x1E, 0x04, 0xAA, 0xBB])))  // kind 30 (MPTCP)
        #expect(sig.layoutText == "?30")
        #expect(PassiveOS.compactLayout(sig) == "?30")
    }

    @Test func initialTTLSteps() {
        #expect(PassiveOSSignature.initialTTL(for: 0) == 32)
        #expect(PassiveOSSignature.initialTTL(for: 33) == 64)
        #expect(PassiveOSSignature.initialTTL(for: 65) == 128)
        #expect(PassiveOSSignature.initialTTL(for: 129) == 255)
        #expect(PassiveOSSignature.initialTTL(for: 255) == 255)
    }
}
