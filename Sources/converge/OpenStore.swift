import ArgumentParser
import ConvergeStore
import Foundation

/// Opens the store a command names — a PostgreSQL URL (`postgres://user:password@host/name`) or
/// an SQLite file — with a one-line error naming it when that fails.
func openStore(_ location: String) async throws -> any InventoryStore {
    do {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return try await PostgresStore.open(url: location)
        }
        return try SQLiteStore(path: location)
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("converge: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}

/// Runs `body` against the store, closing it afterwards and turning a store error into one line.
func withStore<T>(_ location: String, _ body: (any InventoryStore) async throws -> T) async throws -> T {
    let store = try await openStore(location)
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch let error as StoreError {
        await store.close()
        FileHandle.standardError.write(Data("converge: \(error.description)\n".utf8))
        throw ExitCode(1)
    } catch {
        await store.close()
        throw error
    }
}
