import ConvergeModel

/// The message feed's gate (`FeedVerdict`): what the rules need of the messages of one shape on
/// one flow. A flow's candidates are fixed by its shape (`candidates`), so one message answers
/// for all of its shape.
extension Detector {
    /// Plans at most; past it a counted shape is built instead.
    public static let maxPlans = 16_384

    /// Skip when every candidate needs an anomaly (a keyed message has none); count when the
    /// rest have no condition on a message's content and count no distinct targets (they then
    /// read only its time, unit and packet: `count(plan:_:)`); else build. Link-layer messages and
    /// messages with anomalies are always built.
    public func feedVerdict(_ m: Message) -> FeedVerdict {
        guard m.flowID != 0, m.anomalies.isEmpty else { return .build }
        var counting: [Int] = []
        for i in candidates(m) where !Self.needsAnomaly(compiled[i].match) {
            guard hot[i].plain, hot[i].distinct != .target else { return .build }
            counting.append(i)
        }
        if counting.isEmpty { return .skip }
        guard counting.count <= CandidateKey.width, planCounts.count < Self.maxPlans else { return .build }
        return .count(plan: addPlan(counting, m))
    }

    static func needsAnomaly(_ match: RuleMatch) -> Bool {
        switch match.anomaly {
        case .present(true), .names: true
        case .present(false), nil: false
        }
    }

    private func addPlan(_ rules: [Int], _ m: Message) -> Int {
        let plan = planCounts.count
        for place in 0..<CandidateKey.width {
            let rule = place < rules.count ? rules[place] : 0
            planRules.append(Int32(rule))
            let field = hot[rule].distinct
            planDistinct.append(field == .unit ? FeedPlan.unitDistinct : distinctValue(field, message: m))
        }
        planCounts.append(UInt8(rules.count))
        planEndpoints.append(FeedPlan(client: m.client.address, server: m.server.address, serverPort: m.server.port))
        var template = m
        template.targets = []
        planTemplates.append(template)
        stateMemos.append(contentsOf: repeatElement(StateMemo(), count: CandidateKey.width))
        return plan
    }

    /// One message of a counted shape: each of the plan's rules matches it as it would the
    /// message's event (`matched`), with the plan's first message standing in for the event's
    /// fields when an alert opens.
    public func count(plan p: Int, _ s: FeedSighting) {
        guard p >= 0, p < planCounts.count else { return }
        let first = p &* CandidateKey.width
        let memos = CandidateKey.slots &* CandidateKey.width &+ first
        let ends = planEndpoints[p]
        for k in 0..<Int(planCounts[p]) {
            let i = Int(planRules[first &+ k])
            let fixed = planDistinct[first &+ k]
            let subject = Subject(
                time: s.time.nanoseconds, client: ends.client, server: ends.server, serverPort: ends.serverPort,
                distinct: fixed == FeedPlan.unitDistinct ? (s.unit ?? -1) : fixed, frame: s.frame, capture: s.capture)
            if let new = raise(rule: i, subject: subject, memo: memos &+ k) {
                var m = planTemplates[p]
                m.unit = s.unit
                m.time = s.time
                m.frame = s.frame
                m.captureIndex = s.capture
                create(rule: i, subject: subject, new, fields: fields(message: m, target: -1))
            }
        }
    }
}

/// A counting plan's endpoints (`Detector.count(plan:_:)`).
struct FeedPlan {
    /// In `Detector.planDistinct`: the rule counts distinct units, read per message.
    static let unitDistinct = Int.min
    var client: IPAddress
    var server: IPAddress
    var serverPort: UInt16
}
