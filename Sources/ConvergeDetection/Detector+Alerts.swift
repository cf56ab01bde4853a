import ConvergeModel

/// Thresholds and aggregation: from a rule match to an alert.
extension Detector {
    /// A state key: a rule and up to two addresses (and a function code for `first_time`).
    struct StateKey: Hashable {
        var rule: Int
        var a: IPAddress
        var b: IPAddress
        var extra: Int

        /// One word into the hasher instead of six: the fields folded by multiply-xor (equality
        /// still compares every field). Looked up several times per message by thresholds.
        func hash(into hasher: inout Hasher) {
            hasher.combine(Baseline.fold(a, b, rule) ^ UInt64(truncatingIfNeeded: extra) &* 0x1656_67B1_9E37_79F9)
        }
    }

    /// What a match is about, as thresholds and alerts need it.
    struct Subject {
        var time: Int64
        var client: IPAddress
        var server: IPAddress
        var serverPort: UInt16
        var distinct: Int
        /// The evidence frame and the index of its capture, -1 when none: the frame's
        /// `Alert.EvidenceFrame` (which holds the capture's name) is made only where it is kept.
        var frame: Int
        var capture: Int
    }

    func evidence(_ s: Subject) -> Alert.EvidenceFrame? { evidence(frame: s.frame, capture: s.capture) }

    func evidence(frame: Int, capture: Int) -> Alert.EvidenceFrame? {
        guard frame >= 0 else { return nil }
        return Alert.EvidenceFrame(
            capture: capture >= 0 && capture < captures.count ? captures[capture] : "", frame: frame)
    }

    /// A threshold window: opens at a match, counts matches (or distinct values) for the rule's
    /// window, fires once when the count is reached.
    struct Window {
        /// The key the window counts for; a closed window's place has none (rule -1).
        var key: StateKey
        var start: Int64
        var count: Int
        var fired: Bool
        /// The distinct value counted last: a poller repeats its unit or function, which then
        /// needs no set lookup.
        var lastDistinct: Int? = nil
        /// `evidence.count` and `distinct.count`, kept beside the window so the counts are known
        /// without reading the buffers.
        var evidenceKept = 0
        var distinctSeen = 0
        /// Leases on this window (`PlanLease`): how many hold it, the matches they may still take
        /// without counting them here (count rules only), and which opening of the place this is
        /// (a lease settles only into the window it was given).
        var leases = 0
        var reserved = 0
        var serial: UInt32 = 0
        var distinct: Set<Int>
        var evidence: [Alert.EvidenceFrame]

        init(key: StateKey, start: Int64) {
            self.key = key
            self.start = start
            count = 0
            fired = false
            distinct = []
            evidence = []
        }

        static let closedKey = StateKey(rule: -1, a: .none, b: .none, extra: 0)

        enum Outcome {
            case counted, alreadyFired
            case fired(seen: Int, evidence: [Alert.EvidenceFrame])
        }

        /// Counts one match: reopens the window when the match falls outside it, fires when the
        /// count (or the number of distinct values) reaches the threshold.
        mutating func add(
            _ s: Subject, span: Int64, threshold: Rule.Threshold, evidence frame: () -> Alert.EvidenceFrame?
        ) -> Outcome {
            if s.time &- start > span || s.time < start {
                start = s.time
                count = 0
                distinct.removeAll(keepingCapacity: true)
                distinctSeen = 0
                lastDistinct = nil
                fired = false
                evidence.removeAll(keepingCapacity: true)
                evidenceKept = 0
            }
            if fired { return .alreadyFired }
            count &+= 1
            if evidenceKept < Detector.windowEvidence, let e = frame() {
                evidence.append(e)
                evidenceKept &+= 1
            }
            let seen: Int
            if threshold.distinct != nil {
                if lastDistinct != s.distinct {
                    if distinct.insert(s.distinct).inserted { distinctSeen &+= 1 }
                    lastDistinct = s.distinct
                }
                seen = distinctSeen
            } else {
                seen = count
            }
            guard seen >= threshold.count else { return .counted }
            fired = true
            let kept = evidence
            distinct.removeAll(keepingCapacity: true)
            distinctSeen = 0
            lastDistinct = nil
            evidence.removeAll(keepingCapacity: true)
            evidenceKept = 0
            return .fired(seen: seen, evidence: kept)
        }
    }

    /// Where a rule's threshold window and alert for one key were last found: the window's place
    /// in `windowStore` (checked against the window's own key, since a closed window's place is
    /// reused), the alert's index in `alerts` (alerts are never removed). Kept per candidate rule
    /// of a flow, whose key does not change, so a poll's matches are counted without hashing their
    /// keys. One cache line.
    struct StateMemo {
        var window = -1
        var alertKey = StateKey(rule: -1, a: .none, b: .none, extra: 0)
        var alert = -1
    }

    /// Reads or updates the memo at `place` in `stateMemos`, or the rule's own when `place` is -1.
    private func withMemo<R>(rule i: Int, place: Int, _ body: (inout StateMemo) -> R) -> R {
        place >= 0 ? body(&stateMemos[place]) : body(&compiled[i].memo)
    }

    func key(rule: Int, scope: Rule.Scope, _ s: Subject) -> StateKey {
        switch scope {
        case .source: StateKey(rule: rule, a: s.client, b: .none, extra: 0)
        case .server: StateKey(rule: rule, a: s.server, b: .none, extra: 0)
        case .pair: StateKey(rule: rule, a: s.client, b: s.server, extra: 0)
        }
    }

    /// What a match that opens a new alert brings besides the matched fields.
    struct NewAlert {
        var evidence: [Alert.EvidenceFrame]
        var extra: [String: String] = [:]
    }

    /// A match passed every condition: count it against the rule's threshold (if any), then
    /// raise or update the alert. Returns what a new alert needs when one must be created (the
    /// caller then builds the fields and calls `create`): the fields are built only then, and
    /// nothing here holds the event.
    func raise(rule i: Int, subject: Subject, memo place: Int = -1) -> NewAlert? {
        guard let threshold = hot[i].threshold else {
            return absorb(rule: i, subject: subject, evidence: evidence(subject).map { [$0] } ?? [], memo: place)
        }
        let wk = key(rule: i, scope: threshold.per, subject)
        let span = threshold.windowSeconds &* 1_000_000_000
        // A rule meets the same key many times (one poller's requests): the window's place is
        // remembered, instead of hashing the key each time.
        var slot = withMemo(rule: i, place: place) { memo in memo.window }
        if slot < 0 || slot >= windowStore.count || windowStore[slot].key != wk {
            if let open = windowPlaces[wk] {
                slot = open
            } else {
                guard makeRoom(at: subject.time) else {
                    dropped.windows &+= 1
                    return nil
                }
                slot = openWindow(wk, at: subject.time)
            }
            let found = slot
            withMemo(rule: i, place: place) { memo in memo.window = found }
        }
        if windowStore[slot].leases > 0 { leasedWindowMatched(slot, subject.time, span: span, threshold: threshold) }
        // The window is updated in place, so its set and evidence buffers are never copied per event.
        switch windowStore[slot].add(subject, span: span, threshold: threshold, evidence: { evidence(subject) }) {
        case .counted:
            return nil
        case .alreadyFired:
            if let e = evidence(subject) { addEvidence(rule: i, subject: subject, e) }
            return nil
        case .fired(let seen, let evidence):
            windowFired(slot)
            guard var new = absorb(rule: i, subject: subject, evidence: evidence, memo: place) else { return nil }
            new.extra["threshold_count"] = String(seen)
            new.extra["threshold_window_s"] = String(threshold.windowSeconds)
            if let d = threshold.distinct { new.extra["distinct"] = d.rawValue }
            return new
        }
    }

    /// Opens a window for `key` in a free place (a closed window's, or a new one).
    private func openWindow(_ key: StateKey, at time: Int64) -> Int {
        var window = Window(key: key, start: time)
        window.serial = nextWindowSerial()
        let slot: Int
        if let free = freeWindowPlaces.popLast() {
            slot = free
            windowStore[slot] = window
        } else {
            slot = windowStore.count
            windowStore.append(window)
        }
        windowPlaces[key] = slot
        return slot
    }

    /// Frees window places: closes windows whose time has passed, at most once per second of
    /// capture time so a full table of live windows does not cost a sweep per event.
    private func makeRoom(at time: Int64) -> Bool {
        if windowPlaces.count < Self.maxOpenWindows { return true }
        if let last = lastSweep {
            let (since, overflow) = time.subtractingReportingOverflow(last)
            if !overflow && since >= 0 && since < 1_000_000_000 { return false }
        }
        lastSweep = time
        let closed = windowPlaces.filter { key, slot in
            let span = (hot[key.rule].threshold?.windowSeconds ?? 0) &* 1_000_000_000
            let start = windowStore[slot].start
            return !(time &- start <= span && time >= start)
        }
        for (key, slot) in closed {
            windowLeft(slot, at: time)
            windowPlaces[key] = nil
            windowStore[slot] = Window(key: Window.closedKey, start: 0)
            freeWindowPlaces.append(slot)
        }
        return windowPlaces.count < Self.maxOpenWindows
    }

    private func alertKey(rule i: Int, _ s: Subject) -> StateKey {
        key(rule: i, scope: hot[i].groupBy, s)
    }

    private func addEvidence(rule i: Int, subject: Subject, _ e: Alert.EvidenceFrame) {
        guard let slot = alertSlots[alertKey(rule: i, subject)] else { return }
        if alerts[slot].evidence.count < Alert.maxEvidence { alerts[slot].evidence.append(e) }
        let time = Timestamp(nanoseconds: subject.time)
        if time > alerts[slot].lastSeen { alerts[slot].lastSeen = time }
    }

    /// Counts a match into the rule's existing alert for its key; nil when it did, else what a
    /// new alert needs (or nil too when the alert table is full, the match then counted as dropped).
    private func absorb(rule i: Int, subject: Subject, evidence: [Alert.EvidenceFrame], memo place: Int) -> NewAlert? {
        matchCount &+= 1
        let key = alertKey(rule: i, subject)
        var known = withMemo(rule: i, place: place) { memo in memo.alertKey == key ? memo.alert : -1 }
        if known < 0, let slot = alertSlots[key] {
            known = slot
            withMemo(rule: i, place: place) { memo in
                memo.alertKey = key
                memo.alert = slot
            }
        }
        if known >= 0 {
            let slot = known
            let time = Timestamp(nanoseconds: subject.time)
            alerts[slot].count &+= 1
            if time > alerts[slot].lastSeen { alerts[slot].lastSeen = time }
            if time < alerts[slot].firstSeen { alerts[slot].firstSeen = time }
            let room = Alert.maxEvidence - alerts[slot].evidence.count
            if room > 0 { alerts[slot].evidence.append(contentsOf: evidence.prefix(room)) }
            return nil
        }
        guard alerts.count < Self.maxAlerts else {
            dropped.alerts &+= 1
            return nil
        }
        return NewAlert(evidence: evidence)
    }

    /// Opens the alert `raise` asked for, with the matched fields.
    func create(rule i: Int, subject: Subject, _ new: NewAlert, fields: [String: String]) {
        let key = alertKey(rule: i, subject)
        let time = Timestamp(nanoseconds: subject.time)
        let evidence = new.evidence
        let rule = rules[i]
        var assets: [String] = []
        var keyText: String
        switch rule.groupBy {
        case .source:
            keyText = subject.client.description
            assets = [keyText]
        case .server:
            keyText = subject.server.description
            assets = [keyText]
        case .pair:
            keyText = subject.client.description
            assets = [keyText]
            if subject.server != .none {
                assets.append(subject.server.description)
                keyText += ">" + subject.server.description
            }
        }
        alertSlots[key] = alerts.count
        alerts.append(
            Alert(
                id: rule.id + ":" + keyText, rule: rule.id, title: rule.title, severity: rule.severity,
                techniques: rule.techniques, tactics: rule.tactics, assets: assets, firstSeen: time, lastSeen: time,
                count: 1, fields: fields.merging(new.extra) { _, extra in extra },
                evidence: Array(evidence.prefix(Alert.maxEvidence)),
                description: rule.description, remediation: rule.remediation))
    }

    // MARK: - Matched fields, built only when an alert is created

    func fields(message m: Message, target: Int) -> [String: String] {
        var f: [String: String] = [
            "proto": m.proto, "function": m.functionName, "function_code": String(m.functionCode),
            "operation": m.operation.rawValue, "direction": m.direction.name,
            "client": m.client.description, "server": m.server.description,
        ]
        if let unit = m.unit { f["unit"] = String(unit) }
        if case .exception(let code, let name) = m.status { f["status"] = "exception \(code) \(name)" }
        if !m.anomalies.isEmpty { f["anomalies"] = m.anomalies.joined(separator: ",") }
        if target >= 0 && target < m.targets.count {
            let t = m.targets[target]
            f["target"] = t.name.map { "\(t.kind) \($0)" } ?? "\(t.kind) \(t.address)"
            if let v = t.value {
                f["value"] = v
            } else if !t.values.isEmpty {
                f["value"] = t.values.prefix(8).map(String.init).joined(separator: ",")
            }
        }
        if let mac = m.sourceMAC { f["source_mac"] = mac }
        return f
    }

    func fields(fact: AssetFact) -> [String: String] {
        var f = ["fact": fact.kind.rawValue, "value": fact.value, "source": fact.source]
        if fact.address != .none { f["address"] = fact.address.description }
        if let mac = fact.mac { f["mac"] = mac }
        return f
    }

    func fields(flow r: FlowRecord) -> [String: String] {
        var f = [
            "transport": r.transport.description, "client": r.client.description, "server": r.server.description,
            "packets": String(r.packetsToServer &+ r.packetsToClient), "end_reason": r.endReason,
        ]
        if let app = r.application { f["application"] = app }
        if let state = r.tcpState { f["tcp_state"] = state }
        return f
    }
}
