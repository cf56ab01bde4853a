import ConvergeInventory
import ConvergeModel

/// The reads the console makes, answered on the server (pagination, sorting, filters and counts in
/// SQL), the same on SQLite and PostgreSQL.
public protocol ConsoleQueries: Sendable {
    func assetPage(_ query: AssetQuery) async throws -> AssetPage
    /// The same page as `assetPage`, as the list shows it, read from `asset_list` (no record decoded):
    /// what the asset list and `/api/assets` serve.
    func assetRows(_ query: AssetQuery) async throws -> AssetRowPage
    func asset(id: String) async throws -> Asset?
    func communications(_ query: CommunicationQuery) async throws -> CommunicationPage
    func overview() async throws -> Overview
    func changes(_ query: ChangeQuery) async throws -> [StoredChange]
    /// Every communication (the map); at most `limit`.
    func allCommunications(limit: Int) async throws -> [Communication]
    /// Assets for the map: at most `limit`, most recently seen first, and how many there are.
    func mapAssets(limit: Int) async throws -> (assets: [Asset], total: Int)
}

private let nanosecondsPerDay: Int64 = 86_400_000_000_000

extension ConsoleQueries where Self: ConsoleDatabase {
    public func assetPage(_ query: AssetQuery) async throws -> AssetPage {
        let q = query.clamped
        var filter = ConsoleSQL(" FROM assets WHERE 1 = 1")
        if let level = q.level, !level.isEmpty {
            if level == "unknown" { filter.append(" AND level IS NULL") } else { filter.append(" AND level = ?", .text(level)) }
        }
        if let role = q.role, !role.isEmpty { filter.append(" AND role = ?", .text(role)) }
        if let vendor = q.vendor, !vendor.isEmpty { filter.append(" AND vendor = ?", .text(vendor)) }
        if let proto = q.proto, !proto.isEmpty {
            filter.append(
                " AND id IN (SELECT client FROM communications WHERE proto = ? UNION SELECT server FROM communications WHERE proto = ?)",
                .text(proto), .text(proto))
        }
        if let search = q.search?.lowercased(), !search.isEmpty {
            let pattern = ConsoleSQL.Value.text(ConsoleSQL.containsPattern(search))
            // The record holds every identity value (hostnames, module names) and address.
            filter.append(
                " AND (LOWER(id) LIKE ? ESCAPE '\\' OR LOWER(record) LIKE ? ESCAPE '\\')", pattern, pattern)
        }
        let count = ConsoleSQL("SELECT CAST(COUNT(*) AS TEXT)" + filter.sql, filter.values)
        let total = Int((try await consoleRows(count).first?.first ?? nil) ?? "0") ?? 0
        let direction = q.descending ? "DESC" : "ASC"
        // NULLs (no level, no vendor) sort last either way; id breaks ties so pages are stable.
        // The page's ids first, then their records: sorting rows that carry the whole record
        // would move every asset's JSON through the sorter on each request.
        var page = ConsoleSQL("SELECT id" + filter.sql, filter.values)
        let nullsLast = q.sort.nullable ? "(\(q.sort.column) IS NULL), " : ""
        page.append(
            " ORDER BY \(nullsLast)\(q.sort.column) \(direction), id \(direction) LIMIT ? OFFSET ?",
            .integer(Int64(q.pageSize)), .integer(Int64(q.page - 1) * Int64(q.pageSize)))
        let ids = try await consoleRows(page).compactMap { $0.first ?? nil }
        var assets: [Asset] = []
        if !ids.isEmpty {
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            let rows = try await consoleRows(ConsoleSQL(
                "SELECT id, record FROM assets WHERE id IN (\(marks))", ids.map { .text($0) }))
            var records: [String: String] = [:]
            for row in rows where row.count == 2 {
                if let id = row[0], let record = row[1] { records[id] = record }
            }
            for id in ids {
                guard let record = records[id] else { continue }
                assets.append(try StoreCodec.decode(Asset.self, record, what: "asset \(id)"))
            }
        }
        return AssetPage(total: total, page: q.page, pageSize: q.pageSize, assets: assets)
    }

    public func asset(id: String) async throws -> Asset? {
        let rows = try await consoleRows(ConsoleSQL("SELECT record FROM assets WHERE id = ?", [.text(id)]))
        guard let record = rows.first?.first ?? nil else { return nil }
        return try StoreCodec.decode(Asset.self, record, what: "asset \(id)")
    }

    public func communications(_ query: CommunicationQuery) async throws -> CommunicationPage {
        var sql = ConsoleSQL("SELECT record FROM communications WHERE 1 = 1")
        if let asset = query.asset, !asset.isEmpty {
            sql.append(" AND (client = ? OR server = ?)", .text(asset), .text(asset))
        }
        if let proto = query.proto, !proto.isEmpty { sql.append(" AND proto = ?", .text(proto)) }
        sql.append(" LIMIT ?", .integer(Int64(CommunicationQuery.maxScanned)))
        let rows = try await consoleRows(sql)
        var matches: [Communication] = []
        for row in rows {
            guard let record = row.first ?? nil else { continue }
            let c = try StoreCodec.decode(Communication.self, record, what: "communication")
            if let op = query.operation, !op.isEmpty, (c.operations[op] ?? 0) == 0 { continue }
            if let from = query.from, c.lastSeen < from { continue }
            if let to = query.to, c.firstSeen > to { continue }
            matches.append(c)
        }
        matches.sort { ($0.lastSeen, $0.client, $0.server, $0.proto) > ($1.lastSeen, $1.client, $1.server, $1.proto) }
        let size = min(max(query.pageSize, 1), CommunicationQuery.maxPageSize)
        let page = min(max(query.page, 1), 1_000_000)
        let start = min((page - 1) * size, matches.count)
        let end = min(start + size, matches.count)
        return CommunicationPage(
            total: matches.count, page: page, pageSize: size, items: Array(matches[start..<end]),
            truncated: rows.count >= CommunicationQuery.maxScanned)
    }

    public func overview() async throws -> Overview {
        func counted(_ sql: String) async throws -> [CountedValue] {
            try await consoleRows(ConsoleSQL(sql)).map { row in
                CountedValue(value: (row.first ?? nil) ?? "unknown", count: Int((row.last ?? nil) ?? "0") ?? 0)
            }
        }
        func number(_ sql: String) async throws -> Int {
            Int((try await consoleRows(ConsoleSQL(sql)).first?.first ?? nil) ?? "0") ?? 0
        }
        let assets = try await number("SELECT CAST(COUNT(*) AS TEXT) FROM assets")
        let communications = try await number("SELECT CAST(COUNT(*) AS TEXT) FROM communications")
        let byLevel = try await counted(
            "SELECT level, CAST(COUNT(*) AS TEXT) FROM assets GROUP BY level ORDER BY level")
        let byRole = try await counted(
            "SELECT role, CAST(COUNT(*) AS TEXT) FROM assets GROUP BY role ORDER BY COUNT(*) DESC, role")
        let byVendor = try await counted(
            "SELECT vendor, CAST(COUNT(*) AS TEXT) FROM assets GROUP BY vendor ORDER BY COUNT(*) DESC, vendor LIMIT 50")
        let protocols = try await counted(
            "SELECT proto, CAST(COUNT(*) AS TEXT) FROM communications GROUP BY proto ORDER BY COUNT(*) DESC, proto")
        var buckets: [Int64: ActivityBucket] = [:]
        func bucket(_ day: Int64) -> ActivityBucket {
            buckets[day] ?? ActivityBucket(
                start: Timestamp(nanoseconds: day &* nanosecondsPerDay), firstSeen: 0, lastSeen: 0, changes: 0)
        }
        for (column, key) in [("first_seen", 0), ("last_seen", 1)] {
            let sql = "SELECT CAST(\(column) / \(nanosecondsPerDay) AS TEXT), CAST(COUNT(*) AS TEXT) FROM assets GROUP BY \(column) / \(nanosecondsPerDay)"
            for row in try await consoleRows(ConsoleSQL(sql)) {
                guard let day = Int64((row.first ?? nil) ?? ""), let n = Int((row.last ?? nil) ?? "") else { continue }
                var b = bucket(day)
                if key == 0 { b.firstSeen += n } else { b.lastSeen += n }
                buckets[day] = b
            }
        }
        let changeSQL = "SELECT CAST(time / \(nanosecondsPerDay) AS TEXT), CAST(COUNT(*) AS TEXT) FROM changes GROUP BY time / \(nanosecondsPerDay)"
        for row in try await consoleRows(ConsoleSQL(changeSQL)) {
            guard let day = Int64((row.first ?? nil) ?? ""), let n = Int((row.last ?? nil) ?? "") else { continue }
            var b = bucket(day)
            b.changes += n
            buckets[day] = b
        }
        let captures = try await consoleRows(ConsoleSQL(
            "SELECT fingerprint, path, CAST(bytes AS TEXT), CAST(packets AS TEXT), CAST(analysed_at AS TEXT) FROM captures ORDER BY captures.analysed_at, captures.path"
        )).map { row in
            CaptureRecord(
                fingerprint: (row[0]) ?? "", path: row[1] ?? "", bytes: Int64(row[2] ?? "") ?? 0,
                packets: Int64(row[3] ?? "") ?? 0, analysedAt: Timestamp(nanoseconds: Int64(row[4] ?? "") ?? 0))
        }
        return Overview(
            assets: assets, communications: communications, byLevel: byLevel, byRole: byRole, byVendor: byVendor,
            protocols: protocols, activity: buckets.values.sorted { $0.start < $1.start }.suffix(366).map { $0 },
            captures: captures)
    }

    public func changes(_ query: ChangeQuery) async throws -> [StoredChange] {
        var sql = ConsoleSQL(
            "SELECT CAST(seq AS TEXT), CAST(time AS TEXT), asset_id, kind, field, previous, current, source, text FROM changes WHERE 1 = 1"
        )
        if let asset = query.asset { sql.append(" AND asset_id = ?", .text(asset)) }
        if let after = query.afterSeq { sql.append(" AND seq > ?", .integer(after)) }
        // Qualified: PostgreSQL would otherwise order by the selected text column of the same name.
        sql.append(query.newestFirst ? " ORDER BY changes.seq DESC" : " ORDER BY changes.seq ASC")
        sql.append(" LIMIT ?", .integer(Int64(min(max(query.limit, 1), ChangeQuery.maxLimit))))
        return try await consoleRows(sql).compactMap { row in
            guard row.count == 9, let seq = Int64(row[0] ?? ""), let time = Int64(row[1] ?? "") else { return nil }
            let change = try StoreRows.change(
                time: time, asset: row[2] ?? "", kind: row[3] ?? "", field: row[4] ?? "", previous: row[5],
                current: row[6] ?? "", source: row[7], text: row[8] ?? "")
            return StoredChange(seq: seq, change: change)
        }
    }

    public func allCommunications(limit: Int) async throws -> [Communication] {
        let sql = ConsoleSQL(
            "SELECT record FROM communications ORDER BY client, server, proto LIMIT ?", [.integer(Int64(max(limit, 0)))])
        return try await consoleRows(sql).compactMap { row in
            guard let record = row.first ?? nil else { return nil }
            return try StoreCodec.decode(Communication.self, record, what: "communication")
        }
    }

    public func mapAssets(limit: Int) async throws -> (assets: [Asset], total: Int) {
        let total = Int((try await consoleRows(ConsoleSQL("SELECT CAST(COUNT(*) AS TEXT) FROM assets")).first?.first ?? nil)
            ?? "0") ?? 0
        let rows = try await consoleRows(ConsoleSQL(
            "SELECT record FROM assets ORDER BY last_seen DESC, id LIMIT ?", [.integer(Int64(max(limit, 0)))]))
        let assets = try rows.compactMap { row -> Asset? in
            guard let record = row.first ?? nil else { return nil }
            return try StoreCodec.decode(Asset.self, record, what: "asset")
        }
        return (assets, total)
    }
}

extension ConsoleQueries where Self: ConsoleDatabase {
    /// The asset list from `asset_list`; a store committed before that table existed (it is empty
    /// while `assets` is not, until the next commit) is listed from the records as before.
    public func assetRows(_ query: AssetQuery) async throws -> AssetRowPage {
        let q = query.clamped
        let filter = Self.assetListFilter(q)
        let offset = Int64(q.page - 1) * Int64(q.pageSize)
        let limit = Int64(q.pageSize)
        let direction = q.descending ? "DESC" : "ASC"
        let column = q.sort.column
        // Usually one statement: the page of rows with a value in the sort column, with the total and
        // the count of such rows as uncorrelated subqueries (run once). A nullable sort whose page
        // reaches the rows without a value goes on below.
        // `vendor = ?` or `level = ?` leaves no NULL in the sort column: no second pass, no second count.
        let nullable = q.sort.nullable && !(Self.filterFixes(q.sort, q) && q.level != "unknown")
        let nonNull = nullable ? " AND asset_list.\(column) IS NOT NULL" : ""
        let valued = nullable ? "CAST((SELECT COUNT(*)" + filter.sql + nonNull + ") AS TEXT)" : "'0'"
        var page = ConsoleSQL(
            Self.assetListColumns + ", CAST((SELECT COUNT(*)" + filter.sql + ") AS TEXT), " + valued + filter.sql
                + nonNull,
            filter.values + (nullable ? filter.values : []) + filter.values)
        page.append(
            " ORDER BY asset_list.\(column) \(direction), asset_list.id \(direction) LIMIT ? OFFSET ?",
            .integer(limit), .integer(offset))
        let cells = try await consoleRows(page)
        if let first = cells.first, first.count == 13, let total = Int(first[11] ?? ""),
            let withValue = Int64(first[12] ?? "")
        {
            var rows = cells.compactMap(Self.listRow)
            if nullable && Int64(rows.count) < limit && offset + Int64(rows.count) < Int64(total) {
                rows += try await nullRows(
                    q, filter, limit: limit - Int64(rows.count), skip: max(0, offset - withValue))
            }
            return AssetRowPage(total: total, page: q.page, pageSize: q.pageSize, rows: rows)
        }
        // No row with a value on this page: nothing at all, a page past the end, or one of the
        // rows without a value.
        let count = ConsoleSQL("SELECT CAST(COUNT(*) AS TEXT)" + filter.sql, filter.values)
        let total = Int((try await consoleRows(count).first?.first ?? nil) ?? "0") ?? 0
        if total == 0 {
            // Nothing listed: an empty answer, or a store committed before `asset_list` existed.
            let probe = try await consoleRows(ConsoleSQL(
                "SELECT CAST((SELECT COUNT(*) FROM (SELECT 1 FROM asset_list LIMIT 1) AS l) AS TEXT), "
                    + "CAST((SELECT COUNT(*) FROM (SELECT 1 FROM assets LIMIT 1) AS a) AS TEXT)"))
            if let cells = probe.first, cells.count == 2, cells[0] == "0", cells[1] != "0" {
                let page = try await assetPage(q)
                return AssetRowPage(
                    total: page.total, page: page.page, pageSize: page.pageSize,
                    rows: page.assets.map(AssetListRow.init))
            }
        }
        guard q.sort.nullable else {
            // A page past the end.
            return AssetRowPage(total: total, page: q.page, pageSize: q.pageSize, rows: [])
        }
        // NULLs (no level, no vendor) last either way: the rows with a value, then those without,
        // each read in index order (an `IS NULL` term in ORDER BY would sort every row instead).
        let present = ConsoleSQL(
            "SELECT CAST(COUNT(*) AS TEXT)" + filter.sql + " AND asset_list.\(column) IS NOT NULL", filter.values)
        let withValue: Int64
        if Self.filterFixes(q.sort, q) {
            // `vendor = ?` or `level = ?` leaves no NULL to sort after (`level IS NULL` leaves only them).
            withValue = q.sort == .level && q.level == "unknown" ? 0 : Int64(total)
        } else {
            withValue = total == 0 ? 0 : Int64((try await consoleRows(present).first?.first ?? nil) ?? "0") ?? 0
        }
        var rows: [AssetListRow] = []
        if offset < withValue {
            var page = ConsoleSQL(
                Self.assetListColumns + filter.sql + " AND asset_list.\(column) IS NOT NULL", filter.values)
            page.append(
                " ORDER BY asset_list.\(column) \(direction), asset_list.id \(direction) LIMIT ? OFFSET ?",
                .integer(limit), .integer(offset))
            rows = try await listRows(page)
        }
        if Int64(rows.count) < limit && offset + Int64(rows.count) < Int64(total) {
            rows += try await nullRows(q, filter, limit: limit - Int64(rows.count), skip: max(0, offset - withValue))
        }
        return AssetRowPage(total: total, page: q.page, pageSize: q.pageSize, rows: rows)
    }

    /// The rows without a value in the (nullable) sort column, by id: they follow all the others.
    private func nullRows(_ q: AssetQuery, _ filter: ConsoleSQL, limit: Int64, skip: Int64) async throws
        -> [AssetListRow]
    {
        var page = ConsoleSQL(
            Self.assetListColumns + filter.sql + " AND asset_list.\(q.sort.column) IS NULL", filter.values)
        page.append(
            " ORDER BY asset_list.id \(q.descending ? "DESC" : "ASC") LIMIT ? OFFSET ?", .integer(limit),
            .integer(skip))
        return try await listRows(page)
    }

    /// Whether the filter pins the (nullable) sort column, so no count of its NULLs is needed.
    static func filterFixes(_ sort: AssetSort, _ q: AssetQuery) -> Bool {
        switch sort {
        case .vendor: !(q.vendor ?? "").isEmpty
        case .level: !(q.level ?? "").isEmpty
        default: false
        }
    }

    static var assetListColumns: String {
        """
        SELECT asset_list.id, role, level, vendor, model, firmware, CAST(first_seen AS TEXT), \
        CAST(last_seen AS TEXT), hostname, addresses, protocols
        """
    }

    /// `FROM asset_list WHERE …` for the list's filters, every value bound.
    static func assetListFilter(_ q: AssetQuery) -> ConsoleSQL {
        var filter = ConsoleSQL(" FROM asset_list WHERE 1 = 1")
        if let level = q.level, !level.isEmpty {
            if level == "unknown" { filter.append(" AND level IS NULL") } else { filter.append(" AND level = ?", .text(level)) }
        }
        if let role = q.role, !role.isEmpty { filter.append(" AND role = ?", .text(role)) }
        if let vendor = q.vendor, !vendor.isEmpty { filter.append(" AND vendor = ?", .text(ColumnText.of(vendor))) }
        if let proto = q.proto, !proto.isEmpty {
            filter.append(
                " AND asset_list.id IN (SELECT client FROM communications WHERE proto = ? UNION SELECT server FROM communications WHERE proto = ?)",
                .text(proto), .text(proto))
        }
        if let search = q.search?.lowercased(), !search.isEmpty {
            filter.append(
                " AND search LIKE ? ESCAPE '\\'", .text(ConsoleSQL.containsPattern(ColumnText.of(search))))
        }
        return filter
    }

    private func listRows(_ query: ConsoleSQL) async throws -> [AssetListRow] {
        try await consoleRows(query).compactMap(Self.listRow)
    }

    /// A row of `assetListColumns` (and anything after them).
    static func listRow(_ cells: [String?]) -> AssetListRow? {
        guard cells.count >= 11, let id = cells[0] else { return nil }
        return AssetListRow(
            id: id, role: cells[1] ?? "unknown", level: cells[2], vendor: cells[3], model: cells[4],
            firmware: cells[5], hostname: cells[8], addresses: Self.lines(cells[9]), protocols: Self.lines(cells[10]),
            firstSeen: Timestamp(nanoseconds: Int64(cells[6] ?? "") ?? 0),
            lastSeen: Timestamp(nanoseconds: Int64(cells[7] ?? "") ?? 0))
    }

    static func lines(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "\n").map(String.init)
    }
}
