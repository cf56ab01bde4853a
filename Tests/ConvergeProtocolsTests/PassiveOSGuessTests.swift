import ConvergeModel
import Testing
@testable import ConvergeProtocols

/// The signature table on hand-made signatures, and the facts the engine emits.
@Suite struct PassiveOSGuessTests {
    typealias F = PassiveOSFrames

    static func sig(
        ttl: UInt8, window: UInt16, mss: UInt16?, scale: UInt8? = nil, layout: String, synAck: Bool = false,
        timestamps: Bool = false
    ) -> PassiveOSSignature {
        var sig = PassiveOSSignature()
        sig.ttl = ttl
        sig.initialTTL = PassiveOSSignature.initialTTL(for: ttl)
        sig.distance = sig.initialTTL &- ttl
        sig.window = window
        sig.mss = mss
        sig.windowScale = scale
        sig.options = PassiveOS.layout(layout)
        sig.isSynAck = synAck
        sig.timestampPresent = timestamps
        return sig
    }

    @Test func linuxVersionsByWindow() {
        let layout = "M,S,T,N,W"
        #expect(PassiveOS.guess(Self.sig(ttl: 64, window: 64240, mss: 1460, scale: 7, layout: layout))?.label
                == "Linux 4.19+")
        #expect(PassiveOS.guess(Self.sig(ttl: 61, window: 29200, mss: 1460, scale: 7, layout: layout))?.label
                == "Linux 3.11-4.18")
        #expect(PassiveOS.guess(Self.sig(ttl: 64, window: 14600, mss: 1460, scale: 7, layout: layout))?.label
                == "Linux 2.6.39-3.10")
        #expect(PassiveOS.guess(Self.sig(ttl: 64, window: 5840, mss: 1460, scale: 6, layout: layout))?.label
                == "Linux 2.4-2.6")
        let odd = PassiveOS.guess(Self.sig(ttl: 64, window: 12345, mss: 1460, scale: 7, layout: layout))
        #expect(odd?.label == "Linux" && odd?.confidence == .low)
    }

    @Test func windowsVersions() {
        let modern = "M,N,W,N,N,S"
        let win10 = PassiveOS.guess(Self.sig(ttl: 128, window: 64240, mss: 1460, scale: 8, layout: modern))
        #expect(win10?.family == .windows && win10?.label == "Windows 10/11 or Server 2016+")
        #expect(win10?.confidence == .medium)
        #expect(win10?.reason == "ttl=128 win=64240 mss=1460 ws=8 opts=M,N,W,N,N,S")
        #expect(PassiveOS.guess(Self.sig(ttl: 120, window: 8192, mss: 1460, scale: 2, layout: modern))?.label
                == "Windows Vista-8.1 or Server 2008-2012")
        #expect(PassiveOS.guess(Self.sig(ttl: 128, window: 65535, mss: 1460, layout: "M,N,N,S"))?.label
                == "Windows 2000/XP/2003")
        // Without a matching layout, TTL 128 alone still says Windows, at low confidence.
        let bare = PassiveOS.guess(Self.sig(ttl: 125, window: 1000, mss: nil, layout: ""))
        #expect(bare?.family == .windows && bare?.confidence == .low)
        #expect(bare?.reason == "ttl=125/128 win=1000 opts=-")
    }

    @Test func unixLikes() {
        #expect(PassiveOS.guess(Self.sig(ttl: 64, window: 65535, mss: 1460, scale: 6,
                                         layout: "M,N,W,N,N,T,S,E"))?.family == .apple)
        #expect(PassiveOS.guess(Self.sig(ttl: 64, window: 65535, mss: 1460, scale: 6, layout: "M,N,W,S,T"))?.family
                == .freeBSD)
        #expect(PassiveOS.guess(Self.sig(ttl: 64, window: 16384, mss: 1460, scale: 3,
                                         layout: "M,N,N,S,N,W,N,N,T"))?.family == .openBSD)
        #expect(PassiveOS.guess(Self.sig(ttl: 64, window: 32850, mss: 1460, scale: 1,
                                         layout: "N,W,N,N,T,N,N,S,M"))?.family == .solaris)
    }

    @Test func embeddedAndNetworkGear() {
        #expect(PassiveOS.guess(Self.sig(ttl: 250, window: 4128, mss: 536, layout: "M"))?.label == "Cisco IOS")
        let lwip = PassiveOS.guess(Self.sig(ttl: 255, window: 2144, mss: 536, layout: "M"))
        #expect(lwip?.family == .embedded && lwip?.label == "Embedded stack (lwIP-like)")
        let s7 = PassiveOS.guess(Self.sig(ttl: 30, window: 4096, mss: 1460, layout: "M", synAck: true))
        #expect(s7?.family == .embedded && s7?.confidence == .low)
        #expect(PassiveOS.guess(Self.sig(ttl: 253, window: 1, mss: 1, layout: "M,M"))?.family == .networkDevice)
    }

    @Test func neverHighConfidence() {
        for rule in PassiveOS.table { #expect(rule.confidence != .high, "\(rule.label)") }
        #expect(PassiveOSGuess(family: .linux, label: "x", confidence: .high, reason: "").confidence == .medium)
    }

    @Test func factsForASyn() throws {
        let sig = try #require(F.signature(F.linuxSYN()))
        let address = try #require(IPAddress("192.168.10.50"))
        let time = Timestamp(seconds: 1_700_000_000, nanoseconds: 0)
        let facts = PassiveOS.facts(for: sig, address: address, time: time, isServer: false)
        #expect(facts.count == 2)
        #expect(facts[0].kind == .os && facts[0].value == "Linux 4.19+" && facts[0].confidence == .medium)
        #expect(facts[0].source == "tcp/syn" && facts[0].address == address && facts[0].time == time)
        #expect(facts[1].kind == .fingerprint && facts[1].confidence == .low)
        #expect(facts[1].value == "p0f=4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0")
    }

    @Test func factsForASynAck() throws {
        let sig = try #require(F.signature(F.windowsSynAck()))
        let facts = PassiveOS.facts(for: sig, address: .none, time: Timestamp(seconds: 0, nanoseconds: 0),
                                    isServer: true)
        #expect(facts.map(\.source) == ["tcp/syn+ack", "tcp/syn+ack"])
        #expect(facts.first?.value == "Windows Vista-8.1 or Server 2008-2012")
    }
}
