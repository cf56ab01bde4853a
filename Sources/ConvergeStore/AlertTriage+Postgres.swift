import ConvergeModel
import PostgresNIO

extension PostgresStore: ConsoleAlertQueries {
    @discardableResult
    public func triage(
        ids: [String], state: Alert.TriageState, note: String, by user: String
    ) async throws
        -> TriageResult
    {
        let ids = TriageLimits.unique(ids)
        let now = Timestamp.now.nanoseconds
        let note = ColumnText.of(String(note.prefix(TriageLimits.maxNoteLength)))
        let user = ColumnText.of(user)
        return try await run("triage alerts") {
            do {
                // One transaction: every id changes, or (an unknown id) none does.
                try await connection.withTransaction(logger: logger) { c in
                    var missing: [String] = []
                    for id in ids {
                        let key = ColumnText.of(id)
                        var found = false
                        for try await _ in try await c.query(
                            "UPDATE alerts SET state = \(state.rawValue) WHERE id = \(key) RETURNING id", logger: logger
                        ).decode(String.self) {
                            found = true
                        }
                        guard found else {
                            missing.append(id)
                            continue
                        }
                        try await c.query(
                            """
                            INSERT INTO alert_triage (alert_id, time, state, note, by_user)
                            VALUES (\(key), \(now), \(state.rawValue), \(note), \(user))
                            """, logger: logger)
                    }
                    if !missing.isEmpty { throw UnknownAlerts(ids: missing) }
                }
                return TriageResult(updated: ids, missing: [])
            } catch let error as PostgresTransactionError {
                // The transaction was rolled back; an unknown id is an answer, anything else an error.
                guard let unknown = error.closureError as? UnknownAlerts, error.rollbackError == nil else {
                    throw error
                }
                return TriageResult(updated: [], missing: unknown.ids)
            }
        }
    }
}
