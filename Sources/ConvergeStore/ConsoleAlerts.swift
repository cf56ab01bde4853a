import ConvergeModel
import Foundation

/// The alert reads and the triage the console makes, the same on SQLite and PostgreSQL: filters,
/// sorting, counts and pagination answered by the store, every value bound, never spliced.
public protocol ConsoleAlertQueries: DetectionStore {
    /// One page of alerts matching the query.
    func alertPage(_ query: AlertQuery) async throws -> AlertPage
    /// How many alerts there are by severity and by state (and still open by severity).
    func alertCounts() async throws -> AlertCounts
    /// Sets the triage state of every alert in `ids` in one transaction, a row in the triage
    /// history for each; when any id names no alert nothing changes and those ids come back.
    @discardableResult
    func triage(ids: [String], state: Alert.TriageState, note: String, by user: String) async throws -> TriageResult
    /// The alerts naming an asset (its id or any of its addresses), most recently seen first.
    func alerts(ofAsset id: String, limit: Int) async throws -> AlertPage
    /// For each key that is an asset id or an asset's address, the asset's id (to link alerts'
    /// assets to their pages); at most `AlertQuery.maxLookup` keys are looked up.
    func assetIDs(for keys: [String]) async throws -> [String: String]
    /// Every alert's id (at most `limit`): the live stream diffs them to announce new alerts.
    func alertIDs(limit: Int) async throws -> [String]
    /// How many alerts there are (one cheap count, polled by every live stream).
    func alertTotal() async throws -> Int
}

/// How the alert list can be ordered; each maps to a column of `alerts`.
public enum AlertSort: String, Sendable, CaseIterable, Codable {
    case lastSeen = "last_seen"
    case firstSeen = "first_seen"
    case severity
    case count

    var column: String {
        switch self {
        case .lastSeen: "last_seen"
        case .firstSeen: "first_seen"
        case .severity: "severity_rank"
        case .count: "count"
        }
    }
}

/// One page of the alert list as the console asks for it. Every field comes from a user.
public struct AlertQuery: Sendable, Hashable {
    public static let maxPageSize = 200
    public static let maxPage = 50_000
    public static let maxTextLength = 200
    /// Asset keys (an asset's id and addresses) one query matches at most.
    public static let maxAssetKeys = 64
    /// Rows a filter on the record's contents (technique, asset, title) reads at most before
    /// filtering; a bound on work per request.
    public static let maxScanned = 100_000
    /// Keys one asset lookup resolves at most.
    public static let maxLookup = 1000

    public var page = 1
    public var pageSize = 50
    public var sort = AlertSort.lastSeen
    public var descending = true
    /// Exactly this severity.
    public var severity: Alert.Severity?
    /// This severity or worse.
    public var minimumSeverity: Alert.Severity?
    public var state: Alert.TriageState?
    /// Exactly this rule id.
    public var rule: String?
    /// Rule ids starting with this (`policy.` for every policy violation).
    public var rulePrefix: String?
    /// An ATT&CK for ICS technique or tactic id (`T0843`, `TA0106`).
    public var technique: String?
    /// Alerts naming any of these (asset ids or addresses).
    public var assets: [String] = []
    /// Alerts seen at or after `from` and at or before `to` (their span overlaps the range).
    public var from: Timestamp?
    public var to: Timestamp?
    /// Case-insensitive text in the title.
    public var search: String?

    public init() {}

    /// The same query with every number and text inside its bounds, NUL as U+FFFD (PostgreSQL
    /// refuses NUL in a text parameter; the columns hold U+FFFD in its place).
    public var clamped: AlertQuery {
        var q = self
        q.page = min(max(page, 1), Self.maxPage)
        q.pageSize = min(max(pageSize, 1), Self.maxPageSize)
        func bounded(_ text: String) -> String { ColumnText.of(String(text.prefix(Self.maxTextLength))) }
        q.rule = rule.map(bounded)
        q.rulePrefix = rulePrefix.map(bounded)
        q.technique = technique.map(bounded)
        q.search = search.map(bounded)
        q.assets = Array(assets.prefix(Self.maxAssetKeys).map(bounded))
        return q
    }

    /// Filters that look inside the stored record: checked exactly after a coarse LIKE in SQL.
    var filtersRecord: Bool { technique != nil || !assets.isEmpty || search != nil }

    /// Whether an alert passes the record filters (the SQL has applied the others).
    func matchesRecord(_ alert: AlertKeys) -> Bool {
        if let t = technique?.uppercased(), !alert.techniques.contains(where: { $0.uppercased() == t }),
            !alert.tactics.contains(where: { $0.uppercased() == t })
        {
            return false
        }
        if !assets.isEmpty, Set(alert.assets).isDisjoint(with: assets) { return false }
        if let s = search?.lowercased(), !alert.title.lowercased().contains(s) { return false }
        return true
    }
}

/// The parts of a stored alert the record filters read: decoding only these keeps a filter over
/// many thousands of candidates from building every alert's fields and evidence.
struct AlertKeys: Decodable {
    var title: String
    var techniques: [String]
    var tactics: [String]
    var assets: [String]
}

public struct AlertPage: Sendable {
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var alerts: [Alert]
    /// True when a record filter stopped at `AlertQuery.maxScanned` rows.
    public var truncated: Bool

    public init(total: Int, page: Int, pageSize: Int, alerts: [Alert], truncated: Bool = false) {
        self.total = total
        self.page = page
        self.pageSize = pageSize
        self.alerts = alerts
        self.truncated = truncated
    }
}

/// Alerts counted by severity (most severe first) and by triage state.
public struct AlertCounts: Sendable, Hashable, Codable {
    public var total: Int
    public var bySeverity: [CountedValue]
    /// Not closed, by severity.
    public var openBySeverity: [CountedValue]
    public var byState: [CountedValue]

    public init(total: Int, bySeverity: [CountedValue], openBySeverity: [CountedValue], byState: [CountedValue]) {
        self.total = total
        self.bySeverity = bySeverity
        self.openBySeverity = openBySeverity
        self.byState = byState
    }
}

/// What a triage did: the alerts changed, or (nothing changed) the ids no alert has.
public struct TriageResult: Sendable, Hashable {
    public var updated: [String]
    public var missing: [String]
    public init(updated: [String], missing: [String]) {
        self.updated = updated
        self.missing = missing
    }
}

/// Limits on a triage request.
public enum TriageLimits {
    /// Alerts one bulk triage changes at most.
    public static let maxIDs = 500
    /// The longest note kept (longer notes are cut).
    public static let maxNoteLength = 2000
    public static let maxIDLength = 1000

    /// The ids in first-seen order without duplicates, cut to `maxIDs`.
    static func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for id in ids where out.count < maxIDs && !seen.contains(id) {
            seen.insert(id)
            out.append(id)
        }
        return out
    }
}

/// Raised inside a triage transaction to roll it back when some ids name no alert.
struct UnknownAlerts: Error {
    let ids: [String]
}

extension ConsoleAlertQueries where Self: ConsoleDatabase {
    public func alertPage(_ query: AlertQuery) async throws -> AlertPage {
        let q = query.clamped
        var filter = ConsoleSQL(" FROM alerts WHERE 1 = 1")
        if let severity = q.severity { filter.append(" AND severity_rank = ?", .integer(Int64(severity.rank))) }
        if let least = q.minimumSeverity { filter.append(" AND severity_rank >= ?", .integer(Int64(least.rank))) }
        if let state = q.state { filter.append(" AND state = ?", .text(state.rawValue)) }
        if let rule = q.rule { filter.append(" AND rule = ?", .text(ColumnText.of(rule))) }
        if let prefix = q.rulePrefix {
            filter.append(" AND rule LIKE ? ESCAPE '\\'", .text(AlertSQL.prefixPattern(ColumnText.of(prefix))))
        }
        if let from = q.from { filter.append(" AND last_seen >= ?", .integer(from.nanoseconds)) }
        if let to = q.to { filter.append(" AND first_seen <= ?", .integer(to.nanoseconds)) }
        // Coarse filters on the JSON record (a superset: LIKE ignores ASCII case in SQLite, and the
        // token may sit in another field); `matchesRecord` then decides exactly.
        if let technique = q.technique {
            filter.append(" AND record LIKE ? ESCAPE '\\'", .text(AlertSQL.tokenPattern(technique.uppercased())))
        }
        if !q.assets.isEmpty {
            filter.append(" AND (")
            for (i, key) in q.assets.enumerated() {
                filter.append(
                    i == 0 ? "record LIKE ? ESCAPE '\\'" : " OR record LIKE ? ESCAPE '\\'",
                    .text(AlertSQL.tokenPattern(key)))
            }
            filter.append(")")
        }
        if let search = q.search, search.utf8.allSatisfy({ $0 < 0x80 }) {
            // LOWER is ASCII-only in SQLite: only an ASCII term narrows the same way on both backends.
            filter.append(" AND LOWER(record) LIKE ? ESCAPE '\\'", .text(AlertSQL.containsPattern(search.lowercased())))
        }
        let direction = q.descending ? "DESC" : "ASC"
        let order = " ORDER BY \(q.sort.column) \(direction), last_seen \(direction), id \(direction)"
        if q.filtersRecord {
            // The candidates' keys decide which match; only the page's alerts are read whole.
            var scan = ConsoleSQL("SELECT id, record" + filter.sql + order, filter.values)
            scan.append(" LIMIT ?", .integer(Int64(AlertQuery.maxScanned)))
            let rows = try await consoleRows(scan)
            let decoder = JSONDecoder()
            var matches: [String] = []
            for row in rows where row.count == 2 {
                guard let id = row[0], let record = row[1] else { continue }
                let keys: AlertKeys
                do {
                    keys = try decoder.decode(AlertKeys.self, from: Data(record.utf8))
                } catch {
                    throw StoreError("stored alert \(id) cannot be read: \(error)")
                }
                if q.matchesRecord(keys) { matches.append(id) }
            }
            let start = min((q.page - 1) * q.pageSize, matches.count)
            let end = min(start + q.pageSize, matches.count)
            return AlertPage(
                total: matches.count, page: q.page, pageSize: q.pageSize,
                alerts: try await alerts(ids: Array(matches[start..<end])),
                truncated: rows.count >= AlertQuery.maxScanned)
        }
        let count = ConsoleSQL("SELECT CAST(COUNT(*) AS TEXT)" + filter.sql, filter.values)
        let total = Int((try await consoleRows(count).first?.first ?? nil) ?? "0") ?? 0
        var page = ConsoleSQL("SELECT id, state, record" + filter.sql + order, filter.values)
        page.append(
            " LIMIT ? OFFSET ?", .integer(Int64(q.pageSize)), .integer(Int64(q.page - 1) * Int64(q.pageSize)))
        let alerts = try await consoleRows(page).map(AlertSQL.alert)
        return AlertPage(total: total, page: q.page, pageSize: q.pageSize, alerts: alerts)
    }

    /// The alerts with these ids, in this order (ids no alert has are left out).
    func alerts(ids: [String]) async throws -> [Alert] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        var byID: [String: Alert] = [:]
        for row in try await consoleRows(ConsoleSQL(
            "SELECT id, state, record FROM alerts WHERE id IN (\(marks))", ids.map { .text(ColumnText.of($0)) }))
        {
            let alert = try AlertSQL.alert(row)
            byID[ColumnText.of(alert.id)] = alert
        }
        return ids.compactMap { byID[ColumnText.of($0)] }
    }

    public func alerts(ofAsset id: String, limit: Int) async throws -> AlertPage {
        let rows = try await consoleRows(
            ConsoleSQL(
                "SELECT address FROM asset_addresses WHERE asset_id = ? ORDER BY address LIMIT ?",
                [.text(ColumnText.of(id)), .integer(Int64(AlertQuery.maxAssetKeys - 1))]))
        var q = AlertQuery()
        q.assets = [id] + rows.compactMap { $0.first ?? nil }
        q.pageSize = limit
        return try await alertPage(q)
    }

    public func assetIDs(for keys: [String]) async throws -> [String: String] {
        // Keys come from alert records (the exact text): looked up as the columns hold them.
        var byColumn: [String: [String]] = [:]
        var unique: [String] = []
        for key in keys where unique.count < AlertQuery.maxLookup {
            let column = ColumnText.of(key)
            if byColumn[column] == nil { unique.append(column) }
            if byColumn[column]?.contains(key) != true { byColumn[column, default: []].append(key) }
        }
        guard !unique.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: unique.count).joined(separator: ", ")
        let values = unique.map { ConsoleSQL.Value.text($0) }
        var out: [String: String] = [:]
        func found(_ column: String, _ id: String) {
            for key in byColumn[column] ?? [] { out[key] = id }
        }
        // An address may belong to more than one asset over time: the smallest id is picked, the
        // same on both backends.
        for row in try await consoleRows(
            ConsoleSQL(
                "SELECT address, MIN(asset_id) FROM asset_addresses WHERE address IN (\(marks)) GROUP BY address",
                values))
        where row.count == 2 {
            if let key = row[0], let id = row[1] { found(key, id) }
        }
        for row in try await consoleRows(ConsoleSQL("SELECT id FROM assets WHERE id IN (\(marks))", values)) {
            if let id = row.first ?? nil { found(id, id) }
        }
        return out
    }

    public func alertTotal() async throws -> Int {
        Int((try await consoleRows(ConsoleSQL("SELECT CAST(COUNT(*) AS TEXT) FROM alerts")).first?.first ?? nil) ?? "0")
            ?? 0
    }

    public func alertIDs(limit: Int) async throws -> [String] {
        try await consoleRows(ConsoleSQL("SELECT id FROM alerts LIMIT ?", [.integer(Int64(max(limit, 0)))]))
            .compactMap { $0.first ?? nil }
    }

    public func alertCounts() async throws -> AlertCounts {
        let rows = try await consoleRows(
            ConsoleSQL(
                "SELECT severity, state, CAST(COUNT(*) AS TEXT) FROM alerts GROUP BY severity, state"))
        var severity: [Alert.Severity: Int] = [:]
        var open: [Alert.Severity: Int] = [:]
        var state: [Alert.TriageState: Int] = [:]
        var total = 0
        for row in rows where row.count == 3 {
            guard let s = Alert.Severity(rawValue: row[0] ?? ""), let n = Int(row[2] ?? "") else { continue }
            let t = Alert.TriageState(rawValue: row[1] ?? "") ?? .new
            severity[s, default: 0] += n
            state[t, default: 0] += n
            if t != .closed { open[s, default: 0] += n }
            total += n
        }
        let severities = Alert.Severity.allCases.reversed()
        return AlertCounts(
            total: total,
            bySeverity: severities.map { CountedValue(value: $0.rawValue, count: severity[$0] ?? 0) },
            openBySeverity: severities.map { CountedValue(value: $0.rawValue, count: open[$0] ?? 0) },
            byState: Alert.TriageState.allCases.map { CountedValue(value: $0.rawValue, count: state[$0] ?? 0) })
    }
}

/// SQL pieces and row decoding for the alert queries.
enum AlertSQL {
    /// `text` as a LIKE pattern matching it at the start, its `%`, `_` and `\` taken literally.
    static func prefixPattern(_ text: String) -> String {
        String(ConsoleSQL.containsPattern(text).dropFirst())
    }

    /// A pattern matching `text` as a whole JSON string somewhere in a record (`"T0843"`).
    static func tokenPattern(_ text: String) -> String {
        ConsoleSQL.containsPattern(json(text))
    }

    /// A pattern matching `text` inside a JSON string of a record.
    static func containsPattern(_ text: String) -> String {
        ConsoleSQL.containsPattern(String(json(text).dropFirst().dropLast()))
    }

    /// `text` as the store's encoder writes it in a record, quotes included.
    static func json(_ text: String) -> String {
        (try? StoreCodec.encode(text)) ?? "\"\(text)\""
    }

    /// A row of `id, state, record`.
    static func alert(_ row: [String?]) throws -> Alert {
        guard row.count == 3, let id = row[0], let state = row[1], let record = row[2] else {
            throw StoreError("stored alert row is incomplete")
        }
        return try SQLiteStore.alert(id: id, state: state, record: record)
    }
}
