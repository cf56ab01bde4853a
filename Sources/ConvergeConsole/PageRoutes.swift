import ConvergeStore
import Hummingbird

/// The signed-in pages: overview, assets, one asset, conversations, the map.
struct PageRoutes {
    let state: ConsoleState
    /// Communications loaded for the map at most.
    static let mapCommunications = 100_000
    /// Assets loaded for the map at most (beyond `MapSVG.maxNodes` they are aggregated).
    static let mapAssets = 50_000

    func add(to router: Router<ConsoleContext>) {
        AlertPageRoutes(state: state).add(to: router)
        router.get("/") { _, context in
            let overview = try await state.store.overview()
            let alertCounts = try await state.store.alertCounts()
            var latest = AlertQuery()
            latest.pageSize = 10
            latest.state = .new
            latest.sort = .severity
            let newAlerts = try await state.store.alertPage(latest).alerts
            return Layout.page(title: "Overview", section: .overview, session: context.session) { page in
                OverviewPage.renderAlerts(alertCounts, newest: newAlerts, &page)
                OverviewPage.render(overview, &page)
            }
        }
        router.get("/assets") { request, context in
            let result = try await state.store.assetRows(try QueryParsing.assetQuery(request))
            return Layout.page(title: "Assets", section: .assets, session: context.session) { page in
                AssetListPage.render(result, request, &page)
            }
        }
        router.get("/assets/{id}") { request, context in
            let id = try Self.assetID(context)
            guard let asset = try await state.store.asset(id: id) else {
                throw ConsoleError(.notFound, "no asset with that id")
            }
            var conversations = CommunicationQuery()
            conversations.asset = id
            conversations.pageSize = CommunicationQuery.maxPageSize
            let communications = try await state.store.communications(conversations).items
            var changeQuery = ChangeQuery()
            changeQuery.asset = id
            let changes = try await state.store.changes(changeQuery)
            let alerts = try await state.store.alerts(ofAsset: id, limit: AssetDetailPage.maxAlerts)
            return Layout.page(title: asset.displayName, section: .assets, session: context.session) { page in
                AssetDetailPage.render(asset, communications: communications, changes: changes, &page)
                AssetDetailPage.renderAlerts(alerts, assetID: id, &page)
            }
        }
        router.get("/conversations") { request, context in
            let result = try await state.store.communications(try QueryParsing.communicationQuery(request))
            return Layout.page(title: "Conversations", section: .conversations, session: context.session) { page in
                ConversationsPage.render(result, request, &page)
            }
        }
        router.get("/map") { _, context in
            let (svg, aggregated, total) = try await map()
            return Layout.page(title: "Map", section: .map, session: context.session) { page in
                page.raw("<p class=\"legend\"><span class=\"key ot\">OT protocol</span> ")
                page.raw("<span class=\"key infrastructure\">infrastructure</span> <span class=\"key it\">IT</span> ")
                page.raw("<span class=\"key risky\">crosses two or more levels, or IT straight into OT</span> ")
                page.text(aggregated ? "· \(total) assets, shown by subnet" : "· \(total) assets")
                page.raw(" · drag to pan, wheel to zoom, double-click to reset</p><div class=\"map-frame\">")
                page.raw(svg)  // built by MapSVG, which escapes every string it places
                page.raw("</div>")
            }
        }
        router.get("/map.svg") { _, _ in
            let (svg, _, _) = try await map()
            return Response(
                status: .ok, headers: [.contentType: "image/svg+xml"], body: .init(byteBuffer: ByteBuffer(string: svg)))
        }
        ZoneRoutes(state: state).add(to: router)
    }

    private func map() async throws -> (String, Bool, Int) {
        let (assets, total) = try await state.store.mapAssets(limit: Self.mapAssets)
        let communications = try await state.store.allCommunications(limit: Self.mapCommunications)
        // Grouped by zone inside each band when a policy is known, by subnet otherwise.
        let zones = (try? await state.zoneView())??.membership
        let drawn = MapSVG.render(assets: assets, total: total, communications: communications, zones: zones)
        return (drawn.svg, drawn.aggregated, total)
    }

    static func assetID(_ context: ConsoleContext) throws -> String {
        guard let raw = context.parameters.get("id") else { throw ConsoleError(.notFound, "no asset id") }
        let id = raw.pathDecoded
        guard id.utf8.count <= 300 else { throw ConsoleError(.notFound, "no asset with that id") }
        return id
    }
}
