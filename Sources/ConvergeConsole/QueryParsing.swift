import ConvergeModel
import ConvergeStore
import Hummingbird

/// Query strings → store queries. Every value is a user's: bounded, and refused with 400 when it
/// names nothing (an unknown sort) rather than silently ignored.
enum QueryParsing {
    static let maxValueLength = 200

    static func string(_ request: Request, _ name: String) -> String? {
        guard let value = FormBody(request.uri.query ?? "").value(name), !value.isEmpty else { return nil }
        return String(value.prefix(maxValueLength))
    }

    static func integer(_ request: Request, _ name: String, default value: Int) throws -> Int {
        guard let text = string(request, name) else { return value }
        guard let n = Int(text), n >= 0 else { throw ConsoleError(.badRequest, "\(name) must be a whole number") }
        return n
    }

    static func assetQuery(_ request: Request) throws -> AssetQuery {
        var q = AssetQuery()
        q.page = try integer(request, "page", default: 1)
        q.pageSize = try integer(request, "per_page", default: 50)
        if let sort = string(request, "sort") {
            let descending = sort.hasPrefix("-")
            guard let key = AssetSort(rawValue: descending ? String(sort.dropFirst()) : sort) else {
                throw ConsoleError(
                    .badRequest, "sort must be one of \(AssetSort.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            q.sort = key
            q.descending = descending
        }
        q.level = string(request, "level")
        q.role = string(request, "role")
        q.vendor = string(request, "vendor")
        q.proto = string(request, "protocol")
        q.search = string(request, "q")
        return q.clamped
    }

    static func communicationQuery(_ request: Request) throws -> CommunicationQuery {
        var q = CommunicationQuery()
        q.asset = string(request, "asset")
        q.proto = string(request, "protocol")
        q.operation = string(request, "operation")
        if let from = string(request, "from") {
            guard let t = Timestamp.parse(from) else { throw ConsoleError(.badRequest, "from must be a date or time") }
            q.from = t
        }
        if let to = string(request, "to") {
            guard var t = Timestamp.parse(to) else { throw ConsoleError(.badRequest, "to must be a date or time") }
            // A bare date means the whole day.
            if to.count == 10 { t = Timestamp(nanoseconds: t.nanoseconds &+ 86_400_000_000_000 &- 1) }
            q.to = t
        }
        q.page = max(try integer(request, "page", default: 1), 1)
        q.pageSize = try integer(request, "per_page", default: 100)
        return q
    }

    /// The current query string with some parameters replaced (for pagination and sort links).
    static func link(_ path: String, _ request: Request, setting changes: [String: String?]) -> String {
        var pairs: [(String, String)] = []
        var seen = Set<String>()
        for (k, value) in FormBody(request.uri.query ?? "").fields {
            seen.insert(k)
            if let change = changes[k] {
                if let change { pairs.append((k, change)) }
            } else if !value.isEmpty {
                pairs.append((k, value))
            }
        }
        for (k, v) in changes where !seen.contains(k) { if let v { pairs.append((k, v)) } }
        pairs.sort { $0.0 < $1.0 }
        if pairs.isEmpty { return path }
        return path + "?" + pairs.map { HTML.queryComponent($0.0) + "=" + HTML.queryComponent($0.1) }.joined(separator: "&")
    }
}

extension String {
    /// A path segment as sent (percent-encoded).
    var pathDecoded: String { removingPercentEncoding ?? self }
}
