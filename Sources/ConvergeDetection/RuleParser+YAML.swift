import Yams

/// Typed reads of YAML nodes that fail with the node's line.
extension RuleParser {
    struct Field {
        let key: Node
        let value: Node
    }

    func fail(_ node: Node, _ reason: String) -> RuleError {
        RuleError(file: file, line: node.mark?.line ?? 0, reason: reason)
    }

    /// A mapping whose keys are all in `allowed`, each at most once.
    func mapping(_ node: Node, allowed: Set<String>, what: String) throws(RuleError) -> [String: Field] {
        guard case .mapping(let map) = node else { throw fail(node, "\(what) must be a mapping") }
        var fields: [String: Field] = [:]
        for (key, value) in map {
            guard case .scalar(let scalar) = key else { throw fail(key, "\(what) keys must be plain words") }
            let name = scalar.string
            guard allowed.contains(name) else {
                throw fail(
                    key, "unknown key '\(name)' in \(what) (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard fields[name] == nil else { throw fail(key, "key '\(name)' given twice") }
            fields[name] = Field(key: key, value: value)
        }
        return fields
    }

    func string(_ node: Node) throws(RuleError) -> String {
        guard case .scalar(let scalar) = node else {
            throw fail(node, "expected a single value, not a list or mapping")
        }
        return scalar.string
    }

    func integer(_ node: Node) throws(RuleError) -> Int {
        let text = try string(node)
        guard let value = Int(text) else { throw fail(node, "expected an integer, got '\(text)'") }
        return value
    }

    func number(_ node: Node) throws(RuleError) -> Double {
        let text = try string(node)
        guard let value = Double(text), value.isFinite else { throw fail(node, "expected a number, got '\(text)'") }
        return value
    }

    func boolean(_ node: Node) throws(RuleError) -> Bool {
        switch try string(node) {
        case "true", "yes": return true
        case "false", "no": return false
        case let text: throw fail(node, "expected true or false, got '\(text)'")
        }
    }

    /// A list, or one scalar standing for a list of one.
    func list(_ node: Node) throws(RuleError) -> [Node] {
        switch node {
        case .sequence(let seq): return Array(seq)
        case .scalar: return [node]
        default: throw fail(node, "expected a value or a list of values")
        }
    }

    func strings(_ node: Node) throws(RuleError) -> [String] {
        var out: [String] = []
        for item in try list(node) { out.append(try string(item)) }
        return out
    }

    func globs(_ node: Node) throws(RuleError) -> [Glob] {
        var out: [Glob] = []
        for item in try list(node) {
            let text = try string(item)
            guard !text.isEmpty else { throw fail(item, "empty pattern") }
            out.append(Glob(text))
        }
        return out
    }

    /// `[lo, hi]` or `{min: lo, max: hi}`.
    func range(_ node: Node) throws(RuleError) -> ClosedRange<Double> {
        var lo: Double
        var hi: Double
        if case .sequence(let seq) = node {
            guard seq.count == 2 else { throw fail(node, "a range is [low, high]") }
            lo = try number(seq[0])
            hi = try number(seq[1])
        } else {
            let fields = try mapping(node, allowed: ["min", "max"], what: "range")
            lo = try fields["min"].map { f throws(RuleError) in try number(f.value) } ?? -Double.greatestFiniteMagnitude
            hi = try fields["max"].map { f throws(RuleError) in try number(f.value) } ?? Double.greatestFiniteMagnitude
        }
        guard lo <= hi else { throw fail(node, "range low end above its high end") }
        return lo...hi
    }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: 1
        }
    }

    static func problem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let keys, _): "key '\(keys.joined(separator: "', '"))' given twice"
        default: "\(error)"
        }
    }
}
