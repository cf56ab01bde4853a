import ConvergeEngine
import ConvergeModel
import Testing

@testable import ConvergeDetection

/// `converge analyze --database` builds no event for the message shapes no rule can act on
/// (`Detector.feedVerdict`, `Analyzer.messageVerdict`). The alerts must be those raised from
/// every message, on every detection capture.
@Suite struct GatedFeedTests {
    @Test(arguments: CandidateCacheTests.captures, [Detector.defaultPlanSlots, 1, 2])
    func alertsEqualThoseFromEveryMessage(_ path: String, planSlots: Int) throws {
        let (events, assets) = DetectionFixtures.events(path)
        let rules = try RuleLoader.builtIn()
        let reference = Detector(rules: rules, assets: assets, captures: [path])
        for case .message(let m) in events where m.flowID != 0 { reference.observe(m) }

        let fed = Detector(rules: rules, assets: assets, captures: [path])
        fed.planSlots = planSlots  // few places: plans are refused and their messages built again
        let analyzer = Analyzer()
        analyzer.inventorySink = { _ in }
        analyzer.messageSink = { fed.observe($0) }
        analyzer.messageTargets = { fed.targetNeed(proto: $0) }
        analyzer.messageGate = MessageGate(
            verdict: { fed.feedVerdict($0) }, count: { fed.count(plan: $0, $1) }, skipScope: fed.feedScope)
        _ = analyzer.run(paths: [path])

        #expect(fed.finish() == reference.finish(), "\(path)")
        #expect(fed.matchCount == reference.matchCount)
    }

    @Test func theBuiltInRulesSkipPollAnswersButNotRequests() throws {
        let detector = Detector(rules: try RuleLoader.builtIn())
        let plc = Endpoint(address: IPAddress("10.0.0.2")!, port: 502)
        let hmi = Endpoint(address: IPAddress("10.0.0.1")!, port: 40000)
        var read = Message(
            time: .zero, flowID: 1, client: hmi, server: plc, proto: "modbus", direction: .toServer, functionCode: 3,
            functionName: "read_holding_registers", operation: .read, status: .pending)
        // Unit-id and function scans and floods count every request: the first plan.
        #expect(detector.feedVerdict(read) == .count(plan: 1 << 16 | 0))
        var write = read
        write.operation = .write
        write.functionCode = 16
        write.functionName = "write_multiple_registers"
        #expect(detector.feedVerdict(write) == .build)  // the first write of a pair is an alert
        detector.observe(write)  // … and once raised, the pair's later writes only count
        #expect(detector.feedVerdict(write) == .count(plan: 1 << 16 | 1))
        read.direction = .toClient
        read.status = .ok
        // Only the malformed-message rules look at answers, and they need an anomaly.
        #expect(detector.feedVerdict(read) == .skip)
        read.anomalies = ["modbus.invalid_length"]
        // The malformed-message rule matches each such answer: counted into its alert.
        #expect(detector.feedVerdict(read) == .count(plan: 1 << 16 | 2))
        read.anomalies = ["modbus.response_mismatch"]
        #expect(detector.feedVerdict(read) == .skip)  // no rule names it
        read.anomalies = []
        read.status = .exception(code: 2, name: "illegal_data_address")
        #expect(detector.feedVerdict(read) == .count(plan: 1 << 16 | 3))  // exception bursts count them
        read.flowID = 0
        read.status = .ok
        #expect(detector.feedVerdict(read) == .build)  // link-layer messages are always built
    }

    /// More shapes than plan places: the oldest places are reused, their old plans refused (their
    /// messages then built), and the alerts stay those of every message.
    @Test func reusedPlanPlacesRefuseTheirOldPlans() throws {
        let detector = Detector(rules: try RuleLoader.builtIn())
        let plc = Endpoint(address: IPAddress("10.0.0.2")!, port: 502)
        var plans: [Int] = []
        for flow in 1...(Detector.defaultPlanSlots + 1) {
            let m = Message(
                time: .zero, flowID: UInt64(flow), client: Endpoint(address: IPAddress("10.0.0.1")!, port: 40000),
                server: plc, proto: "modbus", direction: .toServer, functionCode: 3,
                functionName: "read_holding_registers", operation: .read, status: .pending)
            guard case .count(let plan) = detector.feedVerdict(m) else { Issue.record("no plan"); return }
            plans.append(plan)
        }
        let sighting = FeedSighting(time: .zero, unit: 1, frame: 1, capture: 0)
        #expect(!detector.count(plan: plans[0], sighting))
        #expect(detector.count(plan: plans[1], sighting) && detector.count(plan: plans.last!, sighting))
        #expect(!detector.count(plan: 12345 << 16 | 3, sighting))
    }

    @Test func aRuleCountingDistinctTargetsNeedsThem() throws {
        let detector = Detector(
            rules: try DetectionFixtures.rule(
                "    proto: s7comm\n", extra: "  threshold: {count: 3, distinct: target, window: 60, per: pair}\n"))
        let m = Message(
            time: .zero, flowID: 1, client: Endpoint(address: IPAddress("10.0.0.1")!, port: 40000),
            server: Endpoint(address: IPAddress("10.0.0.2")!, port: 102), proto: "s7comm", direction: .toServer,
            functionCode: 4, functionName: "read_var", operation: .read)
        #expect(detector.feedVerdict(m) == .build)
    }

    @Test func aRuleWithoutConditionsOnContentNeedsEveryAnswer() throws {
        let anomalyOnly = Detector(rules: try DetectionFixtures.rule("    proto: s7comm\n    anomaly: true\n"))
        let answersWithout = Detector(rules: try DetectionFixtures.rule("    proto: s7comm\n    anomaly: false\n"))
        let m = Message(
            time: .zero, flowID: 1, client: Endpoint(address: IPAddress("10.0.0.1")!, port: 40000),
            server: Endpoint(address: IPAddress("10.0.0.2")!, port: 102), proto: "s7comm", direction: .toClient,
            functionCode: 4, functionName: "read_var", operation: .read)
        #expect(anomalyOnly.feedVerdict(m) == .skip)
        // Every such answer matches: each is counted into the alert.
        #expect(answersWithout.feedVerdict(m) == .count(plan: 1 << 16 | 0))
        var odd = m
        odd.anomalies = ["s7comm.unknown_function"]  // a key's anomalies are all its messages'
        #expect(anomalyOnly.feedVerdict(odd) == .count(plan: 1 << 16 | 0))
        #expect(answersWithout.feedVerdict(odd) == .skip)
    }

    @Test func theBaselineReadsEveryMessageOnceItHasOne() {
        let m = Message(
            time: .zero, flowID: 1, client: Endpoint(address: IPAddress("10.0.0.1")!, port: 40000),
            server: Endpoint(address: IPAddress("10.0.0.2")!, port: 502), proto: "modbus", direction: .toClient,
            functionCode: 3, functionName: "read_holding_registers", operation: .read)
        #expect(BaselineDetector(baseline: Baseline(), mode: .detect).feedVerdict(m) == .skip)
        #expect(BaselineDetector(baseline: Baseline(), mode: .learn).feedVerdict(m) == .build)
        let learner = BaselineDetector(baseline: Baseline(), mode: .learn)
        var request = m
        request.direction = .toServer
        learner.observe(request)
        #expect(BaselineDetector(baseline: learner.baseline, mode: .detect).feedVerdict(m) == .build)
    }
}
