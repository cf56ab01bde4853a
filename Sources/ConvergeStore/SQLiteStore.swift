import ConvergeInventory
import ConvergeModel
import Foundation
import GRDB

/// The inventory in one SQLite file (GRDB), in WAL mode so the console can read while an analysis
/// writes. Each commit is one transaction with prepared statements.
public final class SQLiteStore: InventoryStore, @unchecked Sendable {
    let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError("store \(path): \(error.message ?? "\(error)")")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in StoreSchema.migrations {
            migrator.registerMigration(migration.name) { db in
                for statement in migration.statements("INTEGER PRIMARY KEY AUTOINCREMENT") {
                    try db.execute(sql: statement)
                }
            }
        }
        return migrator
    }

    public func load() async throws -> StoredState {
        try wrap("read") {
            try pool.read { db in
                var state = StoredState()
                for row in try Row.fetchAll(db, sql: "SELECT address, record FROM evidence_hosts") {
                    state.evidence.hosts.append((row[0], Data((row[1] as String).utf8)))
                }
                for row in try Row.fetchAll(db, sql: "SELECT mac, record FROM evidence_links") {
                    state.evidence.links.append((row[0], Data((row[1] as String).utf8)))
                }
                for row in try Row.fetchAll(db, sql: "SELECT client, server, proto, record FROM evidence_edges") {
                    state.evidence.edges.append((row[0], row[1], row[2], Data((row[3] as String).utf8)))
                }
                for row in try Row.fetchAll(db, sql: "SELECT id, role, level FROM assets") {
                    state.classifications[row[0]] = Classification(role: row[1], level: row[2])
                }
                state.captureFingerprints = Set(try String.fetchAll(db, sql: "SELECT fingerprint FROM captures"))
                return state
            }
        }
    }

    public func commit(_ update: StoreUpdate) async throws {
        try wrap("write") {
            try pool.write { db in
                let host = try db.cachedStatement(sql: """
                    INSERT INTO evidence_hosts (address, record) VALUES (?, ?)
                    ON CONFLICT (address) DO UPDATE SET record = excluded.record
                    """)
                for row in update.evidence.hosts { try host.execute(arguments: [row.key, StoreCodec.text(row.record)]) }
                let link = try db.cachedStatement(sql: """
                    INSERT INTO evidence_links (mac, record) VALUES (?, ?)
                    ON CONFLICT (mac) DO UPDATE SET record = excluded.record
                    """)
                for row in update.evidence.links { try link.execute(arguments: [row.key, StoreCodec.text(row.record)]) }
                let edge = try db.cachedStatement(sql: """
                    INSERT INTO evidence_edges (client, server, proto, record) VALUES (?, ?, ?, ?)
                    ON CONFLICT (client, server, proto) DO UPDATE SET record = excluded.record
                    """)
                for row in update.evidence.edges {
                    try edge.execute(arguments: [row.client, row.server, row.proto, StoreCodec.text(row.record)])
                }
                StoreFaults.pauseInsideCommit()
                try replaceInventory(update.inventory, db)
                let capture = try db.cachedStatement(sql: """
                    INSERT INTO captures (fingerprint, path, bytes, packets, analysed_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (fingerprint) DO NOTHING
                    """)
                for c in update.captures {
                    try capture.execute(arguments: [c.fingerprint, c.path, c.bytes, c.packets, c.analysedAt.nanoseconds])
                }
                if let detection = update.detection { try Self.writeDetection(detection, db) }
            }
        }
    }

    /// The derived tables are rebuilt whole from the new inventory; the change log only grows.
    private func replaceInventory(_ inventory: Inventory, _ db: Database) throws {
        for table in ["assets", "asset_addresses", "asset_macs", "communications"] {
            try db.execute(sql: "DELETE FROM \(table)")
        }
        let asset = try db.cachedStatement(sql: """
            INSERT INTO assets (id, role, level, vendor, model, firmware, first_seen, last_seen, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let address = try db.cachedStatement(sql: "INSERT INTO asset_addresses (address, asset_id) VALUES (?, ?)")
        let mac = try db.cachedStatement(sql: "INSERT INTO asset_macs (mac, asset_id) VALUES (?, ?)")
        for a in inventory.assets {
            var values: [(any DatabaseValueConvertible)?] = try StoreSchema.assetRow(a)
            values += [a.firstSeen.nanoseconds, a.lastSeen.nanoseconds, a.jsonText]
            try asset.execute(arguments: StatementArguments(values))
            for item in a.addresses { try address.execute(arguments: ["\(item.address)", a.id]) }
            for item in a.macs { try mac.execute(arguments: [item, a.id]) }
        }
        try AssetListTable.replace(inventory, db)
        let communication = try db.cachedStatement(sql: """
            INSERT INTO communications (client, server, proto, record) VALUES (?, ?, ?, ?)
            """)
        for c in inventory.communications {
            try communication.execute(arguments: [
                ColumnText.of(c.client), ColumnText.of(c.server), ColumnText.of(c.proto), c.jsonText,
            ])
        }
        let change = try db.cachedStatement(sql: """
            INSERT INTO changes (time, asset_id, kind, field, previous, current, source, text)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (asset_id, kind, field, time, current) DO NOTHING
            """)
        for c in inventory.changes {
            var values: [(any DatabaseValueConvertible)?] = StoreSchema.changeRow(c)
            values.insert(c.time.nanoseconds, at: 0)
            try change.execute(arguments: StatementArguments(values))
        }
    }

    public func inventory() async throws -> Inventory {
        try wrap("read") {
            try pool.read { db in
                var assets: [Asset] = []
                for row in try Row.fetchAll(db, sql: "SELECT id, record FROM assets ORDER BY id") {
                    assets.append(try StoreCodec.decode(Asset.self, row[1], what: "asset \(row[0] as String)"))
                }
                var communications: [Communication] = []
                for row in try Row.fetchAll(
                    db, sql: "SELECT client, server, proto, record FROM communications ORDER BY client, server, proto")
                {
                    communications.append(try StoreCodec.decode(Communication.self, row[3], what: "communication"))
                }
                var changes: [AssetChange] = []
                for row in try Row.fetchAll(db, sql: """
                    SELECT time, asset_id, kind, field, previous, current, source, text FROM changes ORDER BY time, seq
                    """)
                {
                    changes.append(try StoreRows.change(
                        time: row[0], asset: row[1], kind: row[2], field: row[3], previous: row[4], current: row[5],
                        source: row[6], text: row[7]))
                }
                return Inventory(assets: assets, communications: communications, changes: changes, dropped: 0)
            }
        }
    }

    public func captures() async throws -> [CaptureRecord] {
        try wrap("read") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT fingerprint, path, bytes, packets, analysed_at FROM captures ORDER BY analysed_at, path")
                    .map { CaptureRecord(fingerprint: $0[0], path: $0[1], bytes: $0[2], packets: $0[3], analysedAt: Timestamp(nanoseconds: $0[4])) }
            }
        }
    }

    public func close() async {}

    /// SQLite's own consistency check (`PRAGMA integrity_check`): "ok" for a sound file.
    public func integrityCheck() throws -> String {
        try wrap("check") { try pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "?" } }
    }

    func wrap<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StoreError("store \(path): cannot \(what): \(error.message ?? "\(error)")")
        }
    }
}

/// Row → value helpers shared by both backends.
enum StoreRows {
    static func change(
        time: Int64, asset: String, kind: String, field: String, previous: String?, current: String, source: String?,
        text: String
    ) throws -> AssetChange {
        guard let kind = AssetChange.Kind(rawValue: kind) else { throw StoreError("stored change of unknown kind \(kind)") }
        return AssetChange(
            time: Timestamp(nanoseconds: time), asset: asset, kind: kind, field: field.isEmpty ? nil : field,
            previous: previous, current: current.isEmpty ? nil : current, source: source, text: text)
    }
}
