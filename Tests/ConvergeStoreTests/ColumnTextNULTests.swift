import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation
import Testing

/// PostgreSQL's TEXT cannot hold NUL: a hostname or vendor from the wire carrying one must still
/// commit, on both backends alike, with U+FFFD in the plain columns and the exact text in the record.
@Suite struct ColumnTextNULTests {
    static func fact(_ b: InventoryBuilder, _ kind: AssetFact.Kind, _ value: String, at second: Int64) {
        b.add(
            AssetFact(
                time: Timestamp(seconds: second, nanoseconds: 0), address: IPAddress("10.0.0.5") ?? IPAddress(bits: 0),
                kind: kind, value: value, source: "test/nul"))
    }

    @Test(arguments: StoreBackend.available)
    func nulInHostnameAndVendorCommitsAsReplacementCharacter(_ backend: StoreBackend) async throws {
        try await backend.withEmpty { store, _ in
            let b = InventoryBuilder()
            Self.fact(b, .macAddress, "00:1b:1b:00:00:05", at: 1)
            Self.fact(b, .hostname, "plc-one", at: 2)
            Self.fact(b, .vendor, "Sie\u{0}mens", at: 3)
            try await store.commit(
                StoreUpdate(evidence: try b.takeChangedEvidence(), inventory: b.build(), captures: []))
            Self.fact(b, .hostname, "plc\u{0}two", at: 10)
            try await store.commit(
                StoreUpdate(evidence: try b.takeChangedEvidence(), inventory: b.build(), captures: []))

            let inventory = try await store.inventory()
            let asset = try #require(inventory.assets.first { $0.addresses.contains { "\($0.address)" == "10.0.0.5" } })
            #expect(asset.current(.hostname) == "plc\u{0}two", "the JSON record keeps the exact text")
            let changed = inventory.changes.filter { ($0.current ?? "").contains("plc") }
            #expect(changed.contains { $0.current == "plc\u{FFFD}two" })
            #expect(!inventory.changes.contains { $0.text.contains("\u{0}") || ($0.current ?? "").contains("\u{0}") })
            let console = try #require(store as? any ConsoleQueries)
            #expect(try await console.overview().byVendor.map(\.value) == ["Sie\u{FFFD}mens"])
            #expect(try await console.asset(id: asset.id)?.current(.vendor) == "Sie\u{0}mens")
        }
    }
}
