import ConvergeInventory
import ConvergeModel
import Foundation

/// JSON for the records a store keeps whole (an asset with its identity and reasons, a
/// conversation): one encoding for both backends.
enum StoreCodec {
    /// One encoder for a whole commit: making one per record cost more than some records' encoding.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func encode<T: Encodable>(_ value: T, with encoder: JSONEncoder = encoder()) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError("stored \(what) cannot be read: \(error)")
        }
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
}

/// The schema's tables, the same on SQLite and PostgreSQL. Migrations are append-only: a shipped
/// one is never edited, a change is a new one.
enum StoreSchema {
    /// Every migration, in the order they apply; each takes the backend's spelling of an identity
    /// column. Append a new one for every schema change; never edit or reorder a shipped one.
    static let migrations: [(name: String, statements: @Sendable (String) -> [String])] = [
        ("v1", version1(autoIncrement:)),
        ("v2_detection", DetectionSchema.version2(autoIncrement:)),
        ("v3_console", ConsoleSchema.version3(autoIncrement:)),
        ("v4_policy", PolicySchema.version4(autoIncrement:)),
    ]

    /// Version 1, with `autoIncrement` the backend's spelling of an identity column.
    static func version1(autoIncrement: String) -> [String] {
        [
            """
            CREATE TABLE captures (
                fingerprint TEXT PRIMARY KEY, path TEXT NOT NULL, bytes BIGINT NOT NULL, packets BIGINT NOT NULL,
                analysed_at BIGINT NOT NULL)
            """,
            "CREATE TABLE evidence_hosts (address TEXT PRIMARY KEY, record TEXT NOT NULL)",
            "CREATE TABLE evidence_links (mac TEXT PRIMARY KEY, record TEXT NOT NULL)",
            """
            CREATE TABLE evidence_edges (
                client TEXT NOT NULL, server TEXT NOT NULL, proto TEXT NOT NULL, record TEXT NOT NULL,
                PRIMARY KEY (client, server, proto))
            """,
            """
            CREATE TABLE assets (
                id TEXT PRIMARY KEY, role TEXT NOT NULL, level TEXT, vendor TEXT, model TEXT, firmware TEXT,
                first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, record TEXT NOT NULL)
            """,
            "CREATE INDEX assets_role ON assets (role)",
            "CREATE INDEX assets_level ON assets (level)",
            "CREATE TABLE asset_addresses (address TEXT NOT NULL, asset_id TEXT NOT NULL, PRIMARY KEY (address, asset_id))",
            "CREATE TABLE asset_macs (mac TEXT NOT NULL, asset_id TEXT NOT NULL, PRIMARY KEY (mac, asset_id))",
            """
            CREATE TABLE communications (
                client TEXT NOT NULL, server TEXT NOT NULL, proto TEXT NOT NULL, record TEXT NOT NULL,
                PRIMARY KEY (client, server, proto))
            """,
            """
            CREATE TABLE changes (
                seq \(autoIncrement), time BIGINT NOT NULL, asset_id TEXT NOT NULL, kind TEXT NOT NULL,
                field TEXT NOT NULL, previous TEXT, current TEXT NOT NULL, source TEXT, text TEXT NOT NULL,
                UNIQUE (asset_id, kind, field, time, current))
            """,
            "CREATE INDEX changes_asset ON changes (asset_id)",
        ]
    }

    /// The values of one asset's row, in `assets` column order. Identity values come from the wire:
    /// a NUL in them is stored as U+FFFD (`ColumnText`), the record keeps the exact text.
    static func assetRow(_ asset: Asset) throws -> [String?] {
        [
            asset.id, asset.role.rawValue, asset.level?.rawValue, asset.current(.vendor) ?? asset.macVendor,
            asset.current(.model) ?? asset.current(.productCode), asset.current(.firmware) ?? asset.current(.revision),
        ].map { $0.map(ColumnText.of) }
    }

    /// The values of one change's row, in `changes` column order after `time` (asset_id, kind,
    /// field, previous, current, source, text), NULs as U+FFFD: a hostname from the wire lands here.
    static func changeRow(_ change: AssetChange) -> [String?] {
        [
            change.asset, change.kind.rawValue, change.field ?? "", change.previous, change.current ?? "",
            change.source, change.text,
        ].map { $0.map(ColumnText.of) }
    }
}
