import ConvergeEngine
import ConvergeModel
import Foundation
import Testing

@Suite struct HostFingerprintTests {
    static let client: (UInt32, UInt16) = (0x0A00_0001, 50_000)
    static let server: (UInt32, UInt16) = (0x0A00_0002, 502)

    static func facts(of builder: PcapBuilder) throws -> [AssetFact] {
        let file = TemporaryFile()
        try builder.write(to: file.url)
        let analyzer = Analyzer()
        var facts: [AssetFact] = []
        analyzer.eventSink = { if case .assetFact(let f) = $0, f.source.hasPrefix("tcp/") { facts.append(f) } }
        _ = analyzer.run(paths: [file.path])
        return facts
    }

    @Test func eachHostsSignatureIsReportedOnceWithLowConfidence() throws {
        var p = PcapBuilder()
        p.tcp(from: Self.client, to: Self.server, seq: 100, flags: 0x02)
        p.tcp(from: Self.server, to: Self.client, seq: 900, ack: 101, flags: 0x12)
        // The client reconnects from another port with the same stack: nothing new to say.
        p.tcp(from: (Self.client.0, 50_001), to: Self.server, seq: 5000, flags: 0x02)
        let facts = try Self.facts(of: p)
        #expect(facts.filter { $0.kind == .fingerprint }.count == 2)
        #expect(Set(facts.map(\.source)) == ["tcp/syn", "tcp/syn+ack"])
        #expect(facts.allSatisfy { $0.confidence == .low || $0.confidence == .medium })
        #expect(facts.first { $0.source == "tcp/syn" }?.address.description == "10.0.0.1")
    }

    @Test func plainDataAndResetsSayNothing() throws {
        var p = PcapBuilder()
        p.tcp(from: Self.client, to: Self.server, seq: 100, flags: 0x18, payload: [1, 2, 3])
        p.tcp(from: Self.server, to: Self.client, seq: 900, flags: 0x04)
        #expect(try Self.facts(of: p).isEmpty)
    }
}
