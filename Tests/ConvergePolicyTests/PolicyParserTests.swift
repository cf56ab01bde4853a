import ConvergeInventory
import ConvergeModel
import Foundation
import Testing

@testable import ConvergePolicy

@Suite struct PolicyParserTests {
    static let plantPath = PolicyTestSupport.policyFixtures.appendingPathComponent("plant.yaml").path

    @Test func readsZonesConduitsAndExceptions() throws {
        let policy = try Policy.load(path: Self.plantPath, now: PolicyTestSupport.now)
        #expect(policy.name == "test-plant")
        #expect(policy.zones.map(\.name) == ["hmi", "control", "engineering", "historian"])
        let control = try #require(policy.zone(named: "control"))
        #expect(control.level == .level1 && control.securityLevel == 3)
        #expect(control.members.cidrs.map(\.description) == ["10.10.1.0/24", "2001:db8:1::/48"])
        #expect(control.line == 10)
        let engineering = try #require(policy.zone(named: "engineering"))
        #expect(engineering.members.assets == ["mac:00:1b:1b:aa:bb:cc"])
        #expect(engineering.members.roles == [.engineeringWorkstation])
        let both = try Policy.parse(
            yaml: "zones:\n  - name: a\n    roles: [hmi]\n    members:\n      cidrs: [10.0.0.0/8]\n",
            now: PolicyTestSupport.now)
        #expect(both.zones.first?.members.roles == [.hmi] && both.zones.first?.members.cidrs.count == 1)
        #expect(policy.zone(named: "historian")?.members.cidrs.first?.description == "10.10.3.5/32")
        #expect(policy.conduits.count == 3)
        #expect(policy.conduits[0].protocols[0].operations == [.read, .write])
        #expect(policy.conduits[1].name == "engineering->control")
        #expect(policy.conduits[1].protocols[0].operations == nil)
        #expect(policy.conduits[1].protocols[1].ports == [PortSpec(102, .tcp)])
        #expect(policy.exceptions.count == 2)
        let first = policy.exceptions[0]
        #expect(first.from == .block(try #require(CIDR("192.168.10.50"))))
        #expect(first.to == .zone("control") && first.owner == "ops@example.com" && first.expires == "2026-12-31")
        #expect(first.isLive(at: PolicyTestSupport.now))
        #expect(policy.exceptions[1].name == "exception-2")
        #expect(!policy.exceptions[1].isLive(at: PolicyTestSupport.now))
        // The expired exception is reported, at its line.
        let expired = policy.diagnostics.filter { $0.kind == .expired }
        #expect(expired.count == 1 && expired.first?.line == 53)
    }

    /// One broken policy per case: the error names the file, the right line and a reason a
    /// person can act on.
    static let broken: [(yaml: String, line: Int, reason: String)] = [
        ("zones:\n  - name: a\n    cidrs: [10.0.0.0/33]\n", 3, "is not a CIDR"),
        ("zones:\n  - name: a\n    cidrs: [10.0.0.1/24]\n", 3, "is not a CIDR"),
        ("zones:\n  - name: a\n    cidrs: [banana]\n", 3, "is not a CIDR"),
        ("zones:\n  - name: a\n    level: 2\n", 2, "has no members"),
        ("zones:\n  - name: a\n    members: {}\n", 2, "has no members"),
        (
            "zones:\n  - name: a\n    cidrs: [10.0.0.0/8]\n  - name: a\n    cidrs: [10.1.0.0/16]\n", 4,
            "duplicate zone name a"
        ),
        (
            "zones:\n  - name: a\n    cidrs: [10.0.0.0/8]\nconduits:\n  - from: a\n    to: b\n    protocols: "
            + "[modbus]\n",
            5,
            "unknown zone b"
        ),
        ("zones:\n  - name: a\n    level: 7\n    cidrs: [10.0.0.0/8]\n", 3, "level must be one of"),
        ("zones:\n  - name: a\n    security_level: 5\n    cidrs: [10.0.0.0/8]\n", 3, "security_level must be"),
        ("zones:\n  - name: a\n    roles: [toaster]\n", 3, "unknown role"),
        ("zones:\n  - name: a\n    cidr: [10.0.0.0/8]\n", 3, "unknown key \"cidr\""),
        (
            "zones:\n  - name: a\n    cidrs: [10.0.0.0/8]\n  - name: b\n    cidrs: [10.1.0.0/16]\nconduits:\n  "
            + "- from: a\n    to: b\n    protocols:\n      - name: modbus\n        operations: [read, frobnicate]\n",
            11, "unknown operation"
        ),
        (
            "zones:\n  - name: a\n    cidrs: [10.0.0.0/8]\nexceptions:\n  - from: a\n    to: 10.0.0.1\n    "
            + "owner: x\n    expires: 2026-13-01\n",
            8, "expires must be a date"
        ),
        (
            "zones:\n  - name: a\n    cidrs: [10.0.0.0/8]\nexceptions:\n  - from: a\n    to: a\n    expires: "
            + "2026-01-01\n",
            5, "needs `owner:`"
        ),
        ("zones:\n  - name: a\n    cidrs: [10.0.0.0/8\n", 4, "YAML"),
        ("zones: [\n", 2, "YAML"),
        ("zones:\n  - name: a\n    cidrs: [10.0.0.0/8]\n    cidrs: [10.0.0.0/8]\n", 3, "duplicate key"),
        ("- just\n- a list\n", 1, "must be a mapping"),
        ("policy: x\n", 1, "no `zones:`"),
        ("", 1, "empty"),
        ("zones:\n  - name: a\n    cidrs: [10.0.0.0/8]\nconduits:\n  - from: a\n    to: a\n", 5, "needs `protocols:`"),
        ("zones:\n  - name: \"bad\\\"name\"\n    cidrs: [10.0.0.0/8]\n", 2, "printable characters"),
    ]

    @Test(arguments: broken.indices)
    func refusesBrokenPolicyNamingFileAndLine(index: Int) {
        let (yaml, line, reason) = Self.broken[index]
        do {
            _ = try Policy.parse(yaml: yaml, file: "site.yaml", now: PolicyTestSupport.now)
            Issue.record("accepted broken policy #\(index)")
        } catch {
            let text = error.description
            #expect(text.hasPrefix("site.yaml:\(line)"), "case \(index): \(text)")
            #expect(text.contains(reason), "case \(index): \(text)")
            #expect(error.problems.contains { $0.line == line })
        }
    }

    @Test func reportsEveryProblemNotJustTheFirst() {
        let yaml = "zones:\n  - name: a\n    cidrs: [300.0.0.0/8]\n  - name: b\n    roles: [toaster]\n"
        #expect(throws: PolicyError.self) { try Policy.parse(yaml: yaml) }
        do {
            _ = try Policy.parse(yaml: yaml)
        } catch {
            #expect(error.problems.map(\.line) == [3, 5])
        }
    }

    @Test func reportsOverlapsWithTheWinner() throws {
        let yaml = """
            zones:
              - name: site
                cidrs: [10.0.0.0/16]
              - name: cell
                cidrs: [10.0.1.0/24]
              - name: copy
                cidrs: [10.0.1.0/24]
              - name: hmi-a
                roles: [hmi]
              - name: hmi-b
                roles: [hmi]
            """
        let policy = try Policy.parse(yaml: yaml, now: PolicyTestSupport.now)
        let texts = policy.diagnostics.filter { $0.kind == .overlap }.map(\.message)
        #expect(texts.contains { $0.contains("cell's 10.0.1.0/24 lies inside zone site") && $0.contains("cell wins") })
        #expect(texts.contains { $0.contains("zone copy and zone cell") && $0.contains("cell wins (declared first)") })
        #expect(texts.contains { $0.contains("zone hmi-b and zone hmi-a") && $0.contains("role hmi") })
        // `copy` owns nothing: every address it claims goes to `cell`.
        #expect(texts.contains { $0.contains("zone copy can never have a member") })
    }

    @Test func reportsConduitsThatCanNeverMatch() throws {
        let yaml = """
            zones:
              - name: a
                cidrs: [10.0.0.0/24]
              - name: b
                cidrs: [10.0.1.0/24]
              - name: ghost
                cidrs: [10.0.1.0/24]
            conduits:
              - name: wide
                from: a
                to: b
                protocols: [modbus]
              - name: narrow
                from: a
                to: b
                protocols:
                  - name: modbus
                    operations: [read]
              - name: self
                from: a
                to: a
                protocols: [http]
              - name: to-ghost
                from: a
                to: ghost
                protocols: [http]
              - name: nothing
                from: b
                to: a
                protocols:
                  - name: s7comm
                    operations: []
            """
        let policy = try Policy.parse(yaml: yaml, now: PolicyTestSupport.now)
        let unreachable = policy.diagnostics.filter { $0.kind == .unreachable }
        #expect(
            unreachable.contains {
                $0.line == 13 && $0.message.contains("narrow adds nothing") && $0.message.contains("wide")
            })
        #expect(unreachable.contains { $0.line == 19 && $0.message.contains("to itself") })
        #expect(unreachable.contains { $0.line == 23 && $0.message.contains("zone ghost can never have a member") })
        #expect(unreachable.contains { $0.message.contains("s7comm with no operations") })
        #expect(!unreachable.contains { $0.message.contains("conduit wide") })
    }

    /// Billion laughs: aliases that expand exponentially are refused in bounded time.
    @Test func refusesAliasBombs() {
        var yaml =
            "a0: &a0 [10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8]\n"
        for level in 1..<12 {
            let previous = Array(repeating: "*a\(level - 1)", count: 8).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(previous)]\n"
        }
        yaml += "zones:\n  - name: boom\n    cidrs: *a11\n"
        let start = ContinuousClock.now
        #expect(throws: PolicyError.self) { try Policy.parse(yaml: yaml) }
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    static let plantBytes: [UInt8] = {
        guard let data = FileManager.default.contents(atPath: plantPath) else { return [] }
        return [UInt8](data)
    }()

    /// Every truncated prefix of a good policy is a policy or a PolicyError with a line, never a trap.
    @Test(arguments: 0..<plantBytes.count)
    func everyTruncatedPrefixParsesOrFailsCleanly(length: Int) {
        let text = String(decoding: Self.plantBytes[0..<length], as: UTF8.self)
        do {
            let policy = try Policy.parse(yaml: text, now: PolicyTestSupport.now)
            #expect(!policy.zones.isEmpty)
        } catch {
            #expect(!error.problems.isEmpty)
            #expect(error.description.hasPrefix("<policy>:"))
        }
    }

    /// Seeded random damage to a good policy: every result is a policy or a PolicyError, never a trap.
    @Test func randomDamageNeverTraps() throws {
        let good = try String(contentsOfFile: Self.plantPath, encoding: .utf8)
        var bytes = Array(good.utf8)
        var generator = SeededGenerator(seed: 0x5eed_9)
        let alphabet = Array(" :-[]{}&*!|>'\"#\n\t/.0123456789abcxyz".utf8)
        var accepted = 0
        var refused = 0
        for _ in 0..<2_000 {
            var damaged = bytes
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let position = Int.random(in: 0..<damaged.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: damaged[position] = alphabet.randomElement(using: &generator) ?? 0x20
                case 1: damaged.remove(at: position)
                default: damaged.insert(alphabet.randomElement(using: &generator) ?? 0x20, at: position)
                }
            }
            let text = String(decoding: damaged, as: UTF8.self)
            do {
                _ = try Policy.parse(yaml: text, now: PolicyTestSupport.now)
                accepted += 1
            } catch {
                refused += 1
                #expect(!error.problems.isEmpty)
            }
        }
        bytes.removeAll()
        #expect(accepted + refused == 2_000)
        #expect(refused > 0)
    }
}

/// SplitMix64: reproducible random inputs.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
