import ConvergeInventory
import GRDB

extension ConsoleSQL.Value: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): ColumnText.of(text).databaseValue  // as the plain columns hold it
        case .integer(let value): value.databaseValue
        case .null: .null
        }
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ConsoleSQL.Value? {
        switch dbValue.storage {
        case .null: .null
        case .int64(let value): .integer(value)
        case .string(let text): .text(text)
        default: nil
        }
    }
}

extension SQLiteStore: ConsoleDatabase, ConsoleQueries, UserStore {
    /// Reads run on GRDB's reader queues (awaited), so a slow query never blocks the server's threads.
    public func consoleRows(_ query: ConsoleSQL) async throws -> [[String?]] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: query.sql, arguments: StatementArguments(query.values)).map { row in
                    (0..<row.count).map { row[$0] as String? }
                }
            }
        } catch let error as DatabaseError {
            throw StoreError("store \(path): cannot read: \(error.message ?? "\(error)")")
        }
    }

    public func consoleExecute(_ query: ConsoleSQL) async throws {
        do {
            try await pool.write { db in
                try db.execute(sql: query.sql, arguments: StatementArguments(query.values))
            }
        } catch let error as DatabaseError {
            throw StoreError("store \(path): cannot write: \(error.message ?? "\(error)")")
        }
    }
}

extension AssetListTable {
    /// Rebuilds the table inside an SQLite commit.
    static func replace(_ inventory: Inventory, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM asset_list")
        let insert = try db.cachedStatement(
            sql: "INSERT INTO asset_list (\(columns.joined(separator: ", "))) VALUES ("
                + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")")
        for asset in inventory.assets {
            var values: [(any DatabaseValueConvertible)?] = []
            for (index, value) in try row(asset).enumerated() {
                // first_seen and last_seen are integers.
                if index == 6 || index == 7 {
                    values.append(value.flatMap { Int64($0) })
                } else {
                    values.append(value)
                }
            }
            try insert.execute(arguments: StatementArguments(values))
        }
    }
}
