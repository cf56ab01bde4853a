import ConvergeModel
import GRDB

extension SQLiteStore: ConsoleAlertQueries {
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
        do {
            // One write transaction: every id changes, or (an unknown id) none does.
            try await pool.write { db in
                let update = try db.cachedStatement(sql: "UPDATE alerts SET state = ? WHERE id = ?")
                let log = try db.cachedStatement(
                    sql: "INSERT INTO alert_triage (alert_id, time, state, note, by_user) VALUES (?, ?, ?, ?, ?)")
                var missing: [String] = []
                for id in ids {
                    let key = ColumnText.of(id)
                    try update.execute(arguments: [state.rawValue, key])
                    guard db.changesCount > 0 else {
                        missing.append(id)
                        continue
                    }
                    try log.execute(arguments: [key, now, state.rawValue, note, user])
                }
                if !missing.isEmpty { throw UnknownAlerts(ids: missing) }
            }
            return TriageResult(updated: ids, missing: [])
        } catch let unknown as UnknownAlerts {
            return TriageResult(updated: [], missing: unknown.ids)
        } catch let error as DatabaseError {
            throw StoreError("store \(path): cannot triage alerts: \(error.message ?? "\(error)")")
        }
    }
}
