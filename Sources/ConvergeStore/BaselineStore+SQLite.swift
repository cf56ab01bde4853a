import ConvergeDetection
import ConvergeModel
import GRDB

extension SQLiteStore {
    public func loadBaseline() async throws -> Baseline {
        try wrap("read baseline") {
            try pool.read { db in
                var rows = BaselineRows()
                for row in try Row.fetchAll(db, sql: "SELECT address, record FROM baseline_assets") {
                    rows.assets.append((row[0], row[1]))
                }
                for row in try Row.fetchAll(db, sql: "SELECT client, server, proto, record FROM baseline_pairs") {
                    rows.pairs.append((row[0], row[1], row[2], row[3]))
                }
                return try rows.baseline()
            }
        }
    }

    public func saveBaseline(_ baseline: Baseline) async throws {
        try wrap("write baseline") { try pool.write { db in try Self.replaceBaseline(baseline, db) } }
    }

    public func resetBaseline() async throws {
        try wrap("reset baseline") {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM baseline_assets")
                try db.execute(sql: "DELETE FROM baseline_pairs")
            }
        }
    }

    public func pruneBaseline(olderThan: Timestamp?, pair: Baseline.Pair?) async throws -> (pairs: Int, assets: Int) {
        var baseline = try await loadBaseline()
        let result = BaselineRows.prune(&baseline, olderThan: olderThan, pair: pair)
        try await saveBaseline(baseline)
        return result
    }

    static func replaceBaseline(_ baseline: Baseline, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM baseline_assets")
        try db.execute(sql: "DELETE FROM baseline_pairs")
        let rows = try BaselineRows(baseline)
        let asset = try db.cachedStatement(
            sql: """
                INSERT INTO baseline_assets (address, first_seen, last_seen, record) VALUES (?, ?, ?, ?)
                """)
        for row in rows.assetRows {
            try asset.execute(arguments: [row.address, row.firstSeen, row.lastSeen, row.record])
        }
        let pair = try db.cachedStatement(
            sql: """
                INSERT INTO baseline_pairs (client, server, proto, last_seen, record) VALUES (?, ?, ?, ?, ?)
                """)
        for row in rows.pairRows {
            try pair.execute(arguments: [row.client, row.server, row.proto, row.lastSeen, row.record])
        }
    }
}
