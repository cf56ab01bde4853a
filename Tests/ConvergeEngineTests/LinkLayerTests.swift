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

/// The link-layer dissectors as the engine runs them, on the frames tshark calls LLDP, CDP and STP
/// in the shared ITI captures (Tests/Fixtures/{lldp,cdp,stp}): the summary's function counts equal
/// the `function` lines of each fixture's tshark golden file.
@Suite struct LinkLayerCaptureTests {
    static func goldenFunctions(_ proto: String, _ stem: String) throws -> [String: UInt64] {
        let url = Fixtures.directory.appendingPathComponent("\(proto)/\(stem).\(proto).txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var functions: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count == 3, fields[0] == "function" { functions[fields[1]] = UInt64(fields[2]) }
        }
        return functions
    }

    @Test(arguments: ["lldp", "cdp", "stp"])
    func countsEqualTshark(proto: String) throws {
        let capture = Fixtures.directory.appendingPathComponent("\(proto)/iti-\(proto).pcap").path
        let summary = Analyzer().run(paths: [capture])
        let expected = try Self.goldenFunctions(proto, "iti-\(proto)")
        #expect(!expected.isEmpty)
        #expect(summary.protocols[proto]?.functions == expected)
        #expect(summary.health.malformedMessages == 0)
    }

    @Test func lldpEventsNameTheSwitchByItsMAC() throws {
        let capture = Fixtures.directory.appendingPathComponent("lldp/iti-lldp.pcap").path
        let analyzer = Analyzer()
        var facts: [AssetFact] = []
        var messages = 0
        analyzer.eventSink = { event in
            switch event {
            case .message(let m) where m.proto == "lldp":
                messages += 1
                #expect(m.sourceMAC != nil)
            case .assetFact(let f) where f.source.hasPrefix("lldp"): facts.append(f)
            default: break
            }
        }
        _ = analyzer.run(paths: [capture])
        #expect(messages == 114)
        let names = Set(facts.filter { $0.kind == .hostname }.map(\.value))
        #expect(names.isSuperset(of: ["MAR-EA392E", "SCADA-PC-060839", "Switch1", "VJTI-PC3"]))
        #expect(facts.allSatisfy { $0.mac != nil })
    }
}

extension LinkLayerCaptureTests {
    /// A switch repeats the same BPDU every two seconds: each of its facts is reported once.
    @Test func repeatedFramesRepeatNoFact() throws {
        let capture = Fixtures.directory.appendingPathComponent("stp/iti-stp.pcap").path
        let analyzer = Analyzer()
        var roots: [AssetFact] = []
        var bpdus = 0
        analyzer.eventSink = { event in
            switch event {
            case .message(let m) where m.proto == "stp": bpdus += 1
            case .assetFact(let f) where f.kind == .stpRoot: roots.append(f)
            default: break
            }
        }
        _ = analyzer.run(paths: [capture])
        #expect(bpdus == 1191)
        let distinct = Set(roots.map { "\($0.mac ?? "")|\($0.value)" })
        #expect(roots.count == distinct.count)
        #expect(!roots.isEmpty)
    }
}
