import ConvergeInventory
import ConvergeModel

/// The conditions of a rule, checked against one event (cheapest first).
extension Detector {
    /// nil when the message does not match; else the index of the target that matched the target
    /// and value conditions (-1 when the rule has none).
    func messageMatches(_ cr: CompiledRule, _ m: Message) -> Int? {
        guard shapeMatches(cr, m) else { return nil }
        return contentMatches(cr, m)
    }

    /// The conditions on what kind of message it is (operation, direction, status, function):
    /// the same for every message with the same `CandidateKey`.
    func shapeMatches(_ cr: CompiledRule, _ m: Message) -> Bool {
        if cr.operationMask != 0 && cr.operationMask & RuleIndex.bit(m.operation) == 0 { return false }
        if let d = cr.match.direction, d != m.direction { return false }
        if let s = cr.match.status {
            switch (s, m.status) {
            case (.ok, .ok), (.exception, .exception), (.pending, .pending): break
            default: return false
            }
        }
        if !cr.match.functions.isEmpty && !Self.functionMatches(cr.match.functions, m) { return false }
        return true
    }

    /// The conditions on what the message carries (unit, anomalies, targets, values): nil when
    /// it does not match, else the index of the matching target (-1 when the rule names none).
    func contentMatches(_ cr: CompiledRule, _ m: Message) -> Int? {
        if !cr.match.units.isEmpty {
            guard let unit = m.unit, cr.match.units.contains(unit) else { return nil }
        }
        switch cr.match.anomaly {
        case nil: break
        case .present(let wanted): if m.anomalies.isEmpty == wanted { return nil }
        case .names(let globs):
            var any = false
            for a in m.anomalies where globs.anyMatches(a) {
                any = true
                break
            }
            if !any { return nil }
        }
        guard cr.match.target != nil || cr.match.value != nil else { return -1 }
        for (i, target) in m.targets.enumerated() {
            if let t = cr.match.target, !targetMatches(t, target) { continue }
            if let v = cr.match.value, !valueMatches(v, target) { continue }
            return i
        }
        return nil
    }

    static func functionMatches(_ selectors: [RuleMatch.FunctionSelector], _ m: Message) -> Bool {
        for selector in selectors {
            switch selector {
            case .code(let code): if code == m.functionCode { return true }
            case .name(let glob): if glob.matches(m.functionName) { return true }
            }
        }
        return false
    }

    private func targetMatches(_ t: RuleMatch.TargetCondition, _ target: Message.Target) -> Bool {
        if !t.kinds.isEmpty && !t.kinds.anyMatches(target.kind) { return false }
        if let range = t.address {
            // The target covers `count` items from `address`: it matches when they overlap the range.
            let last = target.address &+ max(0, target.count &- 1)
            if last < range.lowerBound || target.address > range.upperBound { return false }
        }
        if !t.names.isEmpty {
            guard let name = target.name, t.names.anyMatches(name) else { return false }
        }
        return true
    }

    private func valueMatches(_ v: RuleMatch.ValueCondition, _ target: Message.Target) -> Bool {
        for value in target.values where valueMatches(v, Double(value)) { return true }
        if let text = target.value, let value = Double(text) { return valueMatches(v, value) }
        return false
    }

    func valueMatches(_ v: RuleMatch.ValueCondition, _ x: Double) -> Bool {
        if !v.equals.isEmpty && !v.equals.contains(x) { return false }
        if let a = v.above, !(x > a) { return false }
        if let b = v.below, !(x < b) { return false }
        if let r = v.outside, r.contains(x) { return false }
        if let r = v.inside, !r.contains(x) { return false }
        return true
    }

    // MARK: - Endpoints and asset context

    func endpointsMatch(
        _ cr: CompiledRule, client: IPAddress, clientPort: UInt16?, server: IPAddress?, serverPort: UInt16?
    ) -> Bool {
        if cr.match.client == nil && cr.match.server == nil && cr.match.crossesLevels == nil && cr.match.itToOT == nil {
            return true
        }
        let clientContext = assets[client]
        let serverContext = server.flatMap { assets[$0] }
        if let e = cr.match.client, !endpointMatches(e, client, clientPort, clientContext) { return false }
        if let e = cr.match.server {
            guard let server, endpointMatches(e, server, serverPort, serverContext) else { return false }
        }
        if let n = cr.match.crossesLevels {
            guard let a = clientContext?.level, let b = serverContext?.level,
                abs(Self.ordinal(a) - Self.ordinal(b)) >= n
            else { return false }
        }
        if let wanted = cr.match.itToOT {
            let isIT = clientContext.map(Self.isIT) ?? false
            let isOT = serverContext.map(Self.isOT) ?? false
            if (isIT && isOT) != wanted { return false }
        }
        return true
    }

    private func endpointMatches(
        _ e: RuleMatch.EndpointCondition, _ address: IPAddress, _ port: UInt16?, _ context: AssetContext?
    ) -> Bool {
        if !e.networks.isEmpty && !e.networks.contains(where: { $0.contains(address) }) { return false }
        if !e.ports.isEmpty {
            guard let port, e.ports.contains(Int(port)) else { return false }
        }
        if let known = e.known, (context != nil) != known { return false }
        // The inventory knows better than the address: labs and old plants use public ranges locally.
        if let external = e.external, (context.map(\.external) ?? address.isInternet) != external { return false }
        if !e.roles.isEmpty {
            guard let role = context?.role, e.roles.contains(role) else { return false }
        }
        if !e.levels.isEmpty {
            guard let level = context?.level, e.levels.contains(level) else { return false }
        }
        if !e.vendors.isEmpty {
            guard let vendor = context?.vendor, e.vendors.anyMatches(vendor) else { return false }
        }
        if !e.zones.isEmpty {
            guard let zone = context?.zone, e.zones.anyMatches(zone) else { return false }
        }
        return true
    }

    /// Purdue levels as steps: 0, 1, 2, 3, 3.5, 4, 5 are 0…6.
    static func ordinal(_ level: PurdueLevel) -> Int {
        PurdueLevel.allCases.firstIndex(of: level) ?? 0
    }

    /// IT side: level 4 or 5, or, when the level is unknown, an IT role.
    static func isIT(_ c: AssetContext) -> Bool {
        if let level = c.level { return level >= .level4 }
        return c.role == .itServer || c.role == .itWorkstation
    }

    /// OT side: levels 0–3, or, when the level is unknown, a control-system role.
    static func isOT(_ c: AssetContext) -> Bool {
        if let level = c.level { return level.isOT }
        switch c.role {
        case .plc, .rtu, .ied, .safetyController, .hmi, .engineeringWorkstation, .scadaServer, .fieldDevice: return true
        default: return false
        }
    }

    // MARK: - Baseline and first time

    func baselineMatches(
        _ cr: CompiledRule, client: IPAddress, server: IPAddress, proto: String, function: Int
    ) -> Bool {
        guard !cr.match.unseen.isEmpty else { return true }
        guard baseline.learned else { return false }
        for condition in cr.match.unseen {
            let unseen: Bool
            switch condition {
            case .pair: unseen = !baseline.knowsPair(client: client, server: server, proto: proto)
            case .function:
                unseen = !baseline.knowsFunction(client: client, server: server, proto: proto, function: function)
            case .writer: unseen = !baseline.knowsWriter(client: client, server: server, proto: proto)
            case .client: unseen = !baseline.knowsAsset(client)
            case .server: unseen = !baseline.knowsAsset(server)
            }
            if !unseen { return false }
        }
        return true
    }

    /// True the first time the rule sees this key in the run (and records it); true always for
    /// a rule without `first_time`. Past `maxFirstSeenKeys` new keys are neither kept nor raised.
    func firstTime(rule: Int, _ key: RuleMatch.FirstTimeKey?, client: IPAddress, server: IPAddress, function: Int)
        -> Bool
    {
        guard let key else { return true }
        let k = firstTimeKey(rule: rule, key, client: client, server: server, function: function)
        if firstSeen.contains(k) { return false }
        guard firstSeen.count < Self.maxFirstSeenKeys else {
            dropped.firstSeen &+= 1
            return false
        }
        firstSeen.insert(k)
        return true
    }

    func firstTimeKey(rule: Int, _ key: RuleMatch.FirstTimeKey, client: IPAddress, server: IPAddress, function: Int)
        -> StateKey
    {
        switch key {
        case .pair: StateKey(rule: rule, a: client, b: server, extra: 0)
        case .function: StateKey(rule: rule, a: client, b: server, extra: function)
        case .client: StateKey(rule: rule, a: client, b: .none, extra: 0)
        case .server: StateKey(rule: rule, a: server, b: .none, extra: 0)
        }
    }

    // MARK: - Facts, flows, ARP

    func factMatches(_ cr: CompiledRule, _ f: AssetFact) -> Bool {
        guard let c = cr.match.fact else { return true }
        if !c.kinds.isEmpty && !c.kinds.contains(f.kind) { return false }
        if !c.values.isEmpty && !c.values.anyMatches(f.value) { return false }
        if !c.sources.isEmpty && !c.sources.anyMatches(f.source) { return false }
        return true
    }

    func flowMatches(_ cr: CompiledRule, _ r: FlowRecord) -> Bool {
        cr.flow?.matches(r) ?? true
    }

    /// Remembers each ARP binding (address → Ethernet address) and tells whether one of this
    /// message's bindings names an address another Ethernet address claimed before.
    func recordBindings(_ m: Message) -> Bool {
        var conflict = false
        for target in m.targets where target.kind == "binding" {
            guard let ip = target.name, let mac = target.value, ip != "0.0.0.0" else { continue }
            if let known = bindings[ip] {
                if known != mac {
                    conflict = true
                    bindings[ip] = mac
                }
            } else if bindings.count < Self.maxBindings {
                bindings[ip] = mac
            } else {
                dropped.bindings &+= 1
            }
        }
        return conflict
    }

    // MARK: - Distinct values for thresholds

    func distinctValue(_ field: Rule.DistinctField?, message m: Message) -> Int {
        guard let field else { return 0 }
        var h = Hasher()
        switch field {
        case .unit: return m.unit ?? -1
        case .function: return m.functionCode
        case .server: h.combine(m.server.address)
        case .client: h.combine(m.client.address)
        case .port: return Int(m.server.port)
        case .target:
            for t in m.targets {
                h.combine(t.kind)
                h.combine(t.address)
                h.combine(t.name)
            }
        }
        return h.finalize()
    }

    func distinctValue(_ field: Rule.DistinctField?, flow r: FlowRecord) -> Int {
        guard let field else { return 0 }
        var h = Hasher()
        switch field {
        case .server: h.combine(r.server.address)
        case .client: h.combine(r.client.address)
        case .port: return Int(r.server.port)
        default: return 0
        }
        return h.finalize()
    }
}
