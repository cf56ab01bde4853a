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
        for link in builder.links.values {
            let fast = EvidenceJSON.link(link)
            #expect(fast == (try encoder.encode(link)), "\(String(decoding: fast, as: UTF8.self))")
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
        // A device known only by its MAC (LLDP-style facts, link-layer protocols spoken).
        var linkFact = InventoryFixtures.fact("0.0.0.0", .interface, hostile, source: "lldp/port\"")
        linkFact.mac = "02:00:0a:0a:01:0b"
        builder.add(linkFact)
        var frame = InventoryFixtures.exchange("192.168.1.10", "192.168.1.191", proto: "stp\\/\"", operation: .other)[0]
        frame.sourceMAC = "02:00:0a:0a:01:0b"
        builder.add(frame)
        #expect(builder.links[0x0200_0a0a_010b]?.speaks.isEmpty == false)
        try Self.expectSameBytes(builder)
        let host = try #require(builder.hosts[InventoryFixtures.ip("192.168.1.191")])
        let back = try JSONDecoder().decode(InventoryBuilder.Host.self, from: EvidenceJSON.host(host))
        #expect(back.facts[.hostname]?.items.first?.value == hostile)
    }
    /// Conversations are written by hand too (`Communication.jsonText`): the same bytes as Foundation.
    @Test(arguments: ["inventory/eip-firmware-change-excerpt.pcap", "inventory/s7-1200-uploading-ob1.pcap"])
    func communicationsAreWrittenAsFoundationWritesThem(capture: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let communications = Self.builder(capture).build().communications
        #expect(!communications.isEmpty)
        for communication in communications {
            let foundation = String(decoding: try encoder.encode(communication), as: UTF8.self)
            #expect(communication.jsonText == foundation)
        }
    }

    @Test func hostileCommunicationIsEscapedAsFoundationEscapesIt() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let hostile = "\"><script>\\/\u{0}\u{1f}\u{7f} é 漢 🙂"
        let communication = Communication(
            client: hostile, server: "mac:02:00:0a:0a:01:0a", proto: "we/ird\"", messages: UInt64.max,
            operations: ["read": 3, "write": 1, "program": 0, "firmware": 7], packets: 0, bytes: 12,
            firstSeen: Timestamp(nanoseconds: Int64.min), lastSeen: Timestamp(nanoseconds: Int64.max))
        let foundation = String(decoding: try encoder.encode(communication), as: UTF8.self)
        #expect(communication.jsonText == foundation)
        let back = try JSONDecoder().decode(Communication.self, from: Data(communication.jsonText.utf8))
        #expect(back == communication)
    }
    /// Assets are written by hand too (`Asset.jsonText`): the same bytes as Foundation.
    @Test(arguments: ["inventory/eip-firmware-change-excerpt.pcap", "inventory/s7-1200-uploading-ob1.pcap"])
    func assetsAreWrittenAsFoundationWritesThem(capture: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let assets = Self.builder(capture).build().assets
        #expect(!assets.isEmpty)
        #expect(assets.contains { $0.level != nil } && assets.contains { !$0.identity.isEmpty })
        for asset in assets {
            let foundation = String(decoding: try encoder.encode(asset), as: UTF8.self)
            #expect(asset.jsonText == foundation)
        }
    }

    @Test func hostileAssetIsWrittenAsFoundationWritesIt() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let hostile = "\"><script>\\/\u{0}\u{1f}\u{7f} é 漢 🙂"
        let observation = Observation(
            value: hostile, source: "dhcp/12\u{7}", confidence: .medium, firstSeen: Timestamp(nanoseconds: -1),
            lastSeen: Timestamp(nanoseconds: Int64.max), count: UInt64.max)
        let address = AssetAddress(
            address: InventoryFixtures.ip("192.168.1.191"), scope: .private, binding: "a\"rp",
            firstSeen: Timestamp(nanoseconds: 1), lastSeen: Timestamp(nanoseconds: 2))
        var asset = Asset(
            id: "mac:02:00:0a:0a:01:0a", macs: ["02:00:0a:0a:01:0a", hostile], macVendor: nil,
            addresses: [address, address], identity: ["hostname": [observation, observation], "Zed": [], "a": []],
            role: .engineeringWorkstation, roleReasons: [hostile, ""], level: nil, levelReasons: [], routed: true,
            external: false, firstSeen: Timestamp(nanoseconds: 0), lastSeen: Timestamp(nanoseconds: 9),
            serves: ["we/ird\"": ProtocolUse(messages: 3, peers: -1, operations: ["read": 1, "Write": 2])],
            uses: [:], notes: ["x"])
        for (level, vendor) in [(PurdueLevel?.none, String?.none), (.dmz, hostile), (.level1, "")] {
            asset.level = level
            asset.macVendor = vendor
            let foundation = String(decoding: try encoder.encode(asset), as: UTF8.self)
            #expect(asset.jsonText == foundation)
        }
        let back = try JSONDecoder().decode(Asset.self, from: Data(asset.jsonText.utf8))
        #expect(back.identity["hostname"]?.first?.value == hostile && back.macVendor == "")
    }
}
