import ConvergeInventory
import ConvergeModel

/// Runs rules over the event stream and aggregates their matches into alerts.
///
/// Rules are indexed by protocol (message rules) and by event kind, so an event meets only the
/// rules that can match it; conditions are checked cheapest first and nothing is allocated for
/// an event no rule matches. Repeated matches of one rule on one key (source, server or pair, as
/// the rule says) update one alert: its count, last time and evidence frames. All state is
/// bounded by the named limits below; what they turn away is counted in `dropped`.
public final class Detector {
    /// Open threshold windows across all rules.
    public static let maxOpenWindows = 100_000
    /// Alerts kept; matches that would open another are counted and dropped.
    public static let maxAlerts = 10_000
    /// Keys remembered for `first_time` conditions across all rules.
    public static let maxFirstSeenKeys = 200_000
    /// ARP bindings (address → Ethernet address) remembered for `binding_conflict`.
    public static let maxBindings = 65_536
    /// Evidence frames a threshold window keeps before it fires.
    public static let windowEvidence = 16

    /// What the bounds turned away.
    public struct Drops: Sendable, Hashable {
        public var windows = 0
        public var alerts = 0
        public var firstSeen = 0
        public var bindings = 0
    }

    public let rules: [Rule]
    let assets: AssetDirectory
    let baseline: any BaselineView
    let captures: [String]
    let index: RuleIndex

    var alerts: [Alert] = []
    var alertSlots: [StateKey: Int] = [:]
    var windows: [StateKey: Window] = [:]
    var lastSweep: Int64? = nil
    var firstSeen: Set<StateKey> = []
    var bindings: [String: String] = [:]

    public internal(set) var dropped = Drops()
    /// Events observed, and rule matches (after thresholds) counted into alerts.
    public internal(set) var eventCount = 0
    public internal(set) var matchCount = 0

    public init(
        rules: [Rule], assets: AssetDirectory = .init(), baseline: any BaselineView = NoBaseline(),
        captures: [String] = []
    ) {
        self.rules = rules
        self.assets = assets
        self.baseline = baseline
        self.captures = captures
        index = RuleIndex(rules)
    }

    public var alertCount: Int { alerts.count }

    public func observe(_ event: Event) {
        eventCount &+= 1
        switch event {
        case .message(let m): observe(message: m)
        case .assetFact(let f): observe(fact: f)
        case .flow(let r): observe(flow: r)
        case .processValue: break
        }
    }

    /// The alerts so far, in the order they were first raised.
    public func finish() -> [Alert] { alerts }

    // MARK: - Per event kind

    func observe(message m: Message) {
        var conflict = false
        if index.needsBindings && m.proto == "arp" { conflict = recordBindings(m) }
        if let list = index.byProto[m.proto] {
            for i in list { evaluate(rule: i, message: m, bindingConflict: conflict) }
        }
        for i in index.anyProto { evaluate(rule: i, message: m, bindingConflict: conflict) }
    }

    func observe(fact f: AssetFact) {
        for i in index.factRules {
            let rule = rules[i]
            guard factMatches(rule.match, f) else { continue }
            guard endpointsMatch(rule.match, client: f.address, clientPort: nil, server: nil, serverPort: nil)
            else { continue }
            guard firstTime(rule: i, rule.match.firstTime, client: f.address, server: .none, function: 0) else {
                continue
            }
            let subject = Subject(
                time: f.time.nanoseconds, client: f.address, server: .none, serverPort: 0, distinct: f.value.hashValue,
                evidence: nil)
            raise(rule: i, subject: subject) { self.fields(fact: f) }
        }
    }

    func observe(flow r: FlowRecord) {
        for i in index.flowRules {
            let rule = rules[i]
            guard flowMatches(rule.match, r) else { continue }
            let c = r.client.address, s = r.server.address
            guard endpointsMatch(rule.match, client: c, clientPort: r.client.port, server: s, serverPort: r.server.port),
                baselineMatches(rule.match, client: c, server: s, proto: r.application ?? "", function: -1)
            else { continue }
            guard firstTime(rule: i, rule.match.firstTime, client: c, server: s, function: 0) else { continue }
            var subject = Subject(
                time: r.firstSeen.nanoseconds, client: c, server: s, serverPort: r.server.port, distinct: 0,
                evidence: nil)
            subject.distinct = distinctValue(rule.threshold?.distinct, flow: r)
            raise(rule: i, subject: subject) { self.fields(flow: r) }
        }
    }

    private func evaluate(rule i: Int, message m: Message, bindingConflict: Bool) {
        let rule = rules[i]
        let match = rule.match
        if index.operationMasks[i] != 0 && index.operationMasks[i] & RuleIndex.bit(m.operation) == 0 { return }
        if let d = match.bindingConflict, d != bindingConflict { return }
        guard let target = messageMatches(match, m) else { return }
        let c = m.client.address, s = m.server.address
        guard endpointsMatch(match, client: c, clientPort: m.client.port, server: s, serverPort: m.server.port),
            baselineMatches(match, client: c, server: s, proto: m.proto, function: m.functionCode, message: m),
            firstTime(rule: i, match.firstTime, client: c, server: s, function: m.functionCode)
        else { return }
        var evidence: Alert.EvidenceFrame? = nil
        if let frame = m.frame {
            let ci = m.captureIndex ?? -1
            evidence = Alert.EvidenceFrame(capture: ci >= 0 && ci < captures.count ? captures[ci] : "", frame: frame)
        }
        let subject = Subject(
            time: m.time.nanoseconds, client: c, server: s, serverPort: m.server.port,
            distinct: distinctValue(rule.threshold?.distinct, message: m), evidence: evidence)
        raise(rule: i, subject: subject) { self.fields(message: m, target: target) }
    }
}
