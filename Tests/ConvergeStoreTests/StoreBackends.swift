import ConvergeStore
import Foundation

/// The stores every contract test runs against: a fresh SQLite file, and PostgreSQL when
/// CONVERGE_TEST_POSTGRES names a server (`.ci/run` starts one: Scripts/start-test-postgres.sh).
enum StoreBackend: String, CaseIterable, Sendable {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["CONVERGE_TEST_POSTGRES"]

    static var available: [StoreBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A new, empty store of this kind; its location (a file path or the URL).
    func makeEmpty() async throws -> (store: any InventoryStore, location: String) {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("converge-store-\(UUID().uuidString).sqlite").path
            return (try SQLiteStore(path: path), path)
        case .postgres:
            // Each test in its own new schema, so suites run side by side on one database.
            guard let base = Self.postgresURL else { throw StoreError("CONVERGE_TEST_POSTGRES is not set") }
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let url = base + (base.contains("?") ? "&" : "?") + "schema=" + schema
            // A new schema is empty: opening it creates the tables.
            return (try await PostgresStore.open(url: url), url)
        }
    }

    /// Runs `body` on a new empty store and closes it whatever happens (a PostgreSQL connection must
    /// be closed before it goes away).
    func withEmpty<T>(_ body: (any InventoryStore, String) async throws -> T) async throws -> T {
        let (store, location) = try await makeEmpty()
        do {
            let result = try await body(store, location)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// Opens an existing store and closes it after `body`.
    func withExisting<T>(_ location: String, _ body: (any InventoryStore) async throws -> T) async throws -> T {
        let store: any InventoryStore =
            self == .sqlite ? try SQLiteStore(path: location) : try await PostgresStore.open(url: location)
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


/// The repository's fixtures.
enum StoreFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }
}
