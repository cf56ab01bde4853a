import ArgumentParser
import ConvergeEngine
import ConvergeInventory
import ConvergeStore
import Foundation

/// The inventory of a store, or built afresh from captures.
func loadInventory(files: [String], store: String?) async throws -> Inventory {
    if let store {
        let isURL = store.hasPrefix("postgres://") || store.hasPrefix("postgresql://")
        guard isURL || FileManager.default.fileExists(atPath: store) else {
            FileHandle.standardError.write(Data("converge: store \(store): no such file\n".utf8))
            throw ExitCode(1)
        }
        return try await withStore(store) { try await $0.inventory() }
    }
    let builder = InventoryBuilder()
    let analyzer = Analyzer()
    analyzer.inventorySink = { builder.add($0) }
    analyzer.flowSink = { builder.add($0) }
    let summary = analyzer.run(paths: files)
    reportFileErrors(summary)
    if summary.packets == 0 && !summary.errors.isEmpty { throw ExitCode(1) }
    return builder.build()
}
