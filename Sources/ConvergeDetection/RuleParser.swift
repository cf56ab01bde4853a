import ConvergeModel
import Yams

/// Reads one rule file (a YAML list of rules) into `Rule`s, rejecting anything it does not
/// understand with the file and line: unknown keys, wrong types, unknown protocols, operations,
/// roles or levels, malformed ATT&CK ids, conditions that do not apply to the rule's events.
struct RuleParser {
    let file: String

    /// Counts and windows from a rule are capped so a rule cannot ask for unbounded state.
    static let maxThresholdCount = 100_000
    static let maxWindowSeconds: Int64 = 7 * 86_400

    func parse(_ text: String) throws(RuleError) -> [Rule] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw RuleError(file: file, line: Self.line(of: error), reason: "not valid YAML: \(Self.problem(error))")
        } catch {
            throw RuleError(file: file, line: 1, reason: "not valid YAML")
        }
        guard let root else { return [] }
        guard case .sequence(let list) = root else {
            throw fail(root, "a rule file is a list of rules")
        }
        var rules: [Rule] = []
        var ids: Set<String> = []
        for item in list {
            let rule = try parseRule(item)
            guard ids.insert(rule.id).inserted else { throw fail(item, "duplicate rule id '\(rule.id)'") }
            rules.append(rule)
        }
        return rules
    }

    // MARK: - One rule

    private static let ruleKeys: Set<String> = [
        "id", "title", "severity", "attack", "description", "remediation", "on", "match", "threshold", "group_by",
    ]

    private func parseRule(_ node: Node) throws(RuleError) -> Rule {
        let fields = try mapping(node, allowed: Self.ruleKeys, what: "rule")
        guard let idNode = fields["id"] else { throw fail(node, "rule without 'id'") }
        let id = try string(idNode.value)
        guard !id.isEmpty, id.utf8.allSatisfy({ Self.isIDByte($0) }) else {
            throw fail(idNode.value, "rule id '\(id)' must be letters, digits, '-', '_' or '.'")
        }
        guard let titleNode = fields["title"] else { throw fail(node, "rule '\(id)' has no 'title'") }
        guard let severityNode = fields["severity"] else { throw fail(node, "rule '\(id)' has no 'severity'") }
        let severityText = try string(severityNode.value)
        guard let severity = Alert.Severity(rawValue: severityText) else {
            throw fail(severityNode.value, "unknown severity '\(severityText)' (info, low, medium, high, critical)")
        }
        var rule = Rule(
            id: id, title: try string(titleNode.value), severity: severity, file: file,
            line: idNode.key.mark?.line ?? 0)
        if let attack = fields["attack"] { try parseAttack(attack.value, into: &rule) }
        // Folded YAML blocks (`>`) end in a newline that is not part of the text.
        if let d = fields["description"] { rule.description = try string(d.value).trimmingCharacters(in: .whitespacesAndNewlines) }
        if let r = fields["remediation"] { rule.remediation = try string(r.value).trimmingCharacters(in: .whitespacesAndNewlines) }
        if let on = fields["on"] {
            let text = try string(on.value)
            guard let subject = Rule.Subject(rawValue: text) else {
                throw fail(on.value, "unknown event kind '\(text)' (message, asset_fact, flow)")
            }
            rule.subject = subject
        }
        rule.groupBy = rule.subject == .assetFact ? .source : .pair
        if let g = fields["group_by"] { rule.groupBy = try scope(g.value) }
        guard let match = fields["match"] else { throw fail(node, "rule '\(id)' has no 'match'") }
        rule.match = try parseMatch(match.value, subject: rule.subject)
        if let t = fields["threshold"] { rule.threshold = try parseThreshold(t.value, subject: rule.subject) }
        return rule
    }

    private static func isIDByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 95 || b == 46
    }

    private func parseAttack(_ node: Node, into rule: inout Rule) throws(RuleError) {
        let fields = try mapping(node, allowed: ["techniques", "tactics"], what: "attack")
        if let t = fields["techniques"] {
            for item in try list(t.value) {
                let id = try string(item)
                guard
                    Self.isATTACK(id, prefix: "T0", digits: 3) || Self.isATTACK(id, prefix: "T0", digits: 3, sub: true)
                else { throw fail(item, "bad ATT&CK for ICS technique id '\(id)' (T0xxx)") }
                rule.techniques.append(id)
            }
        }
        if let t = fields["tactics"] {
            for item in try list(t.value) {
                let id = try string(item)
                guard Self.isATTACK(id, prefix: "TA01", digits: 2) else {
                    throw fail(item, "bad ATT&CK for ICS tactic id '\(id)' (TA01xx)")
                }
                rule.tactics.append(id)
            }
        }
    }

    /// `T0` + 3 digits (optionally `.` + 3 digits), or `TA01` + 2 digits.
    static func isATTACK(_ id: String, prefix: String, digits: Int, sub: Bool = false) -> Bool {
        guard id.hasPrefix(prefix) else { return false }
        let rest = Array(id.utf8.dropFirst(prefix.utf8.count))
        let isDigit = { (b: UInt8) in b >= 48 && b <= 57 }
        if sub {
            return rest.count == digits + 4 && rest[..<digits].allSatisfy(isDigit) && rest[digits] == 46
                && rest[(digits + 1)...].allSatisfy(isDigit)
        }
        return rest.count == digits && rest.allSatisfy(isDigit)
    }

    private func parseThreshold(_ node: Node, subject: Rule.Subject) throws(RuleError) -> Rule.Threshold {
        let fields = try mapping(node, allowed: ["count", "distinct", "window", "per"], what: "threshold")
        guard let countNode = fields["count"] else { throw fail(node, "threshold without 'count'") }
        let count = try integer(countNode.value)
        guard count >= 1, count <= Self.maxThresholdCount else {
            throw fail(countNode.value, "threshold count must be 1…\(Self.maxThresholdCount)")
        }
        guard let windowNode = fields["window"] else { throw fail(node, "threshold without 'window' (seconds)") }
        let window = try integer(windowNode.value)
        guard window >= 1, Int64(window) <= Self.maxWindowSeconds else {
            throw fail(windowNode.value, "threshold window must be 1…\(Self.maxWindowSeconds) seconds")
        }
        var threshold = Rule.Threshold(count: count, windowSeconds: Int64(window), per: .source)
        if let p = fields["per"] { threshold.per = try scope(p.value) }
        if let d = fields["distinct"] {
            let text = try string(d.value)
            guard let field = Rule.DistinctField(rawValue: text) else {
                throw fail(d.value, "unknown distinct field '\(text)' (unit, function, server, client, port, target)")
            }
            if subject != .message && [.unit, .function, .target].contains(field) {
                throw fail(d.value, "distinct '\(text)' applies to messages only")
            }
            threshold.distinct = field
        }
        return threshold
    }

    private func scope(_ node: Node) throws(RuleError) -> Rule.Scope {
        let text = try string(node)
        guard let scope = Rule.Scope(rawValue: text) else {
            throw fail(node, "unknown scope '\(text)' (source, server, pair)")
        }
        return scope
    }
}
