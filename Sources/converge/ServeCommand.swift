import ArgumentParser
import ConvergeConsole
import ConvergeStore
import Foundation

/// `converge serve`: the console over the store, on 127.0.0.1:8080 unless told otherwise.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the console (pages and JSON API) over the store. Needs a user: see `converge users add`."
    )

    @Option(name: [.customLong("database"), .customLong("store")], help: "The store: an SQLite file or postgres:// URL.")
    var database = "converge.db"

    @Option(help: "Address to listen on. The default keeps the console on this machine.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS (cookies become Secure).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "Show the zones of this policy file (YAML) instead of the one `converge policy check` stored.")
    var policy: String?

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if !(1...65535).contains(port) { throw ValidationError("--port must be 1–65535") }
    }

    func run() async throws {
        let fixedPolicy = try policy.map { path in
            (policy: try loadPolicy(path), text: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "", path: path)
        }
        let store = try await openConsoleStore(database)
        var options = ConsoleOptions()
        options.zoneSource = PolicyZoneSource(store: store, fixed: fixedPolicy)
        options.host = host
        options.port = port
        options.tlsCertificate = tlsCert
        options.tlsKey = tlsKey
        do {
            if try await store.users().isEmpty { throw ConsoleStartError(message: Console.noUsersMessage) }
            let scheme = tlsCert == nil ? "http" : "https"
            FileHandle.standardError.write(Data("converge: console on \(scheme)://\(host):\(port) over \(database)\n".utf8))
            try await Console.run(store: store, options: options)
            await store.close()
        } catch let error as ConsoleStartError {
            await store.close()
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
            throw ExitCode(1)
        } catch {
            await store.close()
            FileHandle.standardError.write(Data("converge serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// The store with the console's queries and users (both backends have them).
func openConsoleStore(_ location: String) async throws -> any ConsoleStore {
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
