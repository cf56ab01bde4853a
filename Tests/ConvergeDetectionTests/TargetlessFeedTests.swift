import ConvergeEngine
import ConvergeModel
import Testing

@testable import ConvergeDetection

/// `converge analyze --database` hands detection each message without its targets when no rule
/// reads that protocol's targets (`Detector.needsTargets`). The alerts must be those raised from
/// the full events, on every detection capture.
@Suite struct TargetlessFeedTests {
    @Test func builtInRulesReadTargetsOfFewMessages() throws {
        let detector = Detector(rules: try RuleLoader.builtIn())
        // SZL enumeration counts the distinct lists read: targets of SZL reads only.
        #expect(detector.targetNeed(proto: "s7comm") == .functions(["read_szl"]))
        for proto in ["modbus", "dnp3", "cip", "enip", "tls", "http", "dns"] {
            #expect(detector.targetNeed(proto: proto) == TargetNeed.none, "\(proto)")
        }
    }

    @Test func aRuleWithATargetConditionNeedsTargets() throws {
        let byProtocol = Detector(rules: try DetectionFixtures.rule("    proto: modbus\n    target: {kind: coil}\n"))
        #expect(byProtocol.targetNeed(proto: "modbus") == .all && byProtocol.targetNeed(proto: "dnp3") == TargetNeed.none)
        let anyProtocol = Detector(rules: try DetectionFixtures.rule("    value: {above: 100}\n"))
        #expect(anyProtocol.targetNeed(proto: "dnp3") == .all)
        let named = Detector(rules: try DetectionFixtures.rule("    function: [Write_Var, read_*]\n    value: {above: 1}\n"))
        #expect(named.targetNeed(proto: "s7comm") == .all)  // a wildcard names no single function
        let literal = Detector(rules: try DetectionFixtures.rule("    function: [Write_Var]\n    value: {above: 1}\n"))
        #expect(literal.targetNeed(proto: "s7comm") == .functions(["write_var"]))
        #expect(TargetNeed.functions(["write_var"]).wants(function: "WRITE_VAR"))
        #expect(!TargetNeed.functions(["write_var"]).wants(function: "read_var"))
        #expect(TargetNeed.functions(["a"]).union(.functions(["b"])) == .functions(["a", "b"]))
        #expect(TargetNeed.none.union(.all) == .all && TargetNeed.none.union(.none) == TargetNeed.none)
    }

    @Test(arguments: CandidateCacheTests.captures)
    func alertsEqualThoseFromFullEvents(_ path: String) throws {
        let (events, assets) = DetectionFixtures.events(path)
        let rules = try RuleLoader.builtIn()
        let reference = Detector(rules: rules, assets: assets, captures: [path])
        for case .message(let m) in events where m.flowID != 0 { reference.observe(m) }

        let fed = Detector(rules: rules, assets: assets, captures: [path])
        let analyzer = Analyzer()
        analyzer.inventorySink = { _ in }
        analyzer.messageSink = { fed.observe($0) }
        analyzer.messageTargets = { fed.targetNeed(proto: $0) }
        _ = analyzer.run(paths: [path])

        #expect(fed.finish() == reference.finish(), "\(path)")
        #expect(fed.matchCount == reference.matchCount)
    }
}
