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
    /// The same rules behind one reference each, so checking a rule per event reads its fields in
    /// place instead of copying the struct (and retaining every string and array in it).
    let compiled: [CompiledRule]
    /// `compiled` without reference counts, for `withRule`.
    private let compiledRefs: [Unmanaged<CompiledRule>]
    /// What every matching message reads of each rule, packed together (`HotRule`): a rule's
    /// own fields lie across a kilobyte of conditions, several cache lines per rule per message.
    let hot: [HotRule]
    let assets: AssetDirectory
    let baseline: any BaselineView
    let captures: [String]
    let index: RuleIndex

    var alerts: [Alert] = []
    var alertSlots: [StateKey: Int] = [:]
    /// Open threshold windows: each keeps its place in `windowStore` while it is open (found by
    /// key through `windowPlaces`); closed windows' places are reused.
    var windowPlaces: [StateKey: Int] = [:]
    var windowStore: [Window] = []
    var freeWindowPlaces: [Int] = []
    /// Threshold windows open now.
    public var openWindows: Int { windowPlaces.count }
    var lastSweep: Int64? = nil
    var firstSeen: Set<StateKey> = []
    var bindings: [String: String] = [:]
    /// `candidateSlot(_:)`'s memory, direct-mapped by `CandidateKey.slot`: each slot's key, its
    /// rules (`CandidateKey.width` places a slot in `candidateRules`, `candidateCounts` of them
    /// used, `CandidateKey.overflow` when they do not fit) and, per rule, where its window and
    /// alert were last found (`StateMemo`).
    var candidateKeys = [CandidateKey](repeating: .empty, count: CandidateKey.slots)
    var candidateCounts = [UInt8](repeating: 0, count: CandidateKey.slots)
    var candidateRules = [Int32](repeating: 0, count: CandidateKey.slots &* CandidateKey.width)
    var stateMemos = [StateMemo](repeating: StateMemo(), count: CandidateKey.slots &* CandidateKey.width)
    /// The message feed's counting plans (`feedVerdict`, `count(plan:_:)`), `CandidateKey.width`
    /// places each: a plan's rules, each rule's fixed distinct value (or `unitDistinct`),
    /// its endpoints and its first message (for an alert's fields). Each plan's state memos follow
    /// the candidate cache's in `stateMemos`.
    var planRules: [Int32] = []
    var planDistinct: [Int] = []
    var planCounts: [UInt8] = []
    /// Per plan place: its generation and lease (`PlanLease`), and the count windows the lease
    /// reserved matches in (`CandidateKey.width` places a plan).
    var planLeases: [PlanLease] = []
    var leaseWindows: [LeasedWindow] = []
    /// Leases given under another epoch are void: a window they hold fired, or went back in time.
    var leaseEpoch: UInt32 = 1
    /// The latest time a leased window was reopened or closed at: a lease ending before it is void.
    var leaseClock = Int64.min
    var windowSerials: UInt32 = 0
    var leasesSettled = 0
    var nextPlan = 0
    var planSlots = Detector.defaultPlanSlots
    var planEndpoints: [PlanEndpoints] = []
    var planTemplates: [Message] = []

    public internal(set) var dropped = Drops()
    /// Events observed, and rule matches (after thresholds) counted into alerts.
    public internal(set) var eventCount = 0
    public internal(set) var matchCount = 0

    public init(
        rules: [Rule], assets: AssetDirectory = .init(), baseline: any BaselineView = NoBaseline(),
        captures: [String] = []
    ) {
        self.rules = rules
        compiled = rules.map(CompiledRule.init)
        compiledRefs = compiled.map(Unmanaged.passUnretained)
        hot = rules.map(HotRule.init)
        self.assets = assets
        self.baseline = baseline
        self.captures = captures
        index = RuleIndex(rules)
    }

    public var alertCount: Int { alerts.count }

    /// Which of this protocol's messages a rule reads the targets of; the rest may arrive without.
    public func targetNeed(proto: String) -> TargetNeed {
        index.anyProtocolTargets.union(index.targetNeeds[proto] ?? .none)
    }

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

    public func observe(_ message: Message) { observe(message: message) }

    func observe(message m: Message) {
        var conflict = false
        if index.needsBindings && m.proto == "arp" { conflict = recordBindings(m) }
        guard m.flowID != 0 else {
            // Link-layer messages belong to no flow: their endpoints vary message by message.
            for i in index.byProto[m.proto] ?? [] { evaluate(rule: i, message: m, bindingConflict: conflict) }
            for i in index.anyProto { evaluate(rule: i, message: m, bindingConflict: conflict) }
            return
        }
        let slot = candidateSlot(m)
        let count = Int(candidateCounts[slot])
        guard count != Int(CandidateKey.overflow) else {
            for i in candidates(m) { evaluateContent(rule: i, message: m, bindingConflict: conflict, memo: -1) }
            return
        }
        let first = slot &* CandidateKey.width
        for place in first..<(first &+ count) {
            evaluateContent(rule: Int(candidateRules[place]), message: m, bindingConflict: conflict, memo: place)
        }
    }

    /// The slot of `candidateKeys` holding the rules that can match messages like `m` on its
    /// flow: the checks that depend only on the flow (endpoints, asset context, baseline) and on
    /// the kind of message (operation, direction, status, function) are made once per
    /// `CandidateKey` and remembered; a poll repeats a handful of keys, so most messages meet
    /// only the few rules left.
    private func candidateSlot(_ m: Message) -> Int {
        let shape = CandidateKey.shape(m)
        let slot = CandidateKey.slot(m, shape: shape)
        // Compared field by field in place: copying the key out would retain its strings.
        if candidateKeys[slot].flow == m.flowID, candidateKeys[slot].shape == shape,
            candidateKeys[slot].functionCode == m.functionCode, candidateKeys[slot].functionName == m.functionName,
            candidateKeys[slot].proto == m.proto
        {
            return slot
        }
        candidateKeys[slot] = CandidateKey(
            flow: m.flowID, shape: shape, functionCode: m.functionCode, functionName: m.functionName, proto: m.proto)
        // The rules go straight into the slot's places (no array per new key).
        let first = slot &* CandidateKey.width
        var count = 0
        forEachCandidate(m) { rule in
            if count < CandidateKey.width {
                candidateRules[first &+ count] = Int32(rule)
                stateMemos[first &+ count] = StateMemo()
            }
            count &+= 1
        }
        candidateCounts[slot] = count > CandidateKey.width ? CandidateKey.overflow : UInt8(count)
        return slot
    }

    /// Each rule whose flow and shape conditions `m` meets, in index order.
    @inline(__always)
    private func forEachCandidate(_ m: Message, _ body: (Int) -> Void) {
        if let list = index.byProto[m.proto] {
            for i in list where flowAndShapeMatch(rule: i, message: m) { body(i) }
        }
        for i in index.anyProto where flowAndShapeMatch(rule: i, message: m) { body(i) }
    }

    /// The rules whose flow and shape conditions `m` meets.
    func candidates(_ m: Message) -> [Int] {
        var rules: [Int] = []
        forEachCandidate(m) { rules.append($0) }
        return rules
    }

    /// Rule `i` lent to `body` without a reference count: `compiled` keeps every rule alive, and a
    /// copy out of the array would retain and release it per rule, per event.
    @inline(__always)
    func withRule<R>(_ i: Int, _ body: (CompiledRule) -> R) -> R {
        compiledRefs[i]._withUnsafeGuaranteedRef(body)
    }

    private func flowAndShapeMatch(rule i: Int, message m: Message) -> Bool {
        let client = m.client.address
        let server = m.server.address
        return withRule(i) { c in
            shapeMatches(c, m)
                && endpointsMatch(
                    c, client: client, clientPort: m.client.port, server: server, serverPort: m.server.port)
                && baselineMatches(c, client: client, server: server, proto: m.proto, function: m.functionCode)
        }
    }

    /// `evaluate` for a candidate: only the conditions on the message's content and state.
    private func evaluateContent(rule i: Int, message m: Message, bindingConflict: Bool, memo: Int) {
        // Most candidates (thresholds on a poll) have no condition left on the content.
        if hot[i].plain { return matched(rule: i, message: m, target: -1, memo: memo) }
        let c = compiled[i]
        if let d = c.match.bindingConflict, d != bindingConflict { return }
        guard let target = contentMatches(c, m) else { return }
        let client = m.client.address
        let server = m.server.address
        guard firstTime(rule: i, c.match.firstTime, client: client, server: server, function: m.functionCode)
        else { return }
        matched(rule: i, message: m, target: target, memo: memo)
    }

    func observe(fact f: AssetFact) {
        for i in index.factRules {
            let c = compiled[i]
            guard factMatches(c, f) else { continue }
            guard endpointsMatch(c, client: f.address, clientPort: nil, server: nil, serverPort: nil)
            else { continue }
            guard firstTime(rule: i, c.match.firstTime, client: f.address, server: .none, function: 0) else {
                continue
            }
            let subject = Subject(
                time: f.time.nanoseconds, client: f.address, server: .none, serverPort: 0, distinct: f.value.hashValue,
                frame: -1, capture: -1)
            if let new = raise(rule: i, subject: subject) {
                create(rule: i, subject: subject, new, fields: fields(fact: f))
            }
        }
    }

    func observe(flow r: FlowRecord) {
        let client = r.client.address
        let server = r.server.address
        for i in index.flowRules {
            let passes = withRule(i) { c in
                flowMatches(c, r)
                    && endpointsMatch(
                        c, client: client, clientPort: r.client.port, server: server, serverPort: r.server.port)
                    && baselineMatches(c, client: client, server: server, proto: r.application ?? "", function: -1)
                    && firstTime(rule: i, c.match.firstTime, client: client, server: server, function: 0)
            }
            guard passes else { continue }
            let subject = Subject(
                time: r.firstSeen.nanoseconds, client: client, server: server, serverPort: r.server.port,
                distinct: distinctValue(hot[i].distinct, flow: r), frame: -1, capture: -1)
            if let new = raise(rule: i, subject: subject) {
                create(rule: i, subject: subject, new, fields: fields(flow: r))
            }
        }
    }

    private func evaluate(rule i: Int, message m: Message, bindingConflict: Bool) {
        // Fields are read through the class reference, never bound to locals: binding the rule or
        // its match would copy the struct and retain every array in it, per rule, per event.
        let c = compiled[i]
        if let d = c.match.bindingConflict, d != bindingConflict { return }
        guard let target = messageMatches(c, m) else { return }
        let client = m.client.address
        let server = m.server.address
        guard endpointsMatch(c, client: client, clientPort: m.client.port, server: server, serverPort: m.server.port),
            baselineMatches(c, client: client, server: server, proto: m.proto, function: m.functionCode),
            firstTime(rule: i, c.match.firstTime, client: client, server: server, function: m.functionCode)
        else { return }
        matched(rule: i, message: m, target: target)
    }

    private func matched(rule i: Int, message m: Message, target: Int, memo: Int = -1) {
        let client = m.client.address
        let server = m.server.address
        let subject = Subject(
            time: m.time.nanoseconds, client: client, server: server, serverPort: m.server.port,
            distinct: distinctValue(hot[i].distinct, message: m), frame: m.frame ?? -1,
            capture: m.captureIndex ?? -1)
        if let new = raise(rule: i, subject: subject, memo: memo) {
            create(rule: i, subject: subject, new, fields: fields(message: m, target: target))
        }
    }
}

/// A rule held by reference for the per-event checks.
final class CompiledRule {
    let rule: Rule
    let match: RuleMatch
    let operationMask: UInt16
    /// `match.flow`, compiled for flow records.
    let flow: FlowCheck?

    /// Where this rule's last threshold window and alert were found (for matches outside the
    /// candidate cache: facts, flows, link-layer messages).
    var memo = Detector.StateMemo()

    init(_ rule: Rule) {
        self.rule = rule
        match = rule.match
        var mask: UInt16 = 0
        for op in rule.match.operations { mask |= RuleIndex.bit(op) }
        operationMask = mask
        flow = rule.match.flow.map(FlowCheck.init)
    }
}

/// The few facts of a rule that every matching message reads.
struct HotRule {
    /// No condition on a message's content or state (units, anomalies, targets, values, ARP
    /// binding conflicts, first time): a candidate message matches as it is.
    let plain: Bool
    /// No condition on a message's content or state but maybe one on its anomalies (which the
    /// feed's gate settles once per shape: `Detector.feedVerdict`).
    let plainButAnomaly: Bool
    let threshold: Rule.Threshold?
    let groupBy: Rule.Scope
    var distinct: Rule.DistinctField? { threshold?.distinct }

    init(_ rule: Rule) {
        let m = rule.match
        plainButAnomaly = m.units.isEmpty && m.target == nil && m.value == nil && m.bindingConflict == nil
            && m.firstTime == nil
        plain = plainButAnomaly && m.anomaly == nil
        threshold = rule.threshold
        groupBy = rule.groupBy
    }
}

/// What makes two messages meet the same rules up to their content: the flow (endpoints, hence
/// asset context and baseline pair) and the kind of message (`shape`: direction, status kind and
/// operation; the function's code and name; the protocol).
struct CandidateKey {
    static let slots = 4096
    /// Rules a slot holds in place; a key with more candidates is marked `overflow` and its
    /// rules are worked out per message.
    static let width = 8
    static let overflow: UInt8 = .max
    static let empty = CandidateKey(flow: 0, shape: 0, functionCode: 0, functionName: "", proto: "")
    var flow: UInt64
    var shape: UInt64
    var functionCode: Int
    var functionName: String
    var proto: String

    static func shape(_ m: Message) -> UInt64 {
        UInt64(m.status.kindIndex) | (m.direction == .toServer ? 4 : 0) | UInt64(m.operation.index) << 3
    }

    static func slot(_ m: Message, shape: UInt64) -> Int {
        var h = m.flowID &* 0x9E37_79B9_7F4A_7C15
        h ^= (UInt64(truncatingIfNeeded: m.functionCode) ^ shape << 32) &* 0xC2B2_AE3D_27D4_EB4F
        return Int(truncatingIfNeeded: (h >> 40) % UInt64(slots))
    }
}
