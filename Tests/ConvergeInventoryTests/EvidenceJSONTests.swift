import ConvergeEngine
import ConvergeModel
import Foundation
import Testing

@testable import ConvergeInventory

/// The hand-written evidence writer gives JSONEncoder's bytes, so stores written before and after
/// it read the same and a record never changes form between runs.
@Suite struct EvidenceJSONTests {
    static func builder(_ capture: String) -> InventoryBuilder {
        let builder = InventoryBuilder()
        let analyzer = Analyzer()
        analyzer.eventSink = { builder.add($0) }
        analyzer.flowSink = { builder.add($0) }
        _ = analyzer.run(paths: [InventoryFixtures.directory.appendingPathComponent(capture).path])
        builder.foldPendingFlows()
        return builder
    }

    static func expectSameBytes(_ builder: InventoryBuilder) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(!builder.hosts.isEmpty && !builder.edges.isEmpty)
        for host in builder.hosts.values {
            let fast = EvidenceJSON.host(host)
            let foundation = try encoder.encode(host)
            #expect(fast == foundation, "\(String(decoding: fast, as: UTF8.self))")
        }
        for edge in builder.edges.values {
            #expect(EvidenceJSON.edge(edge) == (try encoder.encode(edge)))
        }
    }

    @Test(arguments: ["inventory/eip-firmware-change-excerpt.pcap", "inventory/s7-1200-uploading-ob1.pcap"])
    func realRecordsAreWrittenAsFoundationWritesThem(capture: String) throws {
        try Self.expectSameBytes(Self.builder(capture))
    }

    /// Names from the wire with quotes, backslashes, slashes, control characters and non-ASCII text.
    @Test func hostileTextIsEscapedAsFoundationEscapesIt() throws {
        let builder = Self.builder("inventory/s7-1200-uploading-ob1.pcap")
        let hostile = "\"><script>alert('x')</script>\\/\u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f} é 漢 🙂"
        builder.add(InventoryFixtures.fact("192.168.1.191", .hostname, hostile, source: "dhcp/12\u{7}"))
        builder.add(InventoryFixtures.fact("192.168.1.191", .moduleName, "a\"b", source: "s7comm/szl"))
        for message in InventoryFixtures.exchange("192.168.1.10", "192.168.1.191", proto: "we/ird\"", operation: .program) {
            builder.add(message)
        }
        try Self.expectSameBytes(builder)
        let host = try #require(builder.hosts[InventoryFixtures.ip("192.168.1.191")])
        let back = try JSONDecoder().decode(InventoryBuilder.Host.self, from: EvidenceJSON.host(host))
        #expect(back.facts[.hostname]?.items.first?.value == hostile)
    }
}
