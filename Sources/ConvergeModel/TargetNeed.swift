/// Which events' targets are read: all, none, or those of some functions only.
public enum TargetNeed: Sendable, Equatable {
    case all
    case none
    /// Messages whose `functionName` is one of these (compared without case: kept lowercase).
    case functions(Set<String>)

    public func wants(function name: String) -> Bool {
        switch self {
        case .all: return true
        case .none: return false
        case .functions(let names):
            if names.contains(name) { return true }
            guard name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) else { return false }
            return names.contains(name.lowercased())
        }
    }

    /// What two readers need together.
    public func union(_ other: TargetNeed) -> TargetNeed {
        switch (self, other) {
        case (.all, _), (_, .all): .all
        case (.none, let x), (let x, .none): x
        case (.functions(let a), .functions(let b)): .functions(a.union(b))
        }
    }
}
