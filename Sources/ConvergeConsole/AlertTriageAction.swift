import ConvergeModel
import ConvergeStore

/// Triage as the pages and the API do it: analysts and admins only, the state and ids checked,
/// one store transaction for all ids, and one audit row per alert changed.
struct AlertTriageAction {
    let state: ConsoleState

    /// Changes the alerts and returns their ids; a ConsoleError (400, 403, 404) says why not.
    func apply(ids: [String], state newState: String, note: String, context: ConsoleContext) async throws -> [String] {
        let session = try UserAdminRoutes.require(.analyst, context)
        guard let target = Alert.TriageState(rawValue: newState) else {
            throw ConsoleError(.badRequest, "state must be new, acknowledged or closed")
        }
        guard !ids.isEmpty else { throw ConsoleError(.badRequest, "no alert selected") }
        guard ids.count <= TriageLimits.maxIDs else {
            throw ConsoleError(.badRequest, "at most \(TriageLimits.maxIDs) alerts at once")
        }
        guard ids.allSatisfy({ !$0.isEmpty && $0.utf8.count <= TriageLimits.maxIDLength }) else {
            throw ConsoleError(.badRequest, "an alert id is empty or too long")
        }
        let note = String(note.prefix(TriageLimits.maxNoteLength))
        let result = try await state.store.triage(ids: ids, state: target, note: note, by: session.user)
        guard result.missing.isEmpty else {
            let shown = result.missing.prefix(5).joined(separator: ", ")
            let more = result.missing.count > 5 ? " and \(result.missing.count - 5) more" : ""
            throw ConsoleError(.notFound, "no alert with id \(shown)\(more); nothing was changed")
        }
        for id in result.updated {
            await state.audit(
                context, user: session.user, action: "alert_triage", target: id,
                detail: "state \(target.rawValue)" + (note.isEmpty ? "" : "; note: \(note)"))
        }
        return result.updated
    }

    /// Whether this session may triage (the pages show the controls only then).
    static func allowed(_ session: ConsoleSession?) -> Bool { (session?.role ?? .viewer) >= .analyst }
}
