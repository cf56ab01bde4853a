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
            guard let url = Self.postgresURL else { throw StoreError("CONVERGE_TEST_POSTGRES is not set") }
            let store = try await PostgresStore.open(url: url)
            try await store.dropAll()
            await store.close()
            return (try await PostgresStore.open(url: url), url)
        }
    }
}


/// The repository's fixtures.
enum StoreFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }
}
