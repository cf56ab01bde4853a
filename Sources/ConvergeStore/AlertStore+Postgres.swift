import ConvergeDetection
import ConvergeModel
import PostgresNIO

extension PostgresStore: DetectionStore {
    public func commitAlerts(_ alerts: [Alert]) async throws {
        try await run("write alerts") {
            try await connection.withTransaction(logger: logger) { c in try await upsertAlerts(alerts, c) }
        }
    }

    /// A run's detection output, inside the run's commit transaction.
    func writeDetection(_ update: DetectionUpdate, _ c: PostgresConnection) async throws {
        try await upsertAlerts(update.alerts, c)
        if let baseline = update.baseline { try await replaceBaseline(baseline, c) }
    }

    func upsertAlerts(_ alerts: [Alert], _ c: PostgresConnection) async throws {
        for alert in Alert.folded(alerts) {
            var row = alert
            let key = ColumnText.of(alert.id)
            // FOR UPDATE: a concurrent run merging the same alert waits for this one.
            for try await (record, state) in try await c.query(
                "SELECT record, state FROM alerts WHERE id = \(key) FOR UPDATE", logger: logger
            ).decode((String, String).self) {
                row = try SQLiteStore.alert(id: alert.id, state: state, record: record).merged(with: alert)
            }
            let record = try StoreCodec.encode(row)
            let count = Int64(row.count)
            let rule = ColumnText.of(row.rule)
            try await c.query(
                """
                INSERT INTO alerts (id, rule, severity, severity_rank, state, first_seen, last_seen, count, record)
                VALUES (\(key), \(rule), \(row.severity.rawValue), \(row.severity.rank), \(row.state.rawValue),
                    \(row.firstSeen.nanoseconds), \(row.lastSeen.nanoseconds), \(count), \(record))
                ON CONFLICT (id) DO UPDATE SET rule = excluded.rule, severity = excluded.severity,
                    severity_rank = excluded.severity_rank, first_seen = excluded.first_seen,
                    last_seen = excluded.last_seen, count = excluded.count, record = excluded.record
                """, logger: logger)
        }
    }

    public func alerts(_ filter: AlertFilter) async throws -> [Alert] {
        try await run("read alerts") {
            let rank = filter.minimumSeverity?.rank ?? 0
            // Unset filters bind NULL and match everything.
            let rule = filter.rule.map(ColumnText.of)
            let state = filter.state?.rawValue
            var out: [Alert] = []
            for try await (id, stored, record) in try await connection.query(
                """
                SELECT id, state, record FROM alerts
                WHERE severity_rank >= \(rank) AND (\(rule)::TEXT IS NULL OR rule = \(rule))
                    AND (\(state)::TEXT IS NULL OR state = \(state))
                ORDER BY last_seen DESC, id LIMIT \(filter.limit)
                """, logger: logger
            ).decode((String, String, String).self) {
                out.append(try SQLiteStore.alert(id: id, state: stored, record: record))
            }
            return out
        }
    }

    public func alert(id: String) async throws -> Alert? {
        let key = ColumnText.of(id)
        return try await run("read alerts") {
            for try await (stored, record) in try await connection.query(
                "SELECT state, record FROM alerts WHERE id = \(key)", logger: logger
            ).decode((String, String).self) {
                return try SQLiteStore.alert(id: id, state: stored, record: record)
            }
            return nil
        }
    }

    @discardableResult
    public func setTriage(id: String, state: Alert.TriageState, note: String, by user: String) async throws -> Bool {
        let now = Timestamp.now.nanoseconds
        let key = ColumnText.of(id)
        let note = ColumnText.of(note)
        let user = ColumnText.of(user)
        return try await run("triage alert") {
            try await connection.withTransaction(logger: logger) { c in
                var found = false
                for try await _ in try await c.query(
                    "UPDATE alerts SET state = \(state.rawValue) WHERE id = \(key) RETURNING id", logger: logger
                ).decode(String.self) {
                    found = true
                }
                guard found else { return false }
                try await c.query(
                    """
                    INSERT INTO alert_triage (alert_id, time, state, note, by_user)
                    VALUES (\(key), \(now), \(state.rawValue), \(note), \(user))
                    """, logger: logger)
                return true
            }
        }
    }

    public func triageLog(id: String) async throws -> [TriageEntry] {
        let key = ColumnText.of(id)
        return try await run("read triage") {
            var out: [TriageEntry] = []
            for try await (time, state, note, user) in try await connection.query(
                "SELECT time, state, note, by_user FROM alert_triage WHERE alert_id = \(key) ORDER BY seq",
                logger: logger
            ).decode((Int64, String, String, String).self) {
                out.append(
                    TriageEntry(
                        time: Timestamp(nanoseconds: time), state: Alert.TriageState(rawValue: state) ?? .new,
                        note: note,
                        user: user))
            }
            return out
        }
    }
}
