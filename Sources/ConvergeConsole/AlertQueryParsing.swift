import ConvergeModel
import ConvergeStore
import Foundation
import Hummingbird

/// Query strings → alert queries, shared by `/alerts` and `/api/alerts`. A value that names
/// nothing (an unknown severity, state or sort) is a 400, not silently ignored.
enum AlertQueryParsing {
    static func query(_ request: Request) throws -> AlertQuery {
        var q = AlertQuery()
        q.page = try QueryParsing.integer(request, "page", default: 1)
        q.pageSize = try QueryParsing.integer(request, "per_page", default: 50)
        if let sort = QueryParsing.string(request, "sort") {
            let descending = sort.hasPrefix("-")
            guard let key = AlertSort(rawValue: descending ? String(sort.dropFirst()) : sort) else {
                throw ConsoleError(
                    .badRequest,
                    "sort must be one of \(AlertSort.allCases.map(\.rawValue).joined(separator: ", "))"
                        + " ('-' in front for descending)")
            }
            q.sort = key
            q.descending = descending
        }
        q.severity = try severity(request, "severity")
        q.minimumSeverity = try severity(request, "min_severity")
        if let state = QueryParsing.string(request, "state") {
            guard let value = Alert.TriageState(rawValue: state) else {
                throw ConsoleError(.badRequest, "state must be new, acknowledged or closed")
            }
            q.state = value
        }
        // `rule=policy.*` (or `rule_prefix=policy.`) lists a whole family.
        if let rule = QueryParsing.string(request, "rule") {
            if rule.hasSuffix("*") { q.rulePrefix = String(rule.dropLast()) } else { q.rule = rule }
        }
        if let prefix = QueryParsing.string(request, "rule_prefix") { q.rulePrefix = prefix }
        q.technique = QueryParsing.string(request, "technique")?.trimmingCharacters(in: .whitespaces)
        if let asset = QueryParsing.string(request, "asset") { q.assets = [asset] }
        q.search = QueryParsing.string(request, "q")
        if let from = QueryParsing.string(request, "from") {
            guard let t = Timestamp.parse(from) else { throw ConsoleError(.badRequest, "from must be a date or time") }
            q.from = t
        }
        if let to = QueryParsing.string(request, "to") {
            guard var t = Timestamp.parse(to) else { throw ConsoleError(.badRequest, "to must be a date or time") }
            // A bare date means the whole day.
            if to.count == 10 { t = Timestamp(nanoseconds: t.nanoseconds &+ 86_400_000_000_000 &- 1) }
            q.to = t
        }
        return q.clamped
    }

    private static func severity(_ request: Request, _ name: String) throws -> Alert.Severity? {
        guard let text = QueryParsing.string(request, name) else { return nil }
        guard let value = Alert.Severity(rawValue: text) else {
            throw ConsoleError(.badRequest, "\(name) must be one of info, low, medium, high, critical")
        }
        return value
    }

    /// The query's asset filter widened to the asset's addresses when it names an asset by id
    /// (alerts name addresses), so `?asset=ip:10.0.0.5` and `?asset=10.0.0.5` list the same.
    static func widened(_ query: AlertQuery, store: any ConsoleStore) async throws -> AlertQuery {
        guard query.assets.count == 1, let key = query.assets.first, let asset = try await store.asset(id: key) else {
            return query
        }
        var q = query
        q.assets = [key] + asset.addresses.map { "\($0.address)" }
        return q.clamped
    }
}
