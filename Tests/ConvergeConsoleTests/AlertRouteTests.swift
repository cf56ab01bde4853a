import ConvergeConsole
import ConvergeModel
import ConvergeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The alert pages and API: lists and filters, one alert, the evidence pcap, triage one and many
/// (form and JSON), roles, CSRF, the audit log, 404s and escaping; on every available backend.
@Suite("Alert routes", .serialized)
struct AlertRouteTests {
    static func path(_ id: String) -> String {
        "/alerts/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
    }

    /// A form post's headers: its content type and the session cookie.
    static func formHeaders(_ login: Login) -> HTTPFields {
        [.contentType: "application/x-www-form-urlencoded", .cookie: login.cookie]
    }

    static func formBody(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(
            string: fields.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&"))
    }

    static func body(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    func withApp(
        _ backend: ConsoleBackend, streamSeconds: Double = 0.2,
        _ body: @escaping @Sendable (any TestClientProtocol, any ConsoleStore) async throws -> Void
    ) async throws {
        try await backend.withAlertStore { store in
            var options = ConsoleOptions()
            options.eventPollSeconds = 0.05
            options.eventStreamSeconds = streamSeconds
            try await consoleApp(store, options: options).test(.router) { client in try await body(client, store) }
        }
    }

    @Test
    func nothingWithoutASession() async throws {
        try await withApp(.sqlite) { client, store in
            for path in ["/alerts", Self.path(AlertFixtures.write), Self.path(AlertFixtures.write) + "/evidence.pcap"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .seeOther, "\(path)")
                    #expect(response.headers[.location] == "/login")
                }
            }
            for path in ["/api/alerts", "/api" + Self.path(AlertFixtures.write), "/api/alerts/x/evidence.pcap"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .unauthorized, "\(path)") }
            }
            for path in ["/api/alerts/triage", "/api" + Self.path(AlertFixtures.write) + "/triage"] {
                try await client.execute(
                    uri: path, method: .post, body: Self.body(["ids": [AlertFixtures.write], "state": "closed"])
                ) { #expect($0.status == .unauthorized, "\(path)") }
            }
            #expect(try await store.alert(id: AlertFixtures.write)?.state == .new)
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func listShowsTriageControlsOnlyToAnalysts(_ backend: ConsoleBackend) async throws {
        try await withApp(backend) { client, _ in
            let vic = try await client.login("vic")
            try await client.execute(uri: "/alerts", method: .get, headers: vic.headers) { response in
                #expect(response.status == .ok)
                let html = text(response)
                #expect(html.contains("65 alerts · page 1 of 2"))
                #expect(html.contains("class=\"sev sev-info\""))
                #expect(html.contains("1 open critical"))
                #expect(html.contains("T0846 Remote System Discovery"))
                #expect(html.contains("href=\"/alerts\" class=\"current\""))
                #expect(!html.contains("name=\"id\""))
                #expect(!html.contains("action=\"/alerts/triage\""))
            }
            let ana = try await client.login("ana")
            try await client.execute(uri: "/alerts?per_page=10", method: .get, headers: ana.headers) { response in
                let html = text(response)
                #expect(html.contains("65 alerts · page 1 of 7"))
                #expect(html.components(separatedBy: "type=\"checkbox\" name=\"id\"").count == 11)
                #expect(html.contains("action=\"/alerts/triage\""))
                #expect(html.contains("name=\"csrf\" value=\"\(ana.csrf)\""))
                #expect(html.contains("next →"))
            }
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func filtersOnPageAndAPI(_ backend: ConsoleBackend) async throws {
        try await withApp(backend) { client, _ in
            let vic = try await client.login("vic")
            try await client.execute(uri: "/alerts?rule=policy.*", method: .get, headers: vic.headers) { response in
                let html = text(response)
                #expect(html.contains("2 alerts · page 1 of 1"))
                #expect(html.contains("Conversation crosses zones without a conduit"))
                #expect(html.contains("value=\"policy.*\""))
            }
            let cases: [(String, Int)] = [
                ("/api/alerts?rule=policy.*", 2), ("/api/alerts?rule_prefix=policy.", 2),
                ("/api/alerts?rule=policy.conduit", 1), ("/api/alerts?severity=high", 1),
                ("/api/alerts?min_severity=medium", 3), ("/api/alerts?state=new", 65),
                ("/api/alerts?technique=T0846", 60), ("/api/alerts?asset=mac%3A00%3A1b%3A1b%3A00%3A00%3A05", 3),
                ("/api/alerts?asset=10.0.0.20", 2), ("/api/alerts?q=zones", 1),
                ("/api/alerts?from=2024-03-01T00:04:10Z&to=2024-03-01T00:07:30Z", 2),
                ("/api/alerts?to=2024-02-28", 0), ("/api/alerts?per_page=5&page=13", 65),
            ]
            for (uri, total) in cases {
                try await client.execute(uri: uri, method: .get, headers: vic.headers) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let body = object(response)
                    #expect(body["total"] as? Int == total, "\(uri)")
                }
            }
            try await client.execute(uri: "/api/alerts?sort=severity&per_page=2", method: .get, headers: vic.headers) {
                let alerts = object($0)["alerts"] as? [[String: Any]] ?? []
                #expect(alerts.map { $0["severity"] as? String } == ["info", "info"])
            }
            try await client.execute(uri: "/api/alerts?sort=-severity&per_page=1", method: .get, headers: vic.headers) {
                let body = object($0)
                let alert = (body["alerts"] as? [[String: Any]])?.first
                #expect(alert?["id"] as? String == AlertFixtures.hostile)
                let counts = body["counts"] as? [String: Any]
                #expect(counts?["total"] as? Int == 65)
            }
            for bad in ["severity=bogus", "state=open", "sort=title", "from=yesterday", "page=-1"] {
                try await client.execute(uri: "/api/alerts?" + bad, method: .get, headers: vic.headers) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(object(response)["error"] is String)
                }
                try await client.execute(uri: "/alerts?" + bad, method: .get, headers: vic.headers) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                }
            }
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func alertPageShowsEverything(_ backend: ConsoleBackend) async throws {
        try await withApp(backend) { client, _ in
            let ana = try await client.login("ana")
            try await client.execute(uri: Self.path(AlertFixtures.write), method: .get, headers: ana.headers) {
                response in
                #expect(response.status == .ok)
                let html = text(response)
                #expect(html.contains("<h1>Modbus write from a host that never wrote</h1>"))
                #expect(html.contains("T0836 Modify Parameter"))
                #expect(html.contains("TA0106 Impair Process Control"))
                #expect(html.contains("A host wrote registers it never wrote while learning."))
                #expect(html.contains("Confirm the engineering change."))
                #expect(html.contains("write_single_register"))
                #expect(html.contains("href=\"" + AlertFixtures.asset5Path + "\""))
                #expect(html.contains("modbus_attack.pcap"))
                #expect(html.contains("/evidence.pcap\">Download evidence pcap</a>"))
                #expect(html.contains("id=\"alert-triage-one\""))
                #expect(!html.contains("https://attack.mitre.org"))
            }
            try await client.execute(uri: "/api/alerts/" + AlertFixtures.write, method: .get, headers: ana.headers) {
                let body = object($0)
                let alert = body["alert"] as? [String: Any]
                #expect(alert?["count"] as? Int == 7)
                #expect((alert?["techniques"] as? [[String: Any]])?.first?["name"] as? String == "Modify Parameter")
                #expect((body["assetIDs"] as? [String: String])?["10.0.0.9"] == AlertFixtures.asset9)
            }
            let vic = try await client.login("vic")
            try await client.execute(uri: Self.path(AlertFixtures.write), method: .get, headers: vic.headers) {
                response in
                #expect(response.status == .ok)
                #expect(!text(response).contains("id=\"alert-triage-one\""))
            }
        }
    }

    /// A classic pcap's records: (magic, count), independent of the writer.
    static func pcapRecords(_ bytes: [UInt8]) -> (magic: UInt32, count: Int)? {
        func u32(_ at: Int) -> UInt32? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
        }
        guard let magic = u32(0) else { return nil }
        var at = 24
        var count = 0
        while at < bytes.count {
            guard let length = u32(at + 8), at + 16 + Int(length) <= bytes.count else { return nil }
            at += 16 + Int(length)
            count += 1
        }
        return (magic, count)
    }

    @Test(arguments: ConsoleBackend.available)
    func evidencePcap(_ backend: ConsoleBackend) async throws {
        try await withApp(backend) { client, _ in
            let vic = try await client.login("vic")
            for prefix in ["", "/api"] {
                try await client.execute(
                    uri: prefix + Self.path(AlertFixtures.write) + "/evidence.pcap", method: .get, headers: vic.headers
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/vnd.tcpdump.pcap")
                    #expect(response.headers[.contentDisposition]?.contains("attachment") == true)
                    let parsed = Self.pcapRecords([UInt8](Data(buffer: response.body)))
                    #expect(parsed?.magic == 0xa1b2_3c4d)
                    #expect(parsed?.count == 3)
                }
            }
            try await client.execute(
                uri: "/api" + Self.path(AlertFixtures.gone) + "/evidence.pcap", method: .get, headers: vic.headers
            ) { response in
                #expect(response.status == .notFound)
                #expect((object(response)["error"] as? String)?.contains("no longer on disk") == true)
            }
            try await client.execute(
                uri: Self.path(AlertFixtures.gone) + "/evidence.pcap", method: .get, headers: vic.headers
            ) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(text(response).contains("no longer on disk"))
            }
            try await client.execute(uri: "/alerts/scan%3A1/evidence.pcap", method: .get, headers: vic.headers) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func triageOneAndManyIsAudited(_ backend: ConsoleBackend) async throws {
        try await withApp(backend) { client, store in
            let ana = try await client.login("ana")
            try await client.execute(
                uri: "/api" + Self.path(AlertFixtures.write) + "/triage", method: .post, headers: ana.csrfHeaders,
                body: Self.body(["state": "acknowledged", "note": "planned <change>"])
            ) { response in
                #expect(response.status == .ok)
                #expect((object(response)["updated"] as? [String]) == [AlertFixtures.write])
            }
            try await client.execute(
                uri: "/api/alerts/triage", method: .post, headers: ana.csrfHeaders,
                body: Self.body(["ids": ["scan:1", "scan:2"], "state": "closed", "note": "scanner test"])
            ) { response in
                #expect(response.status == .ok)
            }
            // The bulk form: several `id` fields, back to the filtered list.
            try await client.execute(
                uri: "/alerts/triage", method: .post, headers: Self.formHeaders(ana),
                body: Self.formBody([
                    ("csrf", ana.csrf), ("id", AlertFixtures.policyZone), ("id", AlertFixtures.policyConduit),
                    ("state", "closed"), ("note", "zones agreed"), ("back", "/alerts?rule=policy.*"),
                ])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/alerts?rule=policy.*")
            }
            try await client.execute(
                uri: Self.path(AlertFixtures.hostile) + "/triage", method: .post, headers: Self.formHeaders(ana),
                body: Self.formBody([("csrf", ana.csrf), ("state", "acknowledged"), ("note", "")])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(
                    response.headers[.location]
                        == Self.path(AlertFixtures.hostile).replacingOccurrences(of: "%2D", with: "-"))
            }
            // An open redirect is not offered.
            try await client.execute(
                uri: "/alerts/triage", method: .post, headers: Self.formHeaders(ana),
                body: Self.formBody([
                    ("csrf", ana.csrf), ("id", "scan:3"), ("state", "closed"), ("back", "//evil.example/"),
                ])
            ) { response in
                #expect(response.headers[.location] == "/alerts")
            }
            #expect(try await store.alert(id: AlertFixtures.write)?.state == .acknowledged)
            #expect(try await store.alert(id: "scan:2")?.state == .closed)
            #expect(try await store.alert(id: AlertFixtures.policyConduit)?.state == .closed)
            #expect(try await store.alert(id: AlertFixtures.hostile)?.state == .acknowledged)
            let history = try await store.triageLog(id: AlertFixtures.write)
            #expect(history.count == 1 && history.first?.user == "ana" && history.first?.note == "planned <change>")
            let audit = try await store.auditLog(limit: 50).filter { $0.action == "alert_triage" }
            #expect(audit.count == 7)
            let write = audit.first { $0.target == AlertFixtures.write }
            #expect(write?.user == "ana")
            #expect(write?.detail == "state acknowledged; note: planned <change>")
            #expect(
                audit.filter { $0.target == AlertFixtures.policyZone }.first?.detail
                    == "state closed; note: zones agreed")
            try await client.execute(uri: "/api" + Self.path(AlertFixtures.write), method: .get, headers: ana.headers) {
                let triage = object($0)["triage"] as? [[String: Any]] ?? []
                #expect(
                    triage.first?["state"] as? String == "acknowledged" && triage.first?["user"] as? String == "ana")
            }
            try await client.execute(uri: Self.path(AlertFixtures.write), method: .get, headers: ana.headers) {
                #expect(text($0).contains("planned &lt;change&gt;"))
            }
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func viewersCannotTriageAndCSRFIsRequired(_ backend: ConsoleBackend) async throws {
        try await withApp(backend) { client, store in
            let vic = try await client.login("vic")
            let ana = try await client.login("ana")
            try await client.execute(
                uri: "/api" + Self.path(AlertFixtures.write) + "/triage", method: .post, headers: vic.csrfHeaders,
                body: Self.body(["state": "closed"])
            ) { response in
                #expect(response.status == .forbidden)
                #expect((object(response)["error"] as? String)?.contains("analyst") == true)
            }
            try await client.execute(
                uri: "/api/alerts/triage", method: .post, headers: vic.csrfHeaders,
                body: Self.body(["ids": [AlertFixtures.write], "state": "closed"])
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/alerts/triage", method: .post, headers: Self.formHeaders(vic),
                body: Self.formBody([("csrf", vic.csrf), ("id", AlertFixtures.write), ("state", "closed")])
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            // CSRF: no header, a wrong one, another session's, or a form without the field.
            var wrong = ana.headers
            wrong[HTTPField.Name("X-CSRF-Token")!] = (ana.csrf.hasPrefix("0") ? "1" : "0") + ana.csrf.dropFirst()
            var other = ana.headers
            other[HTTPField.Name("X-CSRF-Token")!] = vic.csrf
            for headers in [ana.headers, wrong, other] {
                try await client.execute(
                    uri: "/api/alerts/triage", method: .post, headers: headers,
                    body: Self.body(["ids": [AlertFixtures.write], "state": "closed"])
                ) { response in
                    #expect(response.status == .forbidden)
                    #expect(object(response)["error"] as? String == "missing or wrong CSRF token")
                }
            }
            try await client.execute(
                uri: "/alerts/triage", method: .post, headers: Self.formHeaders(ana),
                body: Self.formBody([("id", AlertFixtures.write), ("state", "closed")])
            ) { #expect($0.status == .forbidden) }
            #expect(try await store.alert(id: AlertFixtures.write)?.state == .new)
            #expect(try await store.triageLog(id: AlertFixtures.write).isEmpty)
            #expect(try await store.auditLog(limit: 50).allSatisfy { $0.action != "alert_triage" })
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func unknownIdsAndBadInput(_ backend: ConsoleBackend) async throws {
        try await withApp(backend) { client, store in
            let ana = try await client.login("ana")
            try await client.execute(uri: "/alerts/nope", method: .get, headers: ana.headers) { response in
                #expect(response.status == .notFound)
                #expect(text(response).contains("no alert with that id"))
            }
            for uri in ["/api/alerts/nope", "/api/alerts/nope/evidence.pcap"] {
                try await client.execute(uri: uri, method: .get, headers: ana.headers) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(object(response)["error"] is String)
                }
            }
            try await client.execute(
                uri: "/api/alerts/nope/triage", method: .post, headers: ana.csrfHeaders,
                body: Self.body(["state": "closed"])
            ) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: "/api/alerts/triage", method: .post, headers: ana.csrfHeaders,
                body: Self.body(["ids": [AlertFixtures.write, "nope"], "state": "closed"])
            ) { response in
                #expect(response.status == .notFound)
                #expect((object(response)["error"] as? String)?.contains("nothing was changed") == true)
            }
            #expect(try await store.alert(id: AlertFixtures.write)?.state == .new)
            let bad: [(String, Any)] = [
                ("/api" + Self.path(AlertFixtures.write) + "/triage", ["state": "resolved"]),
                ("/api" + Self.path(AlertFixtures.write) + "/triage", ["note": "no state"]),
                ("/api/alerts/triage", ["ids": [String](), "state": "closed"]),
                ("/api/alerts/triage", ["ids": (0...TriageLimits.maxIDs).map { "scan:\($0)" }, "state": "closed"]),
                ("/api/alerts/triage", ["ids": "scan:1", "state": "closed"]),
            ]
            for (uri, body) in bad {
                try await client.execute(uri: uri, method: .post, headers: ana.csrfHeaders, body: Self.body(body)) {
                    response in
                    #expect(response.status == .badRequest, "\(uri) \(body)")
                    #expect(object(response)["error"] is String)
                }
            }
            try await client.execute(
                uri: "/api/alerts/triage", method: .post, headers: ana.csrfHeaders,
                body: ByteBuffer(string: "{not json")
            ) { #expect($0.status == .badRequest) }
            try await client.execute(
                uri: "/alerts/triage", method: .post, headers: Self.formHeaders(ana),
                body: Self.formBody([("csrf", ana.csrf), ("state", "closed")])
            ) { response in
                #expect(response.status == .badRequest)
                #expect(text(response).contains("no alert selected"))
            }
            #expect(try await store.auditLog(limit: 50).allSatisfy { $0.action != "alert_triage" })
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func hostileAlertRendersAsText(_ backend: ConsoleBackend) async throws {
        try await withApp(backend) { client, _ in
            let ana = try await client.login("ana")
            for uri in [
                "/alerts?sort=-severity", "/alerts?q=%3Cscript", Self.path(AlertFixtures.hostile), "/",
                AlertFixtures.asset5Path,
            ] {
                try await client.execute(uri: uri, method: .get, headers: ana.headers) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let html = text(response)
                    for raw in ["<script>window", "<img src=x", "<b>bold", "<svg onload", "<b>T</b>", "onerror=window"]
                    {
                        #expect(!html.contains(raw), "\(raw) unescaped on \(uri)")
                    }
                    for control in ["\u{1}", "\u{1B}", "\u{7}", "\u{0}"] {
                        #expect(!html.contains(control), "a control character on \(uri)")
                    }
                    #expect(html.contains("&lt;script&gt;window.__pwned&#61;1&lt;/script&gt;"), "\(uri)")
                }
            }
            try await client.execute(uri: Self.path(AlertFixtures.hostile), method: .get, headers: ana.headers) {
                let html = text($0)
                #expect(html.contains("&lt;b&gt;bold&lt;/b&gt;"))
                #expect(html.contains("ctl\u{FFFD}\u{FFFD}\u{FFFD}[31m\u{FFFD}"))
                // The checkbox value and the form action carry the hostile id as text.
                #expect(
                    html.contains(
                        "action=\"/alerts/hostile%3Cscript%3E%3A%22%3E%3Cimg%20src%3Dx%20onerror%3D1%3E/triage\""))
            }
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func overviewAssetPageAndOpenAPI(_ backend: ConsoleBackend) async throws {
        try await withApp(backend) { client, _ in
            let vic = try await client.login("vic")
            try await client.execute(uri: "/", method: .get, headers: vic.headers) { response in
                let html = text(response)
                #expect(html.contains("Alerts by severity"))
                #expect(html.contains("href=\"/alerts?severity&#61;critical&amp;state&#61;new\">1</a>"))
                #expect(html.contains("href=\"/alerts?severity&#61;info\">61</a>"))
                #expect(html.contains("id=\"overview-new-alerts\""))
            }
            try await client.execute(uri: "/api/overview", method: .get, headers: vic.headers) {
                #expect((object($0)["alerts"] as? [String: Any])?["total"] as? Int == 65)
            }
            try await client.execute(uri: AlertFixtures.asset5Path, method: .get, headers: vic.headers) { response in
                let html = text(response)
                #expect(html.contains("id=\"asset-alerts\""))
                #expect(html.contains("Modbus write from a host that never wrote"))
                #expect(html.contains("All 3 alerts of this asset"))
            }
            try await client.execute(uri: "/api" + AlertFixtures.asset5Path, method: .get, headers: vic.headers) {
                #expect((object($0)["alerts"] as? [Any])?.count == 3)
            }
            try await client.execute(uri: "/api/openapi.json", method: .get, headers: vic.headers) { response in
                let paths = object(response)["paths"] as? [String: Any] ?? [:]
                for path in [
                    "/api/alerts", "/api/alerts/{id}", "/api/alerts/{id}/triage", "/api/alerts/triage",
                    "/api/alerts/{id}/evidence.pcap",
                ] {
                    #expect(paths[path] != nil, "\(path)")
                }
            }
        }
    }

    @Test(arguments: ConsoleBackend.available)
    func eventStreamAnnouncesNewAlerts(_ backend: ConsoleBackend) async throws {
        try await withApp(backend, streamSeconds: 1.5) { client, store in
            let vic = try await client.login("vic")
            let late = Alert(
                id: "late:1", rule: "late", title: "Raised while the stream was open", severity: .high,
                firstSeen: AlertFixtures.time(5), lastSeen: AlertFixtures.time(5))
            let writer = Task {
                try await Task.sleep(for: .milliseconds(500))
                try await store.commitAlerts([late])
            }
            try await client.execute(uri: "/api/events", method: .get, headers: vic.headers) { response in
                let body = text(response)
                #expect(body.contains("event: alert\ndata: "))
                #expect(body.contains("\"id\":\"late:1\""))
                #expect(body.contains("event: alerts\n"))
                // Only the new alert is announced, and without an SSE id (Last-Event-ID stays the change log's).
                #expect(!body.contains("\"id\":\"scan:1\""))
                #expect(!body.contains("id: \n"))
                for line in body.split(separator: "\n") where line.hasPrefix("data: ") {
                    #expect((try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8))) != nil)
                }
            }
            try await writer.value
        }
    }
}

/// The body as a JSON object, empty when it is not one (so a check on it fails rather than throws).
func object(_ response: TestResponse) -> [String: Any] { (try? json(response)) ?? [:] }
