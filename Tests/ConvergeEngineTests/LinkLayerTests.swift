import ConvergeEngine
import ConvergeModel
import Foundation
import Testing

@Suite struct LinkLayerTests {
    static func arpFrame(op: UInt8, source: UInt8, senderIP: [UInt8], targetIP: [UInt8]) -> [UInt8] {
        let sourceMAC: [UInt8] = [0x00, 0x1B, 0x1B, 0, 0, source]
        let destination: [UInt8] = op == 1 ? [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] : [0x00, 0x1B, 0x1B, 0, 0, 2]
        return destination + sourceMAC + [0x08, 0x06] + [0, 1, 8, 0, 6, 4, 0, op] + sourceMAC + senderIP
            + [0, 0, 0, 0, 0, 0] + targetIP
    }

    /// The gateway 10.0.0.1 answers from MAC …01; later an attacker (…66) claims the same address.
    static func spoofedCapture() -> PcapBuilder {
        var p = PcapBuilder()
        p.frame(arpFrame(op: 1, source: 2, senderIP: [10, 0, 0, 2], targetIP: [10, 0, 0, 1]))
        p.frame(arpFrame(op: 2, source: 1, senderIP: [10, 0, 0, 1], targetIP: [10, 0, 0, 2]))
        p.frame(arpFrame(op: 2, source: 0x66, senderIP: [10, 0, 0, 1], targetIP: [10, 0, 0, 2]))
        return p
    }

    @Test func arpIsCountedByOperation() throws {
        let file = TemporaryFile()
        try Self.spoofedCapture().write(to: file.url)
        let summary = Analyzer().run(paths: [file.path])
        #expect(summary.protocols["arp"]?.messages == 3)
        #expect(summary.protocols["arp"]?.functions == ["1": 1, "2": 2])
        #expect(summary.flows.tcp + summary.flows.udp + summary.flows.other == 0)
    }

    @Test func aMovedBindingIsAnAnomalyAndANewFact() throws {
        let file = TemporaryFile()
        try Self.spoofedCapture().write(to: file.url)
        let analyzer = Analyzer()
        var messages: [Message] = []
        var facts: [AssetFact] = []
        analyzer.eventSink = { event in
            switch event {
            case .message(let m): messages.append(m)
            case .assetFact(let f): facts.append(f)
            default: break
            }
        }
        _ = analyzer.run(paths: [file.path])
        #expect(messages.map(\.functionName) == ["request", "reply", "reply"])
        #expect(messages.last?.anomalies == ["arp_binding_changed"])
        #expect(messages.last?.sourceMAC == "00:1b:1b:00:00:66")
        #expect(facts.map(\.value) == ["00:1b:1b:00:00:02", "00:1b:1b:00:00:01", "00:1b:1b:00:00:66"])
        #expect(facts.map { $0.address.description } == ["10.0.0.2", "10.0.0.1", "10.0.0.1"])
    }

    @Test func withoutDissectorsARPIsNotCounted() throws {
        let file = TemporaryFile()
        try Self.spoofedCapture().write(to: file.url)
        var options = AnalysisOptions()
        options.dissect = false
        #expect(Analyzer(options: options).run(paths: [file.path]).protocols["arp"] == nil)
    }
}
