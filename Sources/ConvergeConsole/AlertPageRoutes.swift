import ConvergeModel
import ConvergeStore
import Hummingbird

/// The alert pages: the list, one alert, its evidence pcap, and the triage form posts.
struct AlertPageRoutes {
    let state: ConsoleState

    func add(to router: Router<ConsoleContext>) {
        router.get("/static/alerts.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: AlertStyles.css)))
        }
        router.get("/alerts") { request, context in
            let query = try await AlertQueryParsing.widened(try AlertQueryParsing.query(request), store: state.store)
            let result = try await state.store.alertPage(query)
            let counts = try await state.store.alertCounts()
            let assetIDs = try await state.store.assetIDs(for: result.alerts.flatMap(\.assets))
            return Layout.page(title: "Alerts", section: .alerts, session: context.session) { page in
                AlertListPage.render(
                    result, counts: counts, assetIDs: assetIDs, request, session: context.session, &page)
            }
        }
        router.post("/alerts/triage") { request, context in
            var request = request
            let form = AlertForm(try await request.collectBody(upTo: SessionMiddleware.maxFormBytes))
            _ = try await AlertTriageAction(state: state).apply(
                ids: form.values("id"), state: form.value("state") ?? "", note: form.value("note") ?? "",
                context: context)
            return Response(status: .seeOther, headers: [.location: Self.back(form.value("back"))])
        }
        router.get("/alerts/{id}") { _, context in
            let alert = try await alert(context)
            let history = try await state.store.triageLog(id: alert.id)
            let assetIDs = try await state.store.assetIDs(for: alert.assets)
            return Layout.page(title: alert.title, section: .alerts, session: context.session) { page in
                AlertDetailPage.render(alert, history: history, assetIDs: assetIDs, session: context.session, &page)
            }
        }
        router.post("/alerts/{id}/triage") { request, context in
            let id = try Self.alertID(context)
            var request = request
            let form = AlertForm(try await request.collectBody(upTo: SessionMiddleware.maxFormBytes))
            _ = try await AlertTriageAction(state: state).apply(
                ids: [id], state: form.value("state") ?? "", note: form.value("note") ?? "", context: context)
            return Response(status: .seeOther, headers: [.location: AlertHTML.href(id)])
        }
        router.get("/alerts/{id}/evidence.pcap") { _, context in
            try await AlertEvidence.response(try await alert(context))
        }
    }

    private func alert(_ context: ConsoleContext) async throws -> Alert {
        guard let alert = try await state.store.alert(id: try Self.alertID(context)) else {
            throw ConsoleError(.notFound, "no alert with that id")
        }
        return alert
    }

    static func alertID(_ context: ConsoleContext) throws -> String {
        guard let raw = context.parameters.get("id") else { throw ConsoleError(.notFound, "no alert id") }
        let id = raw.pathDecoded
        guard !id.isEmpty, id.utf8.count <= TriageLimits.maxIDLength else {
            throw ConsoleError(.notFound, "no alert with that id")
        }
        return id
    }

    /// Where a bulk triage returns: the list it came from, never another site (`//host`) or page.
    static func back(_ value: String?) -> String {
        guard let value, value == "/alerts" || value.hasPrefix("/alerts?"), value.utf8.count <= 2000,
            !value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\\" })
        else { return "/alerts" }
        return value
    }
}
