@testable import ConvergeConsole
import ConvergeInventory
import ConvergeStore
import Foundation
import Testing

@Suite("Map")
struct MapSVGTests {
    @Test("edges two or more levels apart, or IT straight into OT, stand out")
    func standsOut() {
        #expect(MapSVG.standsOut(client: "4", server: "3"))  // IT into OT without the DMZ
        #expect(MapSVG.standsOut(client: "3", server: "1"))
        #expect(MapSVG.standsOut(client: "5", server: "3.5"))
        #expect(!MapSVG.standsOut(client: "2", server: "1"))
        #expect(!MapSVG.standsOut(client: "4", server: "3.5"))
        #expect(!MapSVG.standsOut(client: "3.5", server: "3"))
        #expect(!MapSVG.standsOut(client: nil, server: "0"))
    }

    @Test("one node per asset, each linking to its page, in a band per level")
    func nodes() async throws {
        let store = try await ConsoleFixtures.sqliteStore()
        let (assets, total) = try await store.mapAssets(limit: 1000)
        let comms = try await store.allCommunications(limit: 1000)
        let (svg, aggregated) = MapSVG.render(assets: assets, total: total, communications: comms)
        #expect(!aggregated)
        #expect(svg.components(separatedBy: "<a class=\"node\"").count - 1 == 33)
        for asset in assets { #expect(svg.contains("href=\"\(HTML.escape(HTML.assetHref(asset.id)))\"")) }
        #expect(svg.contains("class=\"band\""))
        #expect(svg.contains("10.0.1.0/24"))
        #expect(svg.components(separatedBy: "<line").count - 1 == 2)
        #expect(!svg.contains("<script"))
    }

    @Test("past 500 assets the map shows subnets")
    func aggregates() async throws {
        let store = try await ConsoleFixtures.sqliteStore(plain: 600)
        let (assets, total) = try await store.mapAssets(limit: 50_000)
        #expect(total == 603)
        let (svg, aggregated) = MapSVG.render(assets: assets, total: total, communications: [])
        #expect(aggregated)
        let nodes = svg.components(separatedBy: "<a class=\"node\"").count - 1
        #expect(nodes < 20)
        #expect(svg.contains(": 600 assets") || svg.contains("assets</title>"))
    }
}
