import ConvergeModel

/// Rules sorted by what they can match: message rules by protocol (and those for any protocol),
/// fact rules and flow rules. Operations become bit masks (`bit`) for a one-instruction check.
struct RuleIndex {
    var byProto: [String: [Int]] = [:]
    var anyProto: [Int] = []
    var factRules: [Int] = []
    var flowRules: [Int] = []
    var needsBindings = false
    /// Per protocol, the messages a rule reads the targets of (a target or value condition,
    /// distinct targets), and those of any protocol.
    var targetNeeds: [String: TargetNeed] = [:]
    var anyProtocolTargets = TargetNeed.none

    init(_ rules: [Rule]) {
        for (i, rule) in rules.enumerated() {
            switch rule.subject {
            case .assetFact: factRules.append(i)
            case .flow: flowRules.append(i)
            case .message:
                if rule.match.bindingConflict != nil { needsBindings = true }
                if Self.readsTargets(rule) {
                    let need = Self.targetNeed(rule)
                    if rule.match.protocols.isEmpty { anyProtocolTargets = anyProtocolTargets.union(need) }
                    for proto in rule.match.protocols { targetNeeds[proto] = (targetNeeds[proto] ?? .none).union(need) }
                }
                if rule.match.protocols.isEmpty {
                    anyProto.append(i)
                } else {
                    for proto in Set(rule.match.protocols) { byProto[proto, default: []].append(i) }
                }
            }
        }
        for key in byProto.keys { byProto[key]?.sort() }
    }

    static func readsTargets(_ rule: Rule) -> Bool {
        rule.match.target != nil || rule.match.value != nil || rule.threshold?.distinct == .target
    }

    /// The messages whose targets a target-reading rule needs: those of the functions it names
    /// when it names them all literally, else all.
    static func targetNeed(_ rule: Rule) -> TargetNeed {
        var names: Set<String> = []
        for selector in rule.match.functions {
            guard case .name(let glob) = selector, let literal = glob.literalText else { return .all }
            names.insert(literal)
        }
        return names.isEmpty ? .all : .functions(names)
    }

    static func bit(_ op: Operation) -> UInt16 {
        switch op {
        case .read: 1 << 0
        case .write: 1 << 1
        case .control: 1 << 2
        case .program: 1 << 3
        case .firmware: 1 << 4
        case .diagnostic: 1 << 5
        case .discovery: 1 << 6
        case .session: 1 << 7
        case .auth: 1 << 8
        case .other: 1 << 9
        }
    }
}
