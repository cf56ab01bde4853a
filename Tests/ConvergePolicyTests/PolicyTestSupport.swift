import ConvergeEngine
import ConvergeModel
import Foundation

@testable import ConvergeInventory

/// Builders for inventories the checker tests reason about, and paths to fixtures.
enum PolicyTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let policyFixtures = fixtures.appendingPathComponent("policy")
    /// /work/shared, found relative to the package root.
    static let shared = fixtures.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static func asset(
        _ address: String, role: Role = .unknown, level: PurdueLevel? = nil, id: String? = nil, vendor: String? = nil
    ) -> Asset {
        let ip = IPAddress(address) ?? .none
        return Asset(
            id: id ?? "ip:\(address)", macs: [], macVendor: vendor,
            addresses: [
                AssetAddress(address: ip, scope: .private, binding: "ip", firstSeen: .zero, lastSeen: .zero)
            ],
            identity: [:], role: role, roleReasons: [], level: level, levelReasons: [], routed: false, external: false,
            firstSeen: .zero, lastSeen: .zero, serves: [:], uses: [:], notes: [])
    }

    static func communication(
        _ client: String, _ server: String, _ proto: String, _ operations: [String: UInt64], messages: UInt64 = 10
    ) -> Communication {
        Communication(
            client: client.hasPrefix("ip:") || client.hasPrefix("mac:") ? client : "ip:\(client)",
            server: server.hasPrefix("ip:") || server.hasPrefix("mac:") ? server : "ip:\(server)", proto: proto,
            messages: messages, operations: operations, packets: messages * 2, bytes: messages * 100,
            firstSeen: Timestamp(seconds: 1_700_000_000, nanoseconds: 0),
            lastSeen: Timestamp(seconds: 1_700_000_100, nanoseconds: 0))
    }

    /// The inventory the engine builds from capture files.
    static func inventory(_ paths: [String]) -> Inventory {
        let builder = InventoryBuilder()
        let analyzer = Analyzer()
        analyzer.inventorySink = { builder.add($0) }
        analyzer.flowSink = { builder.add($0) }
        _ = analyzer.run(paths: paths)
        return builder.build()
    }

    /// 2026-06-01T00:00:00Z: a fixed "now" so expiry tests do not depend on the clock.
    static let now = Timestamp(seconds: 1_780_272_000, nanoseconds: 0)
}
