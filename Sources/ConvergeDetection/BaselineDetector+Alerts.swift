import ConvergeModel

/// The alerts a deviation raises: what differs, in words a person can act on.
extension BaselineDetector {
    static let newAsset = "baseline.new_asset"
    static let newPair = "baseline.new_pair"
    static let newFunction = "baseline.new_function"
    static let writeOutOfRange = "baseline.write_out_of_range"
    static let pollCycleBroken = "baseline.poll_cycle_broken"

    /// Operations that change a device rather than read it.
    static func changesDevice(_ operation: Operation) -> Bool {
        switch operation {
        case .write, .control, .program, .firmware: true
        default: false
        }
    }

    func raise(newAsset address: IPAddress, _ message: Message) {
        let text = "\(address) was not seen while learning (first seen speaking \(message.proto))"
        record(
            rule: Self.newAsset, key: "\(address)", title: "New asset \(address)", severity: .medium,
            techniques: [], tactics: ["TA0108"], assets: ["\(address)"],
            fields: ["address": "\(address)", "proto": message.proto], description: text,
            remediation: "Identify the device; if it belongs, learn it into the baseline (converge analyze --learn).",
            message)
    }

    func raise(newPair pair: Baseline.Pair, _ message: Message) {
        let changes = Self.changesDevice(message.operation)
        let text =
            "\(pair.client) talked \(pair.proto) to \(pair.server), which it never did while learning "
            + "(first function \(message.functionCode) \(message.functionName), \(message.operation.rawValue))"
        record(
            rule: Self.newPair, key: "\(pair)",
            title: "New \(pair.proto) conversation \(pair.client) → \(pair.server)",
            severity: changes ? .high : .medium, techniques: changes ? ["T0848", "T0855"] : ["T0848"],
            tactics: changes ? ["TA0108", "TA0106"] : ["TA0108"], assets: ["\(pair.client)", "\(pair.server)"],
            fields: fields(pair, message), description: text,
            remediation: "Confirm that \(pair.client) may talk to \(pair.server); block the conversation if not.",
            message)
        noteFunction(message, in: "\(Self.newPair):\(pair)")
    }

    /// The functions a new pair used so far, in its fields and description (capped).
    func noteFunction(_ message: Message, in id: String) {
        guard var alert = alerts[id] else { return }
        var codes = Set((alert.fields["functions"] ?? "").split(separator: ",").compactMap { Int($0) })
        guard !codes.contains(message.functionCode), codes.count < Self.maxListedFunctions else { return }
        codes.insert(message.functionCode)
        let list = codes.sorted().map(String.init)
        alert.fields["functions"] = list.joined(separator: ",")
        let base = alert.description.components(separatedBy: "; functions used: ").first ?? alert.description
        alert.description = base + "; functions used: " + list.joined(separator: ", ")
        alerts[id] = alert
    }

    /// Function codes listed on one new-pair alert.
    static let maxListedFunctions = 64

    func raise(newFunction pair: Baseline.Pair, _ message: Message) {
        let changes = Self.changesDevice(message.operation)
        let known = baseline.pairs[pair]?.functions.keys.sorted().map(String.init).joined(separator: ", ") ?? ""
        let text =
            "\(pair.client) used \(pair.proto) function \(message.functionCode) \(message.functionName) "
            + "(\(message.operation.rawValue)) on \(pair.server); learned functions: \(known)"
        var techniques = ["T0855"]
        if message.operation == .write { techniques.append("T0836") }
        if message.operation == .program { techniques.append("T0843") }
        if message.operation == .firmware { techniques.append("T0857") }
        record(
            rule: Self.newFunction, key: "\(pair)/\(message.functionCode)",
            title: "New \(pair.proto) function \(message.functionName) from \(pair.client) to \(pair.server)",
            severity: changes ? .high : .medium, techniques: techniques, tactics: ["TA0106"],
            assets: ["\(pair.client)", "\(pair.server)"], fields: fields(pair, message), description: text,
            remediation: "Check whether \(pair.client) should send \(message.functionName) to \(pair.server).",
            message)
    }

    func raise(
        outOfRange pair: Baseline.Pair, _ key: Baseline.TargetKey, _ value: Double, learned: Baseline.ValueRange?,
        _ message: Message
    ) {
        let target = Baseline.describe(key)
        let range =
            learned.map { "learned range \(Baseline.number($0.min))–\(Baseline.number($0.max))" }
            ?? "never written while learning"
        let text = "\(pair.client) wrote \(Baseline.number(value)) to \(target) of \(pair.server); \(range)"
        var extra = fields(pair, message)
        extra["target"] = "\(key.kind)/\(key.address)"
        extra["value"] = Baseline.number(value)
        if let learned {
            extra["learned_min"] = Baseline.number(learned.min)
            extra["learned_max"] = Baseline.number(learned.max)
        }
        record(
            rule: Self.writeOutOfRange, key: "\(pair)/\(key.kind)/\(key.address)",
            title: learned == nil
                ? "Write to a register never written while learning: \(target) of \(pair.server)"
                : "Write outside the learned range: \(target) of \(pair.server)",
            // A register the writer never wrote is new, not known to be wrong: medium.
            severity: learned == nil ? .medium : .high,
            techniques: ["T0836", "T0831"], tactics: ["TA0106", "TA0105"],
            assets: ["\(pair.client)", "\(pair.server)"], fields: extra, description: text,
            remediation:
                "Check the process value on \(pair.server) and who changed it; restore the set point if wrong.",
            message, observed: value)
    }

    func raise(
        pollBroken pair: Baseline.Pair, _ slot: Baseline.PollSlot, interval: Int64, period: Int64, _ message: Message
    ) {
        let early = interval < period
        let what = "\(pair.proto) function \(slot.function) on \(Baseline.describe(slot.target))"
        let text =
            "\(pair.client) polled \(what) of \(pair.server) after \(Baseline.seconds(interval)) s; "
            + "learned period \(Baseline.seconds(period)) s"
        var extra = fields(pair, message)
        extra["interval_s"] = Baseline.seconds(interval)
        extra["period_s"] = Baseline.seconds(period)
        record(
            rule: Self.pollCycleBroken, key: "\(pair)/\(slot.function)/\(slot.target.kind):\(slot.target.address)",
            title: "Poll cycle broken: \(what), \(pair.client) → \(pair.server)", severity: early ? .medium : .low,
            techniques: early ? ["T0806"] : ["T0804"], tactics: early ? ["TA0106"] : ["TA0107"],
            assets: ["\(pair.client)", "\(pair.server)"], fields: extra, description: text,
            remediation: "Look for a second master (requests too soon) or a lost link or stalled master (too late).",
            message)
    }

    func raise(
        pollStopped pair: Baseline.Pair, _ slot: Baseline.PollSlot, silence: Int64, period: Int64, at end: Timestamp,
        last: Timestamp
    ) {
        let what = "\(pair.proto) function \(slot.function) on \(Baseline.describe(slot.target))"
        let text =
            "\(pair.client) stopped polling \(what) of \(pair.server): silent for \(Baseline.seconds(silence)) s "
            + "at the end of the run; learned period \(Baseline.seconds(period)) s"
        let id = "\(Self.pollCycleBroken):\(pair)/\(slot.function)/\(slot.target.kind):\(slot.target.address)"
        if var alert = alerts[id] {
            alert.description += "; then " + text
            alerts[id] = alert
            return
        }
        guard alerts.count < Self.maxAlerts else {
            droppedAlerts &+= 1
            return
        }
        alerts[id] = Alert(
            id: id, rule: Self.pollCycleBroken, title: "Poll cycle stopped: \(what), \(pair.client) → \(pair.server)",
            severity: .low, techniques: ["T0804"], tactics: ["TA0107"], assets: ["\(pair.client)", "\(pair.server)"],
            firstSeen: last, lastSeen: end, count: 1,
            fields: [
                "proto": pair.proto, "client": "\(pair.client)", "server": "\(pair.server)",
                "function": "\(slot.function)", "silence_s": Baseline.seconds(silence),
                "period_s": Baseline.seconds(period),
            ],
            description: text, remediation: "Check the master and the link between it and \(pair.server).")
        order.append(id)
    }

    func fields(_ pair: Baseline.Pair, _ message: Message) -> [String: String] {
        var out = [
            "proto": pair.proto, "client": "\(pair.client)", "server": "\(pair.server)",
            "function": "\(message.functionCode)", "function_name": message.functionName,
            "operation": message.operation.rawValue,
        ]
        if let unit = message.unit { out["unit"] = "\(unit)" }
        return out
    }

    /// Adds a match to its alert (count, last time, evidence, the observed extremes of a value) or
    /// opens the alert; ids are `rule:key`.
    func record(
        rule: String, key: String, title: String, severity: Alert.Severity, techniques: [String], tactics: [String],
        assets: [String], fields: [String: String], description: String, remediation: String, _ message: Message,
        observed: Double? = nil
    ) {
        let id = "\(rule):\(key)"
        let frame = evidence(message)
        if var alert = alerts[id] {
            alert.count &+= 1
            // A later match may be worse (a new pair that starts reading and then writes).
            if severity > alert.severity {
                alert.severity = severity
                alert.techniques += techniques.filter { !alert.techniques.contains($0) }
                alert.tactics += tactics.filter { !alert.tactics.contains($0) }
            }
            alert.firstSeen = min(alert.firstSeen, message.time)
            alert.lastSeen = max(alert.lastSeen, message.time)
            if let frame, alert.evidence.count < Alert.maxEvidence, !alert.evidence.contains(frame) {
                alert.evidence.append(frame)
            }
            if let observed { widen(&alert, observed) }
            alerts[id] = alert
            return
        }
        guard alerts.count < Self.maxAlerts else {
            droppedAlerts &+= 1
            return
        }
        var alert = Alert(
            id: id, rule: rule, title: title, severity: severity, techniques: techniques, tactics: tactics,
            assets: assets, firstSeen: message.time, lastSeen: message.time, count: 1, fields: fields,
            evidence: frame.map { [$0] } ?? [], description: description, remediation: remediation)
        if let observed { widen(&alert, observed) }
        alerts[id] = alert
        order.append(id)
    }

    private func widen(_ alert: inout Alert, _ value: Double) {
        let low = alert.fields["observed_min"].flatMap(Double.init).map { min($0, value) } ?? value
        let high = alert.fields["observed_max"].flatMap(Double.init).map { max($0, value) } ?? value
        alert.fields["observed_min"] = Baseline.number(low)
        alert.fields["observed_max"] = Baseline.number(high)
    }

    func evidence(_ message: Message) -> Alert.EvidenceFrame? {
        guard let frame = message.frame, let index = message.captureIndex, captures.indices.contains(index) else {
            return nil
        }
        return Alert.EvidenceFrame(capture: captures[index], frame: frame)
    }
}
