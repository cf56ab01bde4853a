import ConvergeEngine
import ConvergeModel
import Testing

@testable import ConvergeDetection

/// `converge analyze --database` hands detection each message without its targets when no rule
/// reads that protocol's targets (`Detector.needsTargets`). The alerts must be those raised from
/// the full events, on every detection capture.
@Suite struct TargetlessFeedTests {
    @Test func builtInRulesReadTargetsOfFewProtocols() throws {
        let detector = Detector(rules: try RuleLoader.builtIn())
        #expect(detector.needsTargets(proto: "s7comm"))  // SZL enumeration counts distinct lists
        for proto in ["modbus", "dnp3", "cip", "enip", "tls", "http", "dns"] {
            #expect(!detector.needsTargets(proto: proto), "\(proto)")
        }
    }

    @Test func aRuleWithATargetConditionNeedsTargets() throws {
        let byProtocol = Detector(rules: try DetectionFixtures.rule("    proto: modbus\n    target: {kind: coil}\n"))
        #expect(byProtocol.needsTargets(proto: "modbus") && !byProtocol.needsTargets(proto: "dnp3"))
        let anyProtocol = Detector(rules: try DetectionFixtures.rule("    value: {above: 100}\n"))
        #expect(anyProtocol.needsTargets(proto: "dnp3"))
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
        analyzer.messageTargets = { fed.needsTargets(proto: $0) }
        _ = analyzer.run(paths: [path])

        #expect(fed.finish() == reference.finish(), "\(path)")
        #expect(fed.matchCount == reference.matchCount)
    }
}
