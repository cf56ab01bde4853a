import ConvergeConsole
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation

/// Strings a hostile capture could put in a hostname, a vendor or a module name.
enum Hostile {
    static let script = "<script>window.__pwned=1</script>"
    static let image = "\"><img src=x onerror=window.__pwned=2>"
    /// With a NUL: the stores keep it in the record and show U+FFFD in plain columns (PostgreSQL
    /// refuses NUL in text).
    static let control = "ctl\u{0}\u{1}\u{1B}[31m\u{7}<b>bold</b>"
    static let svg = "<svg onload=window.__pwned=3>"
    static let like = "100%_match\\"
}

/// A store built through the real InventoryBuilder from hand-built events: three hostile assets,
/// a Modbus client and server, and `plain` ordinary PLCs for pagination.
enum ConsoleFixtures {
    static let password = "correct horse battery"

    static func ip(_ text: String) -> IPAddress { IPAddress(text) ?? IPAddress(bits: 0) }

    static func bind(_ b: InventoryBuilder, _ address: String, mac: String, at t: Int64) {
        b.add(AssetFact(time: Timestamp(nanoseconds: t), address: ip(address), kind: .macAddress, value: mac, source: "arp/reply"))
    }

    static func fact(_ b: InventoryBuilder, _ address: String, _ kind: AssetFact.Kind, _ value: String, at t: Int64) {
        b.add(AssetFact(time: Timestamp(nanoseconds: t), address: ip(address), kind: kind, value: value, source: "test/crafted"))
    }

    static func modbus(_ b: InventoryBuilder, client: String, server: String, at t: Int64, write: Bool = false) {
        let c = Endpoint(address: ip(client), port: 40_000)
        let s = Endpoint(address: ip(server), port: 502)
        var request = Message(
            time: Timestamp(nanoseconds: t), flowID: UInt64(t), client: c, server: s, proto: "modbus", direction: .toServer,
            functionCode: write ? 6 : 3, functionName: write ? "write_single_register" : "read_holding_registers",
            operation: write ? .write : .read, status: .pending)
        request.unit = 1
        b.add(request)
    }

    /// 2024-03-01T00:00:00Z, so the day buckets are known.
    static let base: Int64 = 1_709_251_200 * 1_000_000_000

    static func inventory(plain: Int = 30) -> (InventoryBuilder, Inventory) {
        let b = InventoryBuilder()
        bind(b, "10.0.0.5", mac: "00:1b:1b:00:00:05", at: base)
        fact(b, "10.0.0.5", .hostname, Hostile.script, at: base + 1)
        fact(b, "10.0.0.5", .moduleName, Hostile.svg, at: base + 2)
        bind(b, "10.0.0.9", mac: "00:0c:29:00:00:09", at: base + 3)
        fact(b, "10.0.0.9", .hostname, Hostile.image, at: base + 4)
        bind(b, "10.0.0.20", mac: "00:0c:29:00:00:20", at: base + 5)
        fact(b, "10.0.0.20", .vendor, Hostile.control, at: base + 6)
        fact(b, "10.0.0.20", .hostname, Hostile.like, at: base + 7)
        for i in 0..<plain {
            let address = "10.0.\(1 + i / 200).\(10 + i % 200)"
            let mac = String(format: "00:1b:1b:00:%02x:%02x", (i >> 8) + 1, i & 0xFF)
            bind(b, address, mac: mac, at: base + Int64(i) * 1_000_000_000)
            fact(b, address, .hostname, String(format: "plc-%02d", i), at: base + 10)
        }
        for n in 0..<3 { modbus(b, client: "10.0.0.9", server: "10.0.0.5", at: base + 100 + Int64(n)) }
        modbus(b, client: "10.0.0.9", server: "10.0.0.5", at: base + 200, write: true)
        modbus(b, client: "10.0.0.20", server: "10.0.1.10", at: base + 86_400_000_000_000)
        return (b, b.build())
    }

    /// A new SQLite store holding the crafted inventory.
    static func sqliteStore(plain: Int = 30) async throws -> SQLiteStore {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("converge-console-\(UUID().uuidString).sqlite").path
        let store = try SQLiteStore(path: path)
        try await fill(store, plain: plain)
        return store
    }

    static func fill(_ store: any InventoryStore, plain: Int = 30) async throws {
        let (builder, inventory) = inventory(plain: plain)
        let capture = CaptureRecord(
            fingerprint: "f1", path: "crafted<script>.pcap", bytes: 1234, packets: 56,
            analysedAt: Timestamp(nanoseconds: base + 3_600_000_000_000))
        try await store.commit(StoreUpdate(
            evidence: try builder.takeChangedEvidence(), inventory: inventory, captures: [capture]))
    }

    /// Users of each role, with a cheap bcrypt cost (the cost is in the hash; verify reads it).
    static func addUsers(_ store: any ConsoleStore) async throws {
        for (name, role) in [("ada", ConsoleRole.admin), ("ana", .analyst), ("vic", .viewer)] {
            let hash = try await Passwords.hash(password, cost: 4)
            _ = try await store.addUser(
                ConsoleUser(name: name, role: role, passwordHash: hash, createdAt: Timestamp(nanoseconds: base)))
        }
    }
}

/// The stores the query contract runs on: SQLite always, PostgreSQL when CONVERGE_TEST_POSTGRES is set.
enum ConsoleBackend: String, CaseIterable, Sendable {
    case sqlite, postgres

    static var available: [ConsoleBackend] {
        ProcessInfo.processInfo.environment["CONVERGE_TEST_POSTGRES"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    func withFilledStore<T>(plain: Int = 30, _ body: (any ConsoleStore) async throws -> T) async throws -> T {
        let store: any ConsoleStore
        switch self {
        case .sqlite:
            store = try await ConsoleFixtures.sqliteStore(plain: plain)
        case .postgres:
            guard let base = ProcessInfo.processInfo.environment["CONVERGE_TEST_POSTGRES"] else {
                throw StoreError("CONVERGE_TEST_POSTGRES is not set")
            }
            let schema = "c_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let pg = try await PostgresStore.open(url: base + (base.contains("?") ? "&" : "?") + "schema=" + schema)
            do {
                try await ConsoleFixtures.fill(pg, plain: plain)
            } catch {
                await pg.close()  // a PostgreSQL connection must be closed before it goes away
                throw error
            }
            store = pg
        }
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
