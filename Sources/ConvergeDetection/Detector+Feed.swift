import ConvergeModel

/// The message feed's gate (`FeedVerdict`): what the rules need of the messages of one shape on
/// one flow. A flow's candidates are fixed by its shape (`candidates`), so one message answers
/// for all of its shape.
extension Detector {
    /// Plans kept at once (`planSlots` by default). Past it the oldest plan's place is reused: a
    /// message of its shape is then refused by `count(plan:_:)`, built, and planned again.
    public static let defaultPlanSlots = 4096
    /// In `planDistinct`: the rule counts distinct units, read per message.
    static let unitDistinct = Int.min

    /// Skip when no candidate can match (a keyed message's anomalies are those of every message
    /// of its key, so an anomaly condition holds for all of them or none) or every candidate left
    /// is a `first_time` rule already spent on the shape's key; count when the rest have no other
    /// condition on a message's content and count no distinct targets (they then read only its
    /// time, unit and packet: `count(plan:_:)`); else build. Link-layer messages are always built.
    public func feedVerdict(_ m: Message) -> FeedVerdict {
        guard m.flowID != 0 else { return .build }
        var counting: [Int] = []
        for i in candidates(m) where Self.anomalyHolds(compiled[i].match, m) && !firstTimeSpent(rule: i, m) {
            guard hot[i].plainButAnomaly, hot[i].distinct != .target else { return .build }
            counting.append(i)
        }
        if counting.isEmpty { return .skip }
        guard counting.count <= CandidateKey.width else { return .build }
        return .count(plan: addPlan(counting, m))
    }

    /// A skip follows from the message's shape, its endpoints (their ports, asset context and
    /// baseline pair) and `first_time` keys, which are never forgotten: it holds for every flow
    /// between the same endpoints, whatever the client's port unless a rule names client ports.
    public var feedScope: FeedScope {
        .endpoints(clientPort: compiled.contains { !($0.match.client?.ports.isEmpty ?? true) })
    }

    /// A `first_time` rule whose key for this message was seen already: its key depends only on
    /// the endpoints and the function, fixed for the shape, and keys are never forgotten, so it
    /// cannot match another message of the shape on this flow.
    func firstTimeSpent(rule i: Int, _ m: Message) -> Bool {
        guard let key = compiled[i].match.firstTime else { return false }
        let k = firstTimeKey(rule: i, key, client: m.client.address, server: m.server.address, function: m.functionCode)
        return firstSeen.contains(k)
    }

    /// The rule's anomaly condition, alone, on `m`.
    static func anomalyHolds(_ match: RuleMatch, _ m: Message) -> Bool {
        switch match.anomaly {
        case nil: true
        case .present(let wanted): m.anomalies.isEmpty != wanted
        case .names(let globs): m.anomalies.contains { globs.anyMatches($0) }
        }
    }

    /// Stores a plan in the next place (the oldest plan's once all are used); its number is the
    /// place and the place's generation, so a reused place refuses the plans it held before.
    private func addPlan(_ rules: [Int], _ m: Message) -> Int {
        let place = nextPlan
        nextPlan = (nextPlan &+ 1) % max(planSlots, 1)
        let first = place &* CandidateKey.width
        if place == planCounts.count {
            planRules.append(contentsOf: repeatElement(0, count: CandidateKey.width))
            planDistinct.append(contentsOf: repeatElement(0, count: CandidateKey.width))
            planCounts.append(0)
            planLeases.append(PlanLease())
            leaseWindows.append(contentsOf: repeatElement(LeasedWindow(), count: CandidateKey.width))
            planEndpoints.append(PlanEndpoints(client: .none, server: .none, serverPort: 0))
            planTemplates.append(m)
            stateMemos.append(contentsOf: repeatElement(StateMemo(), count: CandidateKey.width))
        } else {
            settle(plan: place)
        }
        for k in 0..<rules.count {
            planRules[first &+ k] = Int32(rules[k])
            let field = hot[rules[k]].distinct
            planDistinct[first &+ k] = field == .unit ? Detector.unitDistinct : distinctValue(field, message: m)
            stateMemos[Self.planMemos &+ first &+ k] = StateMemo()
        }
        planCounts[place] = UInt8(rules.count)
        planLeases[place].generation &+= 1
        planEndpoints[place] = PlanEndpoints(
            client: m.client.address, server: m.server.address, serverPort: m.server.port)
        var template = m
        template.targets = []
        planTemplates[place] = template
        return Int(planLeases[place].generation) << 16 | place
    }

    /// Where the plans' state memos start in `stateMemos`, after the candidate cache's.
    static var planMemos: Int { CandidateKey.slots &* CandidateKey.width }

    /// One message of a counted shape: taken under the plan's lease when it has one that covers
    /// the message (`PlanLease`); else each of the plan's rules matches it as it would the
    /// message's event (`matched`), with the plan's first message standing in for the event's
    /// fields when an alert opens, and the plan is leased again if it can be. False when the
    /// plan's place was reused: the caller then builds the message's event instead.
    public func count(plan number: Int, _ s: FeedSighting) -> Bool {
        let p = number & 0xffff
        guard p < planLeases.count, Int(planLeases[p].generation) == number >> 16 else { return false }
        if planLeases[p].covers(time: s.time.nanoseconds, unit: s.unit, epoch: leaseEpoch, clock: leaseClock) {
            planLeases[p].budget &-= 1
            planLeases[p].pending &+= 1
            if planLeases[p].wantsFrames, s.frame >= 0 { giveFrame(plan: p, s) }
            return true
        }
        if planLeases[p].windows > 0 { settle(plan: p) }
        countEach(plan: p, s)
        return true
    }

    /// `count(plan:_:)` without a lease: every rule of the plan meets the message.
    private func countEach(plan p: Int, _ s: FeedSighting) {
        let first = p &* CandidateKey.width
        let memos = Self.planMemos &+ first
        let ends = planEndpoints[p]
        var subject = Subject(
            time: s.time.nanoseconds, client: ends.client, server: ends.server, serverPort: ends.serverPort,
            distinct: 0, frame: s.frame, capture: s.capture)
        for k in 0..<Int(planCounts[p]) {
            let i = Int(planRules[first &+ k])
            let fixed = planDistinct[first &+ k]
            subject.distinct = fixed == Detector.unitDistinct ? (s.unit ?? -1) : fixed
            if let new = raise(rule: i, subject: subject, memo: memos &+ k) {
                var m = planTemplates[p]
                m.unit = s.unit
                m.time = s.time
                m.frame = s.frame
                m.captureIndex = s.capture
                create(rule: i, subject: subject, new, fields: fields(message: m, target: -1))
            }
        }
        lease(plan: p, subject: subject, unit: s.unit)
    }
}

/// A counting plan's endpoints (`Detector.count(plan:_:)`).
struct PlanEndpoints {
    var client: IPAddress
    var server: IPAddress
    var serverPort: UInt16
}
