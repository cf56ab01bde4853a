import ArgumentParser
import ConvergeInventory
import ConvergeModel
import ConvergePolicy
import Foundation

/// `converge policy …`: zones and conduits as a file — proposed from the traffic, checked
/// against it, exported as firewall rules.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Zones and conduits (IEC 62443): propose a policy, check traffic against it, export firewall rules.",
        subcommands: [PolicyProposeCommand.self, PolicyCheckCommand.self, PolicyExportCommand.self]
    )
}

/// Reads a policy file, printing its errors (FILE:LINE: error: reason) and exiting 1 on failure,
/// and its findings (overlaps, unreachable conduits, expired exceptions) as warnings.
func loadPolicy(_ path: String, quiet: Bool = false) throws -> Policy {
    do {
        let policy = try Policy.load(path: path)
        if !quiet {
            for diagnostic in policy.diagnostics {
                FileHandle.standardError.write(
                    Data(
                        "\(path):\(diagnostic.line): warning: \(diagnostic.kind.rawValue): \(diagnostic.message)\n".utf8
                    ))
            }
        }
        return policy
    } catch {
        FileHandle.standardError.write(Data("\(error.description)\n".utf8))
        throw ExitCode(1)
    }
}

/// Captures or a store, the way `assets` takes them.
struct PolicySource: ParsableArguments {
    @Option(
        name: [.customLong("database"), .customLong("store")],
        help: "Read the inventory from this store (an SQLite file or postgres:// URL) instead of captures.")
    var store: String?

    func inventory(files: [String]) async throws -> Inventory {
        try await loadInventory(files: files, store: try location(files: files))
    }

    /// The store to read (nil: the captures): `--database`, or `converge.db` here when no capture is named.
    func location(files: [String]) throws -> String? {
        if files.isEmpty && store == nil {
            if FileManager.default.fileExists(atPath: "converge.db") { return "converge.db" }
            throw ValidationError("name capture files or a --database (no converge.db here)")
        }
        if !files.isEmpty && store != nil { throw ValidationError("name capture files or a --database, not both") }
        return store
    }
}
