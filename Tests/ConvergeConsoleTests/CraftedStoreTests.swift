import ConvergeConsole
import ConvergeStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A store whose hostnames, vendors and module names are markup renders them as text on every page.
@Suite("Crafted store renders as text")
struct CraftedStoreTests {
    static let raw = [Hostile.script, Hostile.image, Hostile.svg, "<b>bold</b>", "\u{1B}[31m", "\u{1}"]

    @Test("no page carries a hostile string unescaped", arguments: ["/", "/assets", "/assets?q=%3Cscript", "/conversations", "/map", "/map.svg", "ASSETS"])
    func pages(path: String) async throws {
        let store = try await ConsoleFixtures.sqliteStore()
        try await ConsoleFixtures.addUsers(store)
        let hostileIDs = try await store.assetPage(AssetQuery()).assets.filter {
            [Hostile.script, Hostile.image, Hostile.like].contains($0.current(.hostname) ?? "")
        }.map(\.id)
        try await consoleApp(store).test(.router) { client in
            let login = try await client.login("ada")
            let uris = path == "ASSETS"
                ? hostileIDs.map { "/assets/" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) }
                : [path]
            for uri in uris {
                try await client.execute(uri: uri, method: .get, headers: login.headers) { response in
                    #expect(response.status == .ok)
                    let body = text(response)
                    for bad in Self.raw { #expect(!body.contains(bad), "\(uri) carries \(bad.debugDescription)") }
                }
            }
            if path == "ASSETS" { #expect(hostileIDs.count == 3) }
            if path == "/assets" {
                try await client.execute(uri: path, method: .get, headers: login.headers) { response in
                    #expect(text(response).contains("&lt;script&gt;window.__pwned&#61;1&lt;/script&gt;"))
                }
            }
        }
    }

    @Test("the JSON API returns the hostile strings as data, exactly")
    func api() async throws {
        let store = try await ConsoleFixtures.sqliteStore()
        try await ConsoleFixtures.addUsers(store)
        try await consoleApp(store).test(.router) { client in
            let login = try await client.login("vic")
            let page = try await client.execute(uri: "/api/assets?per_page=200", method: .get, headers: login.headers) {
                try json($0)
            }
            let names = Set((page["assets"] as? [[String: Any]] ?? []).compactMap { $0["hostname"] as? String })
            #expect(names.contains(Hostile.script))
            #expect(names.contains(Hostile.image))
        }
    }
}
