import ConvergeConsole
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation
import Testing

/// Writes the benchmark's store when CONVERGE_BENCH_STORE names a file (Scripts/console-bench.sh):
/// 10,000 assets in 40 subnets with hostnames, vendors and Modbus/S7 traffic between them.
@Suite("Console benchmark store")
struct BenchStoreTests {
    @Test("generate the 10,000-asset store")
    func generate() async throws {
        guard let path = ProcessInfo.processInfo.environment["CONVERGE_BENCH_STORE"] else {
            print("BenchStoreTests: set CONVERGE_BENCH_STORE=FILE to write the benchmark store (skipped)")
            return
        }
        let count = Int(ProcessInfo.processInfo.environment["CONVERGE_BENCH_ASSETS"] ?? "") ?? 10_000
        let b = InventoryBuilder()
        let vendors = ["Siemens", "Rockwell", "Schneider", "ABB", "Dell", "HP", "Cisco", "Moxa"]
        for i in 0..<count {
            let address = "10.\(i / 250 / 250).\(i / 250 % 250).\(1 + i % 250)"
            let mac = String(format: "00:1b:%02x:%02x:%02x:%02x", (i >> 24) & 0xFF, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF)
            let t = ConsoleFixtures.base + Int64(i) * 1_000_000_000
            ConsoleFixtures.bind(b, address, mac: mac, at: t)
            ConsoleFixtures.fact(b, address, .hostname, "host-\(i)", at: t + 1)
            ConsoleFixtures.fact(b, address, .vendor, vendors[i % vendors.count], at: t + 2)
            if i % 10 != 0 {
                let server = "10.\(i / 250 / 250).\(i / 250 % 250).\(1 + (i / 10 * 10) % 250)"
                ConsoleFixtures.modbus(b, client: address, server: server, at: t + 3, write: i % 7 == 0)
            }
        }
        let inventory = b.build()
        try? FileManager.default.removeItem(atPath: path)
        let store = try SQLiteStore(path: path)
        try await store.commit(StoreUpdate(evidence: try b.takeChangedEvidence(), inventory: inventory, captures: []))
        #expect(try await store.assetPage(AssetQuery()).total == count)
    }
}
