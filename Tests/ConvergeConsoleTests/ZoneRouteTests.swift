@testable import ConvergeConsole
import ConvergeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A zone view as `converge serve` would build it from a policy file whose zone names are hostile
/// (a policy name may hold anything printable but double quotes and backslashes).
struct FixedZones: ZoneSource {
    static let hostile = "<script>window.__pwned=9</script>"
    static let quoted = "'><img src=x onerror=window.__pwned=10>"

    var view: ZoneView? = Self.sample

    func zoneView() async throws -> ZoneView? { view }

    static let sample = ZoneView(
        policy: .init(
            name: "plant <b>one</b>", source: "/etc/converge/<x>.yaml", origin: "store",
            sha256: String(repeating: "ab", count: 32), storedAt: "2024-03-01T00:00:00Z"),
        zones: [
            .init(name: hostile, level: "2", securityLevel: 2, members: 1),
            .init(name: quoted, level: "1", securityLevel: 3, members: 31),
            .init(name: "empty", level: nil, securityLevel: nil, members: 0),
        ],
        conduits: [.init(name: "hmi-to-control", from: hostile, to: quoted, protocols: ["modbus(read)"], used: 1)],
        matrix: [
            .init(from: hostile, to: quoted, communications: 2, messages: 5, violations: 1, protocols: ["modbus"]),
            .init(from: ZoneView.outsideName, to: quoted, communications: 1, messages: 1, violations: 1,
                protocols: ["s7comm"]),
            .init(from: quoted, to: quoted, communications: 3, messages: 9, violations: 0, protocols: ["modbus"]),
        ],
        outside: [.init(id: "ip:10.0.0.20", addresses: ["10.0.0.20"], role: "unknown")],
        diagnostics: ["plant.yaml:9: overlap: <i>two</i> zones"],
        membership: ["mac:00:0c:29:00:00:09": hostile, "mac:00:1b:1b:00:00:05": quoted])
}

@Suite("Console zones")
struct ZoneRouteTests {
    func withApp(
        _ source: (any ZoneSource)? = FixedZones(),
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let store = try await ConsoleFixtures.sqliteStore()
        try await ConsoleFixtures.addUsers(store)
        var options = ConsoleOptions()
        options.zoneSource = source
        try await consoleApp(store, options: options).test(.router) { client in try await body(client) }
    }

    @Test("zones need a session: the page redirects, the API answers 401 JSON")
    func needsSession() async throws {
        try await withApp { client in
            try await client.execute(uri: "/zones", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/login")
            }
            try await client.execute(uri: "/api/zones", method: .get) { response in
                #expect(response.status == .unauthorized)
                let body = try json(response)
                #expect(body["error"] as? String == "log in first")
            }
        }
    }

    @Test("the page lists zones, conduits, the matrix with violating cells marked, and unzoned assets")
    func pageContent() async throws {
        try await withApp { client in
            let login = try await client.login("vic")
            try await client.execute(uri: "/zones", method: .get, headers: login.headers) { response in
                #expect(response.status == .ok)
                let page = text(response)
                #expect(page.contains("<a href=\"/zones\" class=\"current\">Zones</a>"))
                #expect(page.contains("id=\"zones\"") && page.contains("id=\"conduits\""))
                #expect(page.contains("<td class=\"n\">31</td>") && page.contains("SL 3"))
                #expect(page.contains("hmi-to-control") && page.contains("modbus(read)"))
                // Two cells hold violations; the third (inside one zone) does not.
                #expect(page.components(separatedBy: "<td class=\"violation\"").count - 1 == 2)
                #expect(page.contains(">3</td>"))
                #expect(page.contains("(outside)"))
                #expect(page.contains("href=\"/assets/ip%3A10.0.0.20\""))
                #expect(page.contains("Assets outside every zone (1)"))
            }
        }
    }

    @Test("hostile zone, policy and finding names render as text")
    func escaping() async throws {
        try await withApp { client in
            let login = try await client.login("vic")
            for path in ["/zones", "/map", "/map.svg"] {
                try await client.execute(uri: path, method: .get, headers: login.headers) { response in
                    let page = text(response)
                    #expect(response.status == .ok, "\(path)")
                    let raw = page.contains("<script>window") || page.contains("<img src=x") || page.contains("<b>one")
                        || page.contains("<i>two") || page.contains("<x>")
                    #expect(!raw, "\(path)")
                    let escaped = page.contains(HTML.escape(FixedZones.hostile))
                    #expect(escaped, "\(path)")
                }
            }
        }
    }

    @Test("the map draws one named region per zone inside the bands")
    func mapByZone() async throws {
        try await withApp { client in
            let login = try await client.login("vic")
            try await client.execute(uri: "/map.svg", method: .get, headers: login.headers) { response in
                let svg = text(response)
                let regions = [FixedZones.hostile, FixedZones.quoted].map {
                    svg.contains("data-zone=\"\(HTML.escape($0))\"")
                }
                #expect(regions == [true, true])
                let label = svg.contains(HTML.escape("zone " + FixedZones.hostile))
                #expect(label)
                // The crafted assets no zone claims share one region; no subnet boxes are drawn.
                let outside = svg.contains(MapSVG.outsideZones), subnets = svg.contains("10.0.1.0/24")
                #expect(outside && !subnets)
            }
        }
    }

    @Test("without a policy the map groups by subnet and the page says how to get zones")
    func noPolicy() async throws {
        try await withApp(nil) { client in
            let login = try await client.login("vic")
            try await client.execute(uri: "/zones", method: .get, headers: login.headers) { response in
                #expect(response.status == .ok && text(response).contains("id=\"no-policy\""))
            }
            try await client.execute(uri: "/api/zones", method: .get, headers: login.headers) { response in
                let body = try json(response)
                #expect(response.status == .ok)
                #expect(body["policy"] is NSNull || body["policy"] == nil)
                #expect((body["zones"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/map.svg", method: .get, headers: login.headers) { response in
                let svg = text(response)
                let bySubnet = svg.contains("10.0.1.0/24") && !svg.contains("data-zone")
                #expect(bySubnet)
            }
        }
    }

    @Test("/api/zones returns the view as JSON, names unaltered, without the per-asset membership")
    func api() async throws {
        try await withApp { client in
            let login = try await client.login("vic")
            try await client.execute(uri: "/api/zones", method: .get, headers: login.headers) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let body = try json(response)
                let zones = try #require(body["zones"] as? [[String: Any]])
                #expect(zones.map { $0["name"] as? String } == [FixedZones.hostile, FixedZones.quoted, "empty"])
                #expect(zones[1]["members"] as? Int == 31 && zones[1]["securityLevel"] as? Int == 3)
                let matrix = try #require(body["matrix"] as? [[String: Any]])
                #expect(matrix.count == 3 && matrix.compactMap { $0["violations"] as? Int }.reduce(0, +) == 2)
                #expect((body["conduits"] as? [[String: Any]])?.first?["used"] as? Int == 1)
                #expect(body["outsideTotal"] as? Int == 1)
                #expect((body["policy"] as? [String: Any])?["origin"] as? String == "store")
                #expect(body["membership"] == nil)
            }
            try await client.execute(uri: "/api/openapi.json", method: .get, headers: login.headers) { response in
                #expect(text(response).contains("\"/api/zones\""))
            }
        }
    }

    @Test("a source that fails is a JSON error, not a stack trace")
    func failingSource() async throws {
        struct Broken: ZoneSource {
            struct Failure: Error {}
            func zoneView() async throws -> ZoneView? { throw Failure() }
        }
        try await withApp(Broken()) { client in
            let login = try await client.login("vic")
            try await client.execute(uri: "/api/zones", method: .get, headers: login.headers) { response in
                #expect(response.status == .internalServerError)
                let body = try json(response)
                #expect(body["error"] as? String == "internal error")
            }
        }
    }
}
