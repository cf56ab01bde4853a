import ConvergeDetection
import ConvergeModel
import Foundation
import GRDB

extension SQLiteStore: DetectionStore {
    public func commitAlerts(_ alerts: [Alert]) async throws {
        try wrap("write alerts") { try pool.write { db in try Self.upsertAlerts(alerts, db) } }
    }

    /// A run's detection output, inside the run's commit transaction.
    static func writeDetection(_ update: DetectionUpdate, _ db: Database) throws {
        try upsertAlerts(update.alerts, db)
        if let baseline = update.baseline { try replaceBaseline(baseline, db) }
    }

    static func upsertAlerts(_ alerts: [Alert], _ db: Database) throws {
        let select = try db.cachedStatement(sql: "SELECT record, state FROM alerts WHERE id = ?")
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO alerts (id, rule, severity, severity_rank, state, first_seen, last_seen, count, record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET rule = excluded.rule, severity = excluded.severity,
                    severity_rank = excluded.severity_rank, first_seen = excluded.first_seen,
                    last_seen = excluded.last_seen, count = excluded.count, record = excluded.record
                """)
        for alert in Alert.folded(alerts) {
            var row = alert
            if let stored = try Row.fetchOne(select, arguments: [ColumnText.of(alert.id)]) {
                var old = try StoreCodec.decode(Alert.self, stored[0], what: "alert \(alert.id)")
                old.state = Alert.TriageState(rawValue: stored[1]) ?? old.state
                row = old.merged(with: alert)
            }
            try upsert.execute(arguments: [
                ColumnText.of(row.id), ColumnText.of(row.rule), row.severity.rawValue, row.severity.rank,
                row.state.rawValue,
                row.firstSeen.nanoseconds, row.lastSeen.nanoseconds, Int64(row.count), try StoreCodec.encode(row),
            ])
        }
    }

    public func alerts(_ filter: AlertFilter) async throws -> [Alert] {
        try wrap("read alerts") {
            try pool.read { db in
                var sql = "SELECT id, state, record FROM alerts WHERE severity_rank >= ?"
                var arguments: StatementArguments = [filter.minimumSeverity?.rank ?? 0]
                if let rule = filter.rule {
                    sql += " AND rule = ?"
                    arguments += [ColumnText.of(rule)]
                }
                if let state = filter.state {
                    sql += " AND state = ?"
                    arguments += [state.rawValue]
                }
                sql += " ORDER BY last_seen DESC, id LIMIT ?"
                arguments += [filter.limit]
                return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    try Self.alert(id: row[0], state: row[1], record: row[2])
                }
            }
        }
    }

    public func alert(id: String) async throws -> Alert? {
        try wrap("read alerts") {
            try pool.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT id, state, record FROM alerts WHERE id = ?", arguments: [ColumnText.of(id)]
                ).map {
                    try Self.alert(id: $0[0], state: $0[1], record: $0[2])
                }
            }
        }
    }

    /// The stored record, with the state column (set by triage) as the authority.
    static func alert(id: String, state: String, record: String) throws -> Alert {
        var alert = try StoreCodec.decode(Alert.self, record, what: "alert \(id)")
        alert.state = Alert.TriageState(rawValue: state) ?? alert.state
        return alert
    }

    @discardableResult
    public func setTriage(id: String, state: Alert.TriageState, note: String, by user: String) async throws -> Bool {
        let now = Timestamp.now
        return try wrap("triage alert") {
            try pool.write { db in
                try db.execute(
                    sql: "UPDATE alerts SET state = ? WHERE id = ?", arguments: [state.rawValue, ColumnText.of(id)])
                guard db.changesCount > 0 else { return false }
                try db.execute(
                    sql: "INSERT INTO alert_triage (alert_id, time, state, note, by_user) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        ColumnText.of(id), now.nanoseconds, state.rawValue, ColumnText.of(note), ColumnText.of(user),
                    ])
                return true
            }
        }
    }

    public func triageLog(id: String) async throws -> [TriageEntry] {
        try wrap("read triage") {
            try pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT time, state, note, by_user FROM alert_triage WHERE alert_id = ? ORDER BY seq",
                    arguments: [ColumnText.of(id)]
                ).map {
                    TriageEntry(
                        time: Timestamp(nanoseconds: $0[0]), state: Alert.TriageState(rawValue: $0[1]) ?? .new,
                        note: $0[2], user: $0[3])
                }
            }
        }
    }
}

extension Timestamp {
    /// The wall clock, for triage entries.
    static var now: Timestamp { Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9)) }
}
