import ConvergeConsole
import ConvergeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Console routes")
struct ConsoleRouterTests {
    static let pages = ["/", "/assets", "/assets/ip%3A10.0.0.5", "/conversations", "/map", "/map.svg", "/admin/users"]
    static let apis = [
        "/api/overview", "/api/assets", "/api/communications", "/api/changes", "/api/me", "/api/users", "/api/audit",
        "/api/events", "/api/assets/x",
    ]

    func withApp(_ body: @escaping @Sendable (any TestClientProtocol, any ConsoleStore) async throws -> Void) async throws {
        let store = try await ConsoleFixtures.sqliteStore()
        try await ConsoleFixtures.addUsers(store)
        var options = ConsoleOptions()
        options.eventPollSeconds = 0.05
        options.eventStreamSeconds = 0.2
        try await consoleApp(store, options: options).test(.router) { client in try await body(client, store) }
    }

    @Test("every page redirects to /login without a session", arguments: pages)
    func pageNeedsSession(path: String) async throws {
        try await withApp { client, _ in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login")
            }
        }
    }

    @Test("every API route answers 401 JSON without a session", arguments: apis)
    func apiNeedsSession(path: String) async throws {
        try await withApp { client, _ in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let body = try json(response)
                #expect(body["error"] as? String == "log in first")
            }
        }
    }

    @Test("a forged or expired cookie is no session")
    func forgedCookie() async throws {
        try await withApp { client, _ in
            try await client.execute(uri: "/api/assets", method: .get, headers: [.cookie: "converge_session=deadbeef"]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test("login sets an HttpOnly SameSite=Strict cookie; not Secure over plain HTTP")
    func cookieAttributes() async throws {
        try await withApp { client, _ in
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=vic&password=correct+horse+battery")
            ) { response in
                let cookie = response.headers[.setCookie] ?? ""
                #expect(response.status == .seeOther)
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Strict"))
                #expect(!cookie.contains("Secure"))
            }
        }
    }

    @Test("the cookie is Secure when the console serves TLS")
    func secureCookie() async throws {
        let store = try await ConsoleFixtures.sqliteStore(plain: 0)
        try await ConsoleFixtures.addUsers(store)
        var options = ConsoleOptions()
        options.tlsCertificate = "cert.pem"
        options.tlsKey = "key.pem"
        try await consoleApp(store, options: options).test(.router) { client in
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=vic&password=correct+horse+battery")
            ) { response in
                #expect(response.headers[.setCookie]?.contains("; Secure") == true)
                #expect(response.headers[HTTPField.Name("Strict-Transport-Security")!] != nil)
            }
        }
    }

    @Test("a wrong password is refused, audited, and the fifth failure blocks the user")
    func wrongPasswordAndThrottle() async throws {
        try await withApp { client, store in
            for attempt in 1...6 {
                try await client.execute(
                    uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "username=ana&password=wrong\(attempt)")
                ) { response in
                    #expect(response.status == (attempt <= 5 ? .unauthorized : .tooManyRequests))
                    #expect(response.headers[.setCookie] == nil)
                }
            }
            // Even the right password is refused while blocked.
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=ana&password=correct+horse+battery")
            ) { #expect($0.status == .tooManyRequests) }
            let actions = try await store.auditLog(limit: 20).map(\.action)
            #expect(actions.filter { $0 == "login_failed" }.count == 5)
            #expect(actions.contains("login_blocked"))
        }
    }

    @Test("an unknown user costs a failed login, not a different answer")
    func unknownUser() async throws {
        try await withApp { client, _ in
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=nobody&password=whatever+it+is")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(text(response).contains("Wrong user name or password."))
            }
        }
    }

    @Test("a cross-site login post is refused")
    func crossSiteLogin() async throws {
        try await withApp { client, _ in
            try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .origin: "https://evil.example"],
                body: ByteBuffer(string: "username=vic&password=correct+horse+battery")
            ) { #expect($0.status == .forbidden) }
        }
    }

    @Test("signed-in pages render", arguments: ["/", "/assets", "/assets/ip%3A10.0.0.5", "/conversations", "/map"])
    func pagesRender(path: String) async throws {
        try await withApp { client, store in
            let id = try await store.assetPage(AssetQuery()).assets.first { $0.current(.hostname) == Hostile.script }?.id ?? "?"
            let login = try await client.login("vic")
            let uri = path.replacingOccurrences(of: "ip%3A10.0.0.5", with: id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
            try await client.execute(uri: uri, method: .get, headers: login.headers) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
                let body = text(response)
                #expect(body.contains("<meta name=\"csrf-token\""))
                #expect(body.contains("vic (viewer)"))
            }
        }
    }

    @Test("unknown asset ids are 404 on the page and in the API")
    func unknownAsset() async throws {
        try await withApp { client, _ in
            let login = try await client.login("vic")
            try await client.execute(uri: "/assets/mac%3Anope", method: .get, headers: login.headers) {
                #expect($0.status == .notFound)
                #expect($0.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            try await client.execute(uri: "/api/assets/mac%3Anope", method: .get, headers: login.headers) { response in
                #expect(response.status == .notFound)
                let body = try json(response)
                #expect((body["error"] as? String)?.contains("no asset") == true)
            }
            try await client.execute(uri: "/api/nothing-here", method: .get, headers: login.headers) { response in
                #expect(response.status == .notFound)
                let body = try json(response)
                #expect(body["error"] as? String == "not found")
            }
        }
    }

    @Test("a bad parameter is a 400 with a JSON message")
    func badParameters() async throws {
        try await withApp { client, _ in
            let login = try await client.login("vic")
            for uri in ["/api/assets?sort=password", "/api/assets?page=x", "/api/communications?from=yesterday", "/api/changes?after=z"] {
                try await client.execute(uri: uri, method: .get, headers: login.headers) { response in
                    #expect(response.status == .badRequest)
                    let body = try json(response)
                    #expect(body["error"] is String)
                }
            }
        }
    }

    @Test("the asset list pages, sorts and filters on the server")
    func assetListAPI() async throws {
        try await withApp { client, _ in
            let login = try await client.login("vic")
            let first = try await client.execute(uri: "/api/assets?per_page=10&sort=-id", method: .get, headers: login.headers) {
                response in
                #expect(response.status == .ok)
                return try json(response)
            }
            #expect(first["total"] as? Int == 33)
            let ids = (first["assets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.count == 10)
            #expect(ids == ids.sorted(by: >))
            let last = try await client.execute(uri: "/api/assets?per_page=10&page=4", method: .get, headers: login.headers) {
                try json($0)
            }
            #expect((last["assets"] as? [Any])?.count == 3)
            let search = try await client.execute(uri: "/api/assets?q=plc-0", method: .get, headers: login.headers) {
                try json($0)
            }
            #expect(search["total"] as? Int == 10)
            let modbus = try await client.execute(uri: "/api/assets?protocol=modbus", method: .get, headers: login.headers) {
                try json($0)
            }
            #expect(modbus["total"] as? Int == 4)
        }
    }

    @Test("overview, communications, changes and the asset API answer JSON")
    func otherAPIs() async throws {
        try await withApp { client, store in
            let login = try await client.login("vic")
            let overview = try await client.execute(uri: "/api/overview", method: .get, headers: login.headers) { try json($0) }
            #expect(overview["assets"] as? Int == 33)
            let comms = try await client.execute(
                uri: "/api/communications?protocol=modbus&operation=write", method: .get, headers: login.headers
            ) { try json($0) }
            #expect(comms["total"] as? Int == 1)
            let changes = try await client.execute(uri: "/api/changes?limit=5", method: .get, headers: login.headers) {
                try json($0)
            }
            #expect((changes["changes"] as? [Any])?.count == 5)
            let id = try await store.assetPage(AssetQuery()).assets[0].id
            try await client.execute(
                uri: "/api/assets/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id), method: .get,
                headers: login.headers
            ) { response in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect((body["summary"] as? [String: Any])?["id"] as? String == id)
            }
            try await client.execute(uri: "/api/openapi.json", method: .get, headers: login.headers) { response in
                let doc = try json(response)
                #expect(doc["openapi"] as? String == "3.1.0")
                #expect((doc["paths"] as? [String: Any])?["/api/assets"] != nil)
            }
        }
    }

    @Test("viewers and analysts cannot manage users; admins can")
    func roleChecks() async throws {
        try await withApp { client, _ in
            for user in ["vic", "ana"] {
                let login = try await client.login(user)
                try await client.execute(uri: "/admin/users", method: .get, headers: login.headers) {
                    #expect($0.status == .forbidden)
                }
                try await client.execute(uri: "/api/users", method: .get, headers: login.headers) {
                    #expect($0.status == .forbidden)
                }
                try await client.execute(
                    uri: "/api/users", method: .post, headers: login.csrfHeaders,
                    body: ByteBuffer(string: #"{"name":"eve","role":"admin","password":"0123456789ab"}"#)
                ) { #expect($0.status == .forbidden) }
            }
            let admin = try await client.login("ada")
            try await client.execute(uri: "/admin/users", method: .get, headers: admin.headers) { response in
                #expect(response.status == .ok)
                #expect(text(response).contains("id=\"audit\""))
            }
        }
    }

    @Test("state-changing requests without the right CSRF token are refused")
    func csrf() async throws {
        try await withApp { client, store in
            let admin = try await client.login("ada")
            let body = #"{"name":"eve","role":"viewer","password":"0123456789ab"}"#
            var wrong = admin.headers
            wrong[HTTPField.Name("X-CSRF-Token")!] = String(repeating: "0", count: admin.csrf.count)
            for headers in [admin.headers, wrong] {
                try await client.execute(uri: "/api/users", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                    response in
                    #expect(response.status == .forbidden)
                    let body = try json(response)
                    #expect((body["error"] as? String)?.contains("CSRF") == true)
                }
            }
            try await client.execute(
                uri: "/logout", method: .post, headers: admin.headers.merging([.contentType: "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: "csrf=nope")
            ) { #expect($0.status == .forbidden) }
            #expect(try await store.user(named: "eve") == nil)
            try await client.execute(uri: "/api/users", method: .post, headers: admin.csrfHeaders, body: ByteBuffer(string: body)) {
                #expect($0.status == .created)
            }
            #expect(try await store.user(named: "eve")?.role == .viewer)
            try await client.execute(uri: "/api/users", method: .post, headers: admin.csrfHeaders, body: ByteBuffer(string: body)) {
                #expect($0.status == .conflict)
            }
            // The form field works as well as the header.
            try await client.execute(
                uri: "/admin/users/eve/delete", method: .post,
                headers: admin.headers.merging([.contentType: "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: "csrf=\(admin.csrf)")
            ) { #expect($0.status == .seeOther) }
            #expect(try await store.user(named: "eve") == nil)
            try await client.execute(uri: "/api/users/eve", method: .delete, headers: admin.csrfHeaders) {
                #expect($0.status == .notFound)
            }
            let actions = try await store.auditLog(limit: 10).map(\.action)
            #expect(actions.contains("user_add"))
            #expect(actions.contains("user_remove"))
        }
    }

    @Test("logout ends the session")
    func logout() async throws {
        try await withApp { client, store in
            let login = try await client.login("vic")
            try await client.execute(
                uri: "/logout", method: .post, headers: login.headers.merging([.contentType: "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: "csrf=\(login.csrf)")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/api/assets", method: .get, headers: login.headers) {
                #expect($0.status == .unauthorized)
            }
            #expect(try await store.auditLog(limit: 5).map(\.action).contains("logout"))
        }
    }

    @Test("the event stream replays changes after Last-Event-ID")
    func events() async throws {
        try await withApp { client, _ in
            let login = try await client.login("vic")
            var headers = login.headers
            headers[HTTPField.Name("Last-Event-ID")!] = "0"
            try await client.execute(uri: "/api/events", method: .get, headers: headers) { response in
                #expect(response.headers[.contentType] == "text/event-stream")
                let body = text(response)
                #expect(body.contains("event: asset\n"))
                #expect(body.contains("id: 1\n"))
                // Every data line is one JSON object (a newline in a value would end the event early).
                for line in body.split(separator: "\n") where line.hasPrefix("data: ") {
                    #expect((try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8))) != nil)
                }
            }
        }
    }

    @Test("static files are served without a session")
    func staticFiles() async throws {
        try await withApp { client, _ in
            try await client.execute(uri: "/static/console.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(text(response).contains("EventSource"))
            }
            try await client.execute(uri: "/login", method: .get) { response in
                #expect(response.status == .ok)
                #expect(text(response).contains("name=\"password\""))
            }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var out = self
        for field in other { out[field.name] = field.value }
        return out
    }
}
