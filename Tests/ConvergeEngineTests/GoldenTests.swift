import ConvergeEngine
import ConvergeProtocols
import Foundation
import Testing

/// Converge's counts against tshark's on real captures (golden files made by Scripts/regen-golden.sh).
/// A golden may declare where Converge deliberately differs (`converge_differs`: field → the value
/// Converge gives and why); the test then holds Converge to that value, so a change either way shows.
@Suite("Golden counts against tshark")
struct GoldenTests {
    struct Golden: Decodable {
        var packets: UInt64
        var tcpConversations: UInt64
        var udpConversations: UInt64
        var modbusFunctions: [String: UInt64]
        /// Wireshark's function-field counts per protocol (Scripts/tshark_golden.py PROTOCOL_FIELDS).
        var protocols: [String: [String: UInt64]]?
        var truncated: Bool?
        var convergeDiffers: [String: Difference]?

        enum CodingKeys: String, CodingKey {
            case packets, truncated, protocols
            case tcpConversations = "tcp_conversations"
            case udpConversations = "udp_conversations"
            case modbusFunctions = "modbus_functions"
            case convergeDiffers = "converge_differs"
        }
    }

    struct Difference: Decodable {
        var converge: AnyCount
        var why: String
    }

    /// A declared value: a count, or a function-code map for `modbus_functions`.
    enum AnyCount: Decodable, Equatable {
        case count(UInt64)
        case functions([String: UInt64])
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(UInt64.self) { self = .count(n) } else { self = .functions(try c.decode([String: UInt64].self)) }
        }
    }

    static let goldenRoot = Fixtures.directory.appendingPathComponent("golden")

    /// Every protocol Converge dissects besides Modbus (which has its own golden field): as
    /// dissectors are registered, their counts are held to tshark's here without further edits.
    /// Link-layer protocols (frames outside flows, counted by the engine's link layer) are listed here.
    static let comparedProtocols: [String] = (Registry.entries
        .flatMap { [$0.name] + ($0.subFunctionsName.map { [$0] } ?? []) } + linkProtocols)
        .filter { $0 != "modbus" && !notInSharedGoldens.contains($0) }

    /// Protocols outside `Registry.entries` whose tshark counts the golden files carry.
    static let linkProtocols: [String] = [ARP.name, LLDP.name, CDP.name, STP.name, PROFINET.name, GOOSE.name, SV.name]

    /// Protocols whose tshark fields the shared golden files do not carry (yet): their counts are
    /// held to tshark's by their own capture goldens in ConvergeProtocolsTests only.
    static let notInSharedGoldens: Set<String> = []

    /// tshark's counts for one of Converge's protocol names. BACnet's confirmed and unconfirmed
    /// service numbers overlap; Converge keys unconfirmed services `unconfirmed.N`.
    static func tsharkFunctions(_ name: String, _ golden: [String: [String: UInt64]]) -> [String: UInt64] {
        guard name == "bacnet" else { return golden[name] ?? [:] }
        var merged = golden["bacnet.confirmed"] ?? [:]
        for (code, n) in golden["bacnet.unconfirmed"] ?? [:] {
            merged["unconfirmed.\(code)", default: 0] += n
        }
        return merged
    }

    /// Every golden file, as a path relative to the golden folder (e.g. `public/iti/x.pcap.json`).
    static let goldens: [String] = {
        guard let walker = FileManager.default.enumerator(atPath: goldenRoot.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func capturePath(forGolden golden: String) -> String {
        let capture = String(golden.dropLast(".json".count))
        if capture.hasPrefix("sample/") { return Fixtures.path(capture) }
        return Fixtures.sharedCaptures.appendingPathComponent(capture).path
    }

    @Test func goldensExist() {
        #expect(Self.goldens.count > 400, "expected a golden per corpus capture, found \(Self.goldens.count)")
    }

    @Test(arguments: goldens)
    func countsMatchTshark(_ golden: String) throws {
        let capture = Self.capturePath(forGolden: golden)
        guard FileManager.default.fileExists(atPath: capture) else {
            #expect(!golden.hasPrefix("sample/"), "bundled capture missing: \(capture)")
            print("skipped \(golden): \(capture) is not here (../shared missing?)")
            return
        }
        let data = try Data(contentsOf: Self.goldenRoot.appendingPathComponent(golden))
        let expected = try JSONDecoder().decode(Golden.self, from: data)
        let summary = Analyzer().run(paths: [capture])
        let modbus = summary.protocols["modbus"]?.functions ?? [:]

        func check(_ field: String, _ actual: AnyCount, _ tshark: AnyCount) {
            if let declared = expected.convergeDiffers?[field] {
                #expect(actual == declared.converge, "\(golden) \(field): declared \(declared.converge) (\(declared.why))")
            } else {
                #expect(actual == tshark, "\(golden) \(field)")
            }
        }
        check("packets", .count(summary.packets), .count(expected.packets))
        check("tcp_conversations", .count(summary.flows.tcp), .count(expected.tcpConversations))
        check("udp_conversations", .count(summary.flows.udp), .count(expected.udpConversations))
        check("modbus_functions", .functions(modbus), .functions(expected.modbusFunctions))
        for name in Self.comparedProtocols {
            let actual = summary.protocols[name]?.functions ?? [:]
            check("protocols.\(name)", .functions(actual), .functions(Self.tsharkFunctions(name, expected.protocols ?? [:])))
        }
        if expected.truncated == true {
            #expect(summary.errors.contains { $0.kind == .file }, "\(golden): cut short, expected a file error")
        }
    }
}
