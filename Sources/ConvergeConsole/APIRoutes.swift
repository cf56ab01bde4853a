import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation
import HTTPTypes
import Hummingbird

/// The JSON API: everything the pages show. Errors are `{"error": "..."}`; unknown ids are 404.
struct APIRoutes {
    let state: ConsoleState

    struct AssetList: Encodable {
        var total: Int
        var page: Int
        var perPage: Int
        var assets: [AssetSummary]
    }

    struct AssetDetail: Encodable {
        var asset: Asset
        var summary: AssetSummary
        var communications: [Communication]
        var changes: [ChangeOut]
        /// The asset's alerts, most recently seen first (at most `AssetDetailPage.maxAlerts`).
        var alerts: [AlertJSON.AlertOut]
    }

    struct CommunicationList: Encodable {
        var total: Int
        var page: Int
        var perPage: Int
        var truncated: Bool
        var communications: [Communication]
    }

    struct ChangeOut: Encodable {
        var seq: Int64
        var time: String
        var asset: String
        var kind: String
        var field: String?
        var previous: String?
        var current: String?
        var source: String?
        var text: String

        init(_ stored: StoredChange) {
            let c = stored.change
            seq = stored.seq
            time = c.time.iso
            asset = c.asset
            kind = c.kind.rawValue
            field = c.field
            previous = c.previous
            current = c.current
            source = c.source
            text = c.text
        }
    }

    struct OverviewOut: Encodable {
        var assets: Int
        var communications: Int
        var byLevel: [CountedValue]
        var byRole: [CountedValue]
        var byVendor: [CountedValue]
        var protocols: [CountedValue]
        var activity: [Bucket]
        var captures: [Capture]
        var alerts: AlertCounts

        struct Bucket: Encodable {
            var day: String
            var firstSeen: Int
            var lastSeen: Int
            var changes: Int
        }
        struct Capture: Encodable {
            var path: String
            var fingerprint: String
            var bytes: Int64
            var packets: Int64
            var analysedAt: String
        }
    }

    struct UserOut: Encodable {
        var name: String
        var role: String
        var createdAt: String
    }

    struct NewUser: Decodable {
        var name: String
        var role: String
        var password: String
    }

    func add(to router: Router<ConsoleContext>) {
        let api = router.group("api")
        AlertAPIRoutes(state: state).add(to: api)
        api.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        api.get("me") { _, context in
            let session = try UserAdminRoutes.require(.viewer, context)
            return JSONOut.response(["name": session.user, "role": session.role.rawValue, "csrf": session.csrf])
        }
        api.get("overview") { _, _ in
            let o = try await state.store.overview()
            return JSONOut.response(OverviewOut(
                assets: o.assets, communications: o.communications, byLevel: o.byLevel, byRole: o.byRole,
                byVendor: o.byVendor, protocols: o.protocols,
                activity: o.activity.map { .init(day: $0.start.day, firstSeen: $0.firstSeen, lastSeen: $0.lastSeen, changes: $0.changes) },
                captures: o.captures.map {
                    .init(path: $0.path, fingerprint: $0.fingerprint, bytes: $0.bytes, packets: $0.packets, analysedAt: $0.analysedAt.iso)
                },
                alerts: try await state.store.alertCounts()))
        }
        api.get("assets") { request, _ in
            let page = try await state.store.assetRows(try QueryParsing.assetQuery(request))
            let body = AssetListJSON.encode(
                total: page.total, page: page.page, perPage: page.pageSize, assets: page.rows.map(AssetSummary.init))
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        api.get("assets/{id}") { _, context in
            let id = try PageRoutes.assetID(context)
            guard let asset = try await state.store.asset(id: id) else {
                throw ConsoleError(.notFound, "no asset with id \(id)")
            }
            var conversations = CommunicationQuery()
            conversations.asset = id
            conversations.pageSize = CommunicationQuery.maxPageSize
            var changes = ChangeQuery()
            changes.asset = id
            return JSONOut.response(AssetDetail(
                asset: asset, summary: AssetSummary(asset),
                communications: try await state.store.communications(conversations).items,
                changes: try await state.store.changes(changes).map(ChangeOut.init),
                alerts: try await state.store.alerts(ofAsset: id, limit: AssetDetailPage.maxAlerts).alerts
                    .map(AlertJSON.AlertOut.init)))
        }
        api.get("communications") { request, _ in
            let page = try await state.store.communications(try QueryParsing.communicationQuery(request))
            return JSONOut.response(CommunicationList(
                total: page.total, page: page.page, perPage: page.pageSize, truncated: page.truncated,
                communications: page.items))
        }
        api.get("changes") { request, _ in
            var q = ChangeQuery()
            q.asset = QueryParsing.string(request, "asset")
            if let after = QueryParsing.string(request, "after") {
                guard let n = Int64(after) else { throw ConsoleError(.badRequest, "after must be a sequence number") }
                q.afterSeq = n
                q.newestFirst = false
            }
            q.limit = try QueryParsing.integer(request, "limit", default: 200)
            return JSONOut.response(["changes": try await state.store.changes(q).map(ChangeOut.init)])
        }
        api.get("events") { request, context in
            EventStream(store: state.store, options: state.options).response(
                lastEventID: request.headers[.lastEventID])
        }
        api.get("users") { _, context in
            _ = try UserAdminRoutes.require(.admin, context)
            let users = try await state.store.users().map {
                UserOut(name: $0.name, role: $0.role.rawValue, createdAt: $0.createdAt.iso)
            }
            return JSONOut.response(["users": users])
        }
        api.post("users") { request, context in
            let session = try UserAdminRoutes.require(.admin, context)
            let body: NewUser
            do {
                body = try await request.decode(as: NewUser.self, context: context)
            } catch {
                throw ConsoleError(.badRequest, "expected {\"name\", \"role\", \"password\"}")
            }
            if let problem = try await UserManagement(state: state).add(
                name: body.name, role: body.role, password: body.password, by: session, context: context)
            {
                throw ConsoleError(problem.hasPrefix("there is already") ? .conflict : .badRequest, problem)
            }
            return JSONOut.response(["name": body.name, "role": body.role], status: .created)
        }
        api.delete("users/{name}") { _, context in
            let session = try UserAdminRoutes.require(.admin, context)
            let name = (context.parameters.get("name") ?? "").pathDecoded
            if let problem = try await UserManagement(state: state).remove(name: name, by: session, context: context) {
                throw ConsoleError(problem == "no such user" ? .notFound : .badRequest, problem)
            }
            return Response(status: .noContent)
        }
        api.get("audit") { _, context in
            _ = try UserAdminRoutes.require(.admin, context)
            return JSONOut.response(["entries": try await state.store.auditLog(limit: 500)])
        }
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}
