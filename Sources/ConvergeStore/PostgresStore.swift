import ConvergeInventory
import ConvergeModel
import Foundation
import Logging
import PostgresNIO

/// The inventory in PostgreSQL (`--database postgres://user:password@host:port/name`, optionally
/// `?schema=NAME` to keep it in its own schema), with the tables of `SQLiteStore`. A commit is one transaction; rows go in multi-row statements of up to
/// `batchRows` rows, every value bound, never spliced into the SQL.
public final class PostgresStore: InventoryStore, @unchecked Sendable {
    static let batchRows = 500
    let connection: PostgresConnection
    let logger: Logger
    public let location: String
    /// The schema the tables live in when the URL names one (`?schema=`), else the default.
    private let schema: String?

    /// Connects and brings the schema up to date.
    public static func open(url: String) async throws -> PostgresStore {
        let configuration = try Self.configuration(url)
        let schema = try Self.schema(url)
        var logger = Logger(label: "converge.store.postgres")
        logger.logLevel = .error
        let redacted = Self.redacted(url)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw StoreError("database \(redacted): \(Self.describe(error))")
        }
        let store = PostgresStore(connection: connection, logger: logger, location: redacted, schema: schema)
        do {
            if let schema {
                // The name was checked to be [a-z0-9_]: it can be spliced as an identifier.
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: "SET search_path TO \(schema)"), logger: logger)
            }
            try await store.migrate()
            return store
        } catch {
            await store.close()
            if let error = error as? StoreError { throw error }
            throw StoreError("database \(redacted): \(Self.describe(error))")
        }
    }

    private init(connection: PostgresConnection, logger: Logger, location: String, schema: String?) {
        self.connection = connection
        self.logger = logger
        self.location = location
        self.schema = schema
    }

    /// `?schema=NAME`: lower-case letters, digits and underscores only.
    static func schema(_ url: String) throws -> String? {
        guard let value = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "schema" })?.value else {
            return nil
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        guard !value.isEmpty, value.count <= 63, value.allSatisfy(allowed.contains), !(value.first?.isNumber ?? true) else {
            throw StoreError("database \(redacted(url)): schema must be lower-case letters, digits and _ (got \(value))")
        }
        return value
    }

    public func close() async {
        try? await connection.close()
    }

    static func configuration(_ url: String) throws -> PostgresConnection.Configuration {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme,
            scheme == "postgres" || scheme == "postgresql", let host = parts.host, !host.isEmpty
        else { throw StoreError("database \(redacted(url)): not a postgres://user:password@host:port/name URL") }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        let mode = parts.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard mode == "disable" else {
            throw StoreError("database \(redacted(url)): sslmode=\(mode) is not supported yet (use sslmode=disable on loopback)")
        }
        return PostgresConnection.Configuration(
            host: host, port: parts.port ?? 5432, username: parts.user ?? "postgres", password: parts.password,
            database: database.isEmpty ? nil : database, tls: .disable)
    }

    /// The URL with its password replaced, for messages.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? "postgres://…"
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }

    // MARK: - schema

    private func migrate() async throws {
        try await run("migrate") {
            try await connection.withTransaction(logger: logger) { c in
                // One migrating process at a time.
                try await c.query("SELECT pg_advisory_xact_lock(7311207)", logger: logger)
                try await c.query(
                    "CREATE TABLE IF NOT EXISTS converge_migrations (identifier TEXT PRIMARY KEY)", logger: logger)
                var applied = Set<String>()
                for try await name in try await c.query("SELECT identifier FROM converge_migrations", logger: logger)
                    .decode(String.self)
                {
                    applied.insert(name)
                }
                for migration in StoreSchema.migrations where !applied.contains(migration.name) {
                    for statement in migration.statements("BIGSERIAL PRIMARY KEY") {
                        try await c.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await c.query(
                        "INSERT INTO converge_migrations (identifier) VALUES (\(migration.name))", logger: logger)
                }
            }
        }
    }

    // MARK: - InventoryStore

    public func load() async throws -> StoredState {
        try await run("read") {
            var state = StoredState()
            for try await (key, record) in try await connection.query(
                "SELECT address, record FROM evidence_hosts", logger: logger
            ).decode((String, String).self) {
                state.evidence.hosts.append((key, Data(record.utf8)))
            }
            for try await (key, record) in try await connection.query(
                "SELECT mac, record FROM evidence_links", logger: logger
            ).decode((String, String).self) {
                state.evidence.links.append((key, Data(record.utf8)))
            }
            for try await (client, server, proto, record) in try await connection.query(
                "SELECT client, server, proto, record FROM evidence_edges", logger: logger
            ).decode((String, String, String, String).self) {
                state.evidence.edges.append((client, server, proto, Data(record.utf8)))
            }
            for try await (id, role, level) in try await connection.query(
                "SELECT id, role, level FROM assets", logger: logger
            ).decode((String, String, String?).self) {
                state.classifications[id] = Classification(role: role, level: level)
            }
            for try await fingerprint in try await connection.query(
                "SELECT fingerprint FROM captures", logger: logger
            ).decode(String.self) {
                state.captureFingerprints.insert(fingerprint)
            }
            return state
        }
    }

    public func commit(_ update: StoreUpdate) async throws {
        let evidence = update.evidence
        let inventory = update.inventory
        var assetRows: [[String?]] = []
        var addressRows: [[String?]] = []
        var macRows: [[String?]] = []
        for a in inventory.assets {
            let times = [String(a.firstSeen.nanoseconds), String(a.lastSeen.nanoseconds)]
            assetRows.append(try StoreSchema.assetRow(a) + times + [a.jsonText])
            addressRows += a.addresses.map { ["\($0.address)", a.id] }
            macRows += a.macs.map { [$0, a.id] }
        }
        let listRows = try inventory.assets.map(AssetListTable.row)
        let communicationRows = inventory.communications.map {
            [ColumnText.of($0.client), ColumnText.of($0.server), ColumnText.of($0.proto), $0.jsonText]
        }
        let changeRows: [[String?]] = inventory.changes.map {
            [String($0.time.nanoseconds)] + StoreSchema.changeRow($0)
        }
        let captureRows: [[String?]] = update.captures.map {
            [$0.fingerprint, $0.path, String($0.bytes), String($0.packets), String($0.analysedAt.nanoseconds)]
        }
        try await run("write") {
            try await connection.withTransaction(logger: logger) { c in
                try await insert(c, "evidence_hosts", ["address", "record"], evidence.hosts.map { [$0.key, StoreCodec.text($0.record)] },
                                 conflict: "(address) DO UPDATE SET record = excluded.record")
                try await insert(c, "evidence_links", ["mac", "record"], evidence.links.map { [$0.key, StoreCodec.text($0.record)] },
                                 conflict: "(mac) DO UPDATE SET record = excluded.record")
                try await insert(c, "evidence_edges", ["client", "server", "proto", "record"],
                                 evidence.edges.map { [$0.client, $0.server, $0.proto, StoreCodec.text($0.record)] },
                                 conflict: "(client, server, proto) DO UPDATE SET record = excluded.record")
                StoreFaults.pauseInsideCommit()
                for table in ["assets", "asset_addresses", "asset_macs", "communications"] {
                    try await c.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"), logger: logger)
                }
                try await insert(c, "assets", ["id", "role", "level", "vendor", "model", "firmware", "first_seen", "last_seen", "record"],
                                 assetRows, casts: [7: "BIGINT", 8: "BIGINT"])
                try await insert(c, "asset_addresses", ["address", "asset_id"], addressRows, conflict: "DO NOTHING")
                try await insert(c, "asset_macs", ["mac", "asset_id"], macRows, conflict: "DO NOTHING")
                try await c.query(PostgresQuery(unsafeSQL: "DELETE FROM asset_list"), logger: logger)
                try await insert(c, "asset_list", AssetListTable.columns, listRows, casts: [7: "BIGINT", 8: "BIGINT"])
                try await insert(c, "communications", ["client", "server", "proto", "record"], communicationRows)
                try await insert(c, "changes", ["time", "asset_id", "kind", "field", "previous", "current", "source", "text"],
                                 changeRows, casts: [1: "BIGINT"], conflict: "(asset_id, kind, field, time, current) DO NOTHING")
                try await insert(c, "captures", ["fingerprint", "path", "bytes", "packets", "analysed_at"], captureRows,
                                 casts: [3: "BIGINT", 4: "BIGINT", 5: "BIGINT"], conflict: "(fingerprint) DO NOTHING")
                if let detection = update.detection { try await writeDetection(detection, c) }
            }
        }
    }

    /// Multi-row INSERTs of text values ($n placeholders, cast where the column is a number).
    private func insert(
        _ c: PostgresConnection, _ table: String, _ columns: [String], _ rows: [[String?]],
        casts: [Int: String] = [:], conflict: String? = nil
    ) async throws {
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + Self.batchRows, rows.count)]
            var binds = PostgresBindings(capacity: batch.count * columns.count)
            var tuples: [String] = []
            for row in batch {
                var placeholders: [String] = []
                for (i, value) in row.enumerated() {
                    binds.append(value)
                    let n = binds.count
                    placeholders.append(casts[i + 1].map { "$\(n)::\($0)" } ?? "$\(n)")
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + tuples.joined(separator: ", ")
            if let conflict { sql += " ON CONFLICT " + conflict }
            try await c.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            start += Self.batchRows
        }
    }

    public func inventory() async throws -> Inventory {
        try await run("read") {
            var assets: [Asset] = []
            for try await (id, record) in try await connection.query(
                "SELECT id, record FROM assets ORDER BY id", logger: logger
            ).decode((String, String).self) {
                assets.append(try StoreCodec.decode(Asset.self, record, what: "asset \(id)"))
            }
            var communications: [Communication] = []
            for try await record in try await connection.query(
                "SELECT record FROM communications ORDER BY client, server, proto", logger: logger
            ).decode(String.self) {
                communications.append(try StoreCodec.decode(Communication.self, record, what: "communication"))
            }
            var changes: [AssetChange] = []
            for try await (time, asset, kind, field, previous, current, source, text) in try await connection.query(
                "SELECT time, asset_id, kind, field, previous, current, source, text FROM changes ORDER BY time, seq",
                logger: logger
            ).decode((Int64, String, String, String, String?, String, String?, String).self) {
                changes.append(try StoreRows.change(
                    time: time, asset: asset, kind: kind, field: field, previous: previous, current: current,
                    source: source, text: text))
            }
            return Inventory(assets: assets, communications: communications, changes: changes, dropped: 0)
        }
    }

    public func captures() async throws -> [CaptureRecord] {
        try await run("read") {
            var out: [CaptureRecord] = []
            for try await (fingerprint, path, bytes, packets, at) in try await connection.query(
                "SELECT fingerprint, path, bytes, packets, analysed_at FROM captures ORDER BY analysed_at, path",
                logger: logger
            ).decode((String, String, Int64, Int64, Int64).self) {
                out.append(CaptureRecord(
                    fingerprint: fingerprint, path: path, bytes: bytes, packets: packets,
                    analysedAt: Timestamp(nanoseconds: at)))
            }
            return out
        }
    }

    func run<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("database \(location): cannot \(what): \(Self.describe(error))")
        }
    }
}
