import ConvergeInventory
import ConvergeModel
import Foundation
import Yams

extension Policy {
    /// Reads and checks a policy file. Throws `PolicyError` naming FILE:LINE and the reason for
    /// every problem found; overlaps, unreachable conduits and expired exceptions are returned in
    /// `diagnostics`.
    public static func load(path: String, now: Timestamp? = nil) throws(PolicyError) -> Policy {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PolicyError(file: path, problems: [.init(line: 0, reason: "cannot open the file")])
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: PolicyLimits.maxFileBytes + 1) ?? Data()
        } catch {
            throw PolicyError(file: path, problems: [.init(line: 0, reason: "cannot read the file: \(error)")])
        }
        guard data.count <= PolicyLimits.maxFileBytes else {
            throw PolicyError(
                file: path, problems: [.init(line: 0, reason: "larger than \(PolicyLimits.maxFileBytes) bytes")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(file: path, problems: [.init(line: 0, reason: "not UTF-8 text")])
        }
        return try parse(yaml: text, file: path, now: now)
    }

    /// Parses policy YAML; `file` only names the source in messages.
    public static func parse(yaml: String, file: String = "<policy>", now: Timestamp? = nil) throws(PolicyError)
        -> Policy
    {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw PolicyError(file: file, problems: [yamlProblem(error)])
        } catch {
            throw PolicyError(file: file, problems: [.init(line: 0, reason: "\(error)")])
        }
        guard let root else { throw PolicyError(file: file, problems: [.init(line: 1, reason: "the file is empty")]) }
        let reader = PolicyReader()
        var policy = reader.read(root)
        if !reader.problems.isEmpty { throw PolicyError(file: file, problems: reader.problems) }
        policy.file = file
        policy.diagnostics = PolicyAnalysis.diagnose(policy, now: now ?? .wallClock())
        return policy
    }

    private static func yamlProblem(_ error: YamlError) -> PolicyError.Problem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return .init(line: mark.line, column: mark.column, reason: "YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .init(
                line: context.mark.line, column: context.mark.column,
                reason: "YAML: duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return .init(line: 0, reason: "YAML: \(error)")
        }
    }
}

extension Timestamp {
    /// The wall clock now (exceptions expire against it unless a test fixes the time).
    static func wallClock() -> Timestamp {
        Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
    }
}
