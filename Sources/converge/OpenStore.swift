import ArgumentParser
import ConvergeStore
import Foundation

/// Opens the store a command names, with a one-line error naming it when that fails.
func openStore(_ location: String) throws -> any InventoryStore {
    do {
        return try SQLiteStore(path: location)
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("converge: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}
