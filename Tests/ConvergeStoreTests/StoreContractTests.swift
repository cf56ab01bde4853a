import ConvergeEngine
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation
import Testing

/// The same behaviour on SQLite and PostgreSQL. PostgreSQL tests share one database, so the suite
/// runs its tests one at a time.
@Suite(.serialized) struct StoreContractTests {
    static let s7 = StoreFixtures.path("inventory/s7-1200-uploading-ob1.pcap")
    static let eip = StoreFixtures.path("inventory/eip-firmware-change-excerpt.pcap")
    static let sample = StoreFixtures.path("sample/plant.pcap")

    /// The inventory built in one pass over `paths`, without a store.
    static func direct(_ paths: [String]) -> Inventory {
        let builder = InventoryBuilder()
        let analyzer = Analyzer()
        analyzer.eventSink = { builder.add($0) }
        analyzer.flowSink = { builder.add($0) }
        _ = analyzer.run(paths: paths)
        return builder.build()
    }

    static func summary(_ assets: [Asset]) -> [String] {
        assets.map { a in
            "\(a.id) \(a.role.rawValue) \(a.level?.rawValue ?? "-") \(a.addresses.map { "\($0.address)" }) "
                + "\(a.current(.model) ?? "") \(a.current(.firmware) ?? a.current(.revision) ?? "")"
        }.sorted()
    }

    @Test(arguments: StoreBackend.available)
    func capturesMergedOneByOneEqualOnePass(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
        _ = try await StoreIngest.run(paths: [Self.s7], store: store)
        _ = try await StoreIngest.run(paths: [Self.eip], store: store)
        let stored = try await store.inventory()
        let together = Self.direct([Self.s7, Self.eip])
        #expect(Self.summary(stored.assets) == Self.summary(together.assets))
        #expect(stored.communications.count == together.communications.count)
        #expect(stored.changes.contains { $0.kind == .firmwareUpdate && $0.asset == "mac:00:00:bc:3e:eb:e4" })
        #expect(stored.changes.contains { $0.kind == .programTransfer && $0.asset == "mac:00:1c:06:08:e7:db" })
        #expect(try await store.captures().map(\.path) == [Self.s7, Self.eip])
        }
    }

    @Test(arguments: StoreBackend.available)
    func aCaptureAlreadyMergedIsSkippedAndChangesNothing(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
        let first = try await StoreIngest.run(paths: [Self.sample], store: store)
        let before = try await store.inventory()
        let again = try await StoreIngest.run(paths: [Self.sample], store: store)
        #expect(first.summary != nil && again.summary == nil && again.skipped == [Self.sample])
        let after = try await store.inventory()
        #expect(Self.summary(after.assets) == Self.summary(before.assets))
        #expect(after.changes.count == before.changes.count)
        // Counts did not double: the PLC still answered 442 Modbus messages.
        let plc = try #require(after.asset(at: IPAddress("10.10.1.10") ?? .none))
        #expect(plc.serves["modbus"]?.messages == 442)
        }
    }

    @Test(arguments: StoreBackend.available)
    func identityRoleAndHostileTextSurviveTheRoundTrip(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
        let builder = InventoryBuilder()
        let hostile = "'; DROP TABLE assets; --\u{0}<script>\u{1B}[31m"
        var bind = AssetFact(
            time: Timestamp(nanoseconds: 1), address: IPAddress("10.0.0.5") ?? .none, kind: .macAddress,
            value: "00:1b:1b:00:00:05", source: "arp/reply")
        builder.add(bind)
        builder.add(AssetFact(
            time: Timestamp(nanoseconds: 2), address: IPAddress("10.0.0.5") ?? .none, kind: .hostname, value: hostile,
            source: "dhcp/request"))
        let inventory = builder.build()
        try await store.commit(StoreUpdate(evidence: try builder.takeChangedEvidence(), inventory: inventory, captures: []))
        let stored = try await store.inventory()
        #expect(stored.assets.count == 1)
        #expect(stored.assets.first?.current(.hostname) == hostile)
        #expect(stored.assets.first?.macVendor == inventory.assets.first?.macVendor)

        // A later run sees the address answer Modbus: the role change is recorded.
        let state = try await store.load()
        let next = InventoryBuilder()
        try next.restore(state.evidence)
        bind.time = Timestamp(nanoseconds: 3)
        next.add(bind)
        let c = Endpoint(address: IPAddress("10.0.0.9") ?? .none, port: 40_000)
        let s = Endpoint(address: IPAddress("10.0.0.5") ?? .none, port: 502)
        var request = Message(
            time: Timestamp(nanoseconds: 4), flowID: 1, client: c, server: s, proto: "modbus", direction: .toServer,
            functionCode: 3, functionName: "read_holding_registers", operation: .read, status: .pending)
        request.unit = 1
        next.add(request)
        var rebuilt = next.build()
        rebuilt.changes += rebuilt.classificationChanges(from: state.classifications, at: Timestamp(nanoseconds: 5))
        try await store.commit(StoreUpdate(evidence: try next.takeChangedEvidence(), inventory: rebuilt, captures: []))
        let final = try await store.inventory()
        let change = try #require(final.changes.first { $0.kind == .roleChange })
        #expect(change.previous == "unknown" && change.current == "plc")
        #expect(final.asset("mac:00:1b:1b:00:00:05")?.current(.hostname) == hostile)
        }
    }
}
