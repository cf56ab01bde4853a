import ConvergeProtocols
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeDetection

/// The rule language's loader: good files load into typed rules; every kind of mistake is
/// rejected with the file and the line it is on.
@Suite struct RuleLoaderTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let good = """
        - id: modbus-write
          title: Modbus write
          severity: high
          attack: {techniques: [T0836, T0831.001], tactics: [TA0106]}
          description: d
          remediation: r
          match:
            proto: [modbus]
            operation: write
            function: [write_single_register, 16, "umas.*"]
            direction: to_server
            status: ok
            anomaly: false
            target: {kind: holding_register, address: [40, 49], name: "ns=2*"}
            value: {above: 10, below: 100, outside: [20, 30], equals: [50, 60], inside: {min: 0}}
            unit: [1, 2]
            client: {network: 10.0.0.0/8, port: 502, role: hmi, level: [2, 3.5], vendor: "Sie*", zone: ot, external: false, known: true}
            server: {role: [plc, rtu]}
            crosses_levels: 2
            it_to_ot: true
            unseen: [pair, writer]
            first_time: function
          threshold: {count: 5, distinct: target, window: 30, per: server}
          group_by: server
        - id: facts
          title: Facts
          severity: info
          on: asset_fact
          match:
            fact: {kind: [user_name], value: admin, source: "ftp/*"}
        - id: flows
          title: Flows
          severity: low
          on: flow
          match:
            flow: {transport: tcp, application: "s7*", unidentified: false, tcp_state: syn_sent, end_reason: rst,
                   min_packets: 3, max_packets_to_client: 0, min_bytes: 10}
            unseen: client
          threshold: {count: 2, distinct: port, window: 5}
        """

    @Test func aGoodFileLoadsEveryCondition() throws {
        let rules = try RuleLoader.load(text: Self.good, file: "good.yaml")
        #expect(rules.map(\.id) == ["modbus-write", "facts", "flows"])
        let r = rules[0]
        #expect(r.severity == .high && r.techniques == ["T0836", "T0831.001"] && r.tactics == ["TA0106"])
        #expect(r.file == "good.yaml" && r.line == 1)
        #expect(r.match.protocols == ["modbus"] && r.match.operations == [.write])
        #expect(r.match.functions == [.name(Glob("write_single_register")), .code(16), .name(Glob("umas.*"))])
        #expect(r.match.direction == .toServer && r.match.status == .ok && r.match.units == [1, 2])
        #expect(r.match.target?.address == 40...49)
        #expect(r.match.value?.above == 10 && r.match.value?.outside == 20...30 && r.match.value?.equals == [50, 60])
        #expect(r.match.client?.levels == [.level2, .dmz] && r.match.client?.roles == [.hmi])
        #expect(r.match.client?.networks.first?.description == "10.0.0.0/8")
        #expect(r.match.server?.roles == [.plc, .rtu])
        #expect(r.match.crossesLevels == 2 && r.match.itToOT == true)
        #expect(r.match.unseen == [.pair, .writer] && r.match.firstTime == .function)
        #expect(r.threshold == Rule.Threshold(count: 5, distinct: .target, windowSeconds: 30, per: .server))
        #expect(r.groupBy == .server)
        #expect(rules[1].subject == .assetFact && rules[1].match.fact?.kinds == [.userName])
        #expect(rules[1].groupBy == .source)
        #expect(rules[2].subject == .flow && rules[2].match.flow?.minPackets == 3)
        #expect(rules[2].threshold?.per == .source && rules[2].groupBy == .pair)
    }

    /// Each bad text, with the line the error must name and a word its reason must contain.
    static let bad: [(text: String, line: Int, reason: String)] = [
        ("- id: a\n  title: t\n  severity: high\n  match:\n    operation: wrte\n", 5, "unknown operation 'wrte'"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    proto: modbuss\n", 5, "unknown protocol 'modbuss'"),
        ("- id: a\n  title: t\n  severity: high\n  match: {}\n  colour: red\n", 5, "unknown key 'colour'"),
        ("- id: a\n  title: t\n  severity: huge\n  match: {}\n", 3, "unknown severity"),
        ("- id: a\n  title: t\n  severity: high\n  attack: {techniques: [T843]}\n  match: {}\n", 4, "technique"),
        ("- id: a\n  title: t\n  severity: high\n  attack: {tactics: [TA0001]}\n  match: {}\n", 4, "tactic"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    unit: one\n", 5, "expected an integer"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    direction: [to_server]\n", 5, "single value"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    direction: up\n", 5, "unknown direction"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    status: fine\n", 5, "unknown status"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    client: {role: boss}\n", 5, "unknown role"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    server: {level: 7}\n", 5, "Purdue level"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    server: {network: 10.0.0.0/33}\n", 5, "address range"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    server: {port: 70000}\n", 5, "out of range"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    value: {outside: [5, 1]}\n", 5, "range low end"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    crosses_levels: 9\n", 5, "crosses_levels"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    unseen: everything\n", 5, "baseline condition"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    first_time: forever\n", 5, "first_time"),
        ("- id: a\n  title: t\n  severity: high\n  on: flow\n  match:\n    function: 5\n", 6, "messages only"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    fact: {kind: user_name}\n", 5, "asset_fact"),
        ("- id: a\n  title: t\n  severity: high\n  on: asset_fact\n  match:\n    fact: {kind: pin}\n", 6, "fact kind"),
        ("- id: a\n  title: t\n  severity: high\n  on: flow\n  match:\n    flow: {transport: sctp}\n", 6, "transport"),
        ("- id: a\n  title: t\n  severity: high\n  on: flows\n  match: {}\n", 4, "event kind"),
        ("- id: a\n  title: t\n  severity: high\n  match: {}\n  threshold: {count: 0, window: 5}\n", 5, "count"),
        ("- id: a\n  title: t\n  severity: high\n  match: {}\n  threshold: {count: 2}\n", 5, "window"),
        (
            "- id: a\n  title: t\n  severity: high\n  match: {}\n  threshold: {count: 2, window: 5, per: x}\n", 5,
            "scope"
        ),
        (
            "- id: a\n  title: t\n  severity: high\n  match: {}\n  threshold: {count: 2, window: 5, distinct: ip}\n", 5,
            "distinct"
        ),
        ("- id: a\n  title: t\n  severity: high\n  match: {}\n  group_by: everyone\n", 5, "scope"),
        ("- id: a\n  title: t\n  severity: high\n", 1, "no 'match'"),
        ("- id: a\n  severity: high\n  match: {}\n", 1, "no 'title'"),
        ("- title: t\n  severity: high\n  match: {}\n", 1, "without 'id'"),
        ("- id: 'a b'\n  title: t\n  severity: high\n  match: {}\n", 1, "rule id"),
        (
            "- id: a\n  title: t\n  severity: high\n  match: {}\n- id: a\n  title: t\n  severity: high\n  match: {}\n",
            5,
            "duplicate"
        ),
        ("id: a\n", 1, "list of rules"),
        ("- id: a\n  title: [t\n", 3, "not valid YAML"),
        ("- id: a\n  title: t\n  severity: high\n  match:\n    proto: modbus\n    proto: dnp3\n", 5, "twice"),
        ("- just a string\n", 1, "must be a mapping"),
    ]

    @Test(arguments: 0..<bad.count) func aBadFileIsRejectedWithItsLine(_ i: Int) {
        let (text, line, reason) = Self.bad[i]
        do {
            _ = try RuleLoader.load(text: text, file: "Rules/bad.yaml")
            Issue.record("accepted: \(text)")
        } catch let error as RuleError {
            #expect(error.file == "Rules/bad.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("Rules/bad.yaml:\(line): "))
        } catch {
            Issue.record("wrong error type \(error)")
        }
    }

    @Test func theExampleMessageReadsAsTheBriefSays() {
        let text = "- id: a\n  title: t\n  severity: high\n  match:\n    proto: modbus\n    operation: wrte\n"
        #expect(throws: RuleError(file: "Rules/modbus.yaml", line: 6, reason: "unknown operation 'wrte'")) {
            try RuleLoader.load(text: text, file: "Rules/modbus.yaml")
        }
    }

    @Test func idsMustBeUniqueAcrossFiles() {
        let rule = "- id: same\n  title: t\n  severity: low\n  match: {}\n"
        #expect(throws: RuleError.self) {
            try RuleLoader.load(files: [("a.yaml", rule), ("b.yaml", rule)])
        }
    }

    @Test func aDirectoryLoadsItsYAMLFilesInOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rules-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "- id: b\n  title: t\n  severity: low\n  match: {}\n".write(
            to: dir.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        try "- id: a\n  title: t\n  severity: low\n  match: {}\n".write(
            to: dir.appendingPathComponent("a.yml"), atomically: true, encoding: .utf8)
        try "not rules".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        #expect(try RuleLoader.load(directory: dir.path).map(\.id) == ["a", "b"])
        try "- id: c\n  title: t\n  severity: low\n  match: {proto: nope}\n".write(
            to: dir.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: RuleError.self) { try RuleLoader.load(directory: dir.path) }
        #expect(throws: RuleError.self) { try RuleLoader.load(directory: dir.path + "/missing") }
    }

    @Test func theBuiltInPackLoadsAndCoversTheIssue() throws {
        let rules = try RuleLoader.builtIn()
        #expect(rules.count >= 40)
        let techniques = Set(rules.flatMap(\.techniques))
        for t in [
            "T0843", "T0845", "T0858", "T0875", "T0816", "T0857", "T0836", "T0855", "T0806", "T0846", "T0888",
            "T0814", "T0830", "T0886", "T0883", "T0884", "T0812", "T0859",
        ] {
            #expect(techniques.contains(t), "no built-in rule for \(t)")
        }
        for rule in rules {
            #expect(!rule.description.isEmpty && !rule.remediation.isEmpty, "\(rule.id) lacks advice")
            #expect(!rule.techniques.isEmpty && !rule.tactics.isEmpty, "\(rule.id) lacks ATT&CK ids")
            #expect(rule.file.hasPrefix("Rules/") && rule.line > 0)
        }
    }

    /// The rules compiled into the binary are exactly the files in Rules/ (rerun
    /// Scripts/embed-rules.py after editing a rule file).
    @Test func theEmbeddedRulesMatchTheRulesFolder() throws {
        let folder = Self.packageRoot.appendingPathComponent("Rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
            .sorted()
        #expect(BuiltInRules.files.map(\.name) == names)
        for (name, text) in BuiltInRules.files {
            let onDisk = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(onDisk == text, "\(name) differs from the embedded copy: run Scripts/embed-rules.py")
        }
    }

    /// Random bytes and mangled rule files must be rejected or loaded, never trap.
    @Test func randomTextNeverTraps() {
        var rng = SeededGenerator(seed: 0x5eed_d1)
        let alphabet = Array("- :{}[],#'\"\nabcdeimnoprstuvwxyz0123456789.*/\\".utf8)
        let base = Array(Self.good.utf8)
        var loaded = 0
        for round in 0..<2000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<200, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 32
                }
            } else {
                bytes = base
                for _ in 0..<Int.random(in: 1..<6, using: &rng) {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[at] = alphabet.randomElement(using: &rng) ?? 32
                }
            }
            if (try? RuleLoader.load(text: String(decoding: bytes, as: UTF8.self))) != nil { loaded += 1 }
        }
        #expect(loaded < 2000)
    }
}

/// The protocol names rules may use cover every name the engine's registry gives a dissector.
@Suite struct KnownProtocolsTests {
    @Test func everyRegisteredProtocolIsKnown() {
        let registered = Registry.names.filter { !$0.isEmpty }
        #expect(registered.count > 40)
        for name in registered { #expect(KnownProtocols.names.contains(name), "\(name) missing from KnownProtocols") }
    }
}
