import ConvergeModel
import ConvergeStore
import Foundation
import Hummingbird

/// `/api/alerts*`: the alert list and one alert as JSON, the evidence pcap, and triage (one alert
/// or many) for analysts and admins, with the CSRF header like every state-changing request.
struct AlertAPIRoutes {
    let state: ConsoleState
    /// The largest JSON triage body read.
    static let maxBodyBytes = 256 * 1024

    func add(to api: RouterGroup<ConsoleContext>) {
        api.get("alerts") { request, _ in
            let query = try await AlertQueryParsing.widened(try AlertQueryParsing.query(request), store: state.store)
            let page = try await state.store.alertPage(query)
            return JSONOut.response(
                AlertJSON.List(
                    total: page.total, page: page.page, perPage: page.pageSize, truncated: page.truncated,
                    alerts: page.alerts.map(AlertJSON.AlertOut.init), counts: try await state.store.alertCounts()))
        }
        api.post("alerts/triage") { request, context in
            let body = try await Self.decode(
                AlertJSON.BulkTriageIn.self, request, context, expected: "{\"ids\", \"state\", \"note\"}")
            let updated = try await AlertTriageAction(state: state).apply(
                ids: body.ids, state: body.state, note: body.note ?? "", context: context)
            return JSONOut.response(AlertJSON.TriageDone(updated: updated, state: body.state))
        }
        api.get("alerts/{id}") { _, context in
            let alert = try await alert(context)
            return JSONOut.response(
                AlertJSON.Detail(
                    alert: AlertJSON.AlertOut(alert),
                    triage: try await state.store.triageLog(id: alert.id).map(AlertJSON.TriageOut.init),
                    assetIDs: try await state.store.assetIDs(for: alert.assets)))
        }
        api.get("alerts/{id}/evidence.pcap") { _, context in
            try await AlertEvidence.response(try await alert(context))
        }
        api.post("alerts/{id}/triage") { request, context in
            let id = try AlertPageRoutes.alertID(context)
            let body = try await Self.decode(
                AlertJSON.TriageIn.self, request, context, expected: "{\"state\", \"note\"}")
            let updated = try await AlertTriageAction(state: state).apply(
                ids: [id], state: body.state, note: body.note ?? "", context: context)
            return JSONOut.response(AlertJSON.TriageDone(updated: updated, state: body.state))
        }
    }

    private func alert(_ context: ConsoleContext) async throws -> Alert {
        let id = try AlertPageRoutes.alertID(context)
        guard let alert = try await state.store.alert(id: id) else {
            throw ConsoleError(.notFound, "no alert with id \(id)")
        }
        return alert
    }

    /// The JSON body, or 400 naming what was expected. The role is checked first: a viewer hears 403
    /// whatever they sent.
    private static func decode<T: Decodable>(
        _ type: T.Type, _ request: Request, _ context: ConsoleContext, expected: String
    ) async throws -> T {
        _ = try UserAdminRoutes.require(.analyst, context)
        var request = request
        let buffer = try await request.collectBody(upTo: maxBodyBytes)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch {
            throw ConsoleError(.badRequest, "expected \(expected)")
        }
    }
}
