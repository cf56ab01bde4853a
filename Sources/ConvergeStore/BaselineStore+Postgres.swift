import ConvergeDetection
import ConvergeModel
import PostgresNIO

extension PostgresStore {
    public func loadBaseline() async throws -> Baseline {
        try await run("read baseline") {
            var rows = BaselineRows()
            for try await (address, record) in try await connection.query(
                "SELECT address, record FROM baseline_assets", logger: logger
            ).decode((String, String).self) {
                rows.assets.append((address, record))
            }
            for try await (client, server, proto, record) in try await connection.query(
                "SELECT client, server, proto, record FROM baseline_pairs", logger: logger
            ).decode((String, String, String, String).self) {
                rows.pairs.append((client, server, proto, record))
            }
            return try rows.baseline()
        }
    }

    public func saveBaseline(_ baseline: Baseline) async throws {
        try await run("write baseline") {
            try await connection.withTransaction(logger: logger) { c in try await replaceBaseline(baseline, c) }
        }
    }

    public func resetBaseline() async throws {
        try await run("reset baseline") {
            try await connection.withTransaction(logger: logger) { c in
                try await c.query("DELETE FROM baseline_assets", logger: logger)
                try await c.query("DELETE FROM baseline_pairs", logger: logger)
            }
        }
    }

    public func pruneBaseline(olderThan: Timestamp?, pair: Baseline.Pair?) async throws -> (pairs: Int, assets: Int) {
        var baseline = try await loadBaseline()
        let result = BaselineRows.prune(&baseline, olderThan: olderThan, pair: pair)
        try await saveBaseline(baseline)
        return result
    }

    func replaceBaseline(_ baseline: Baseline, _ c: PostgresConnection) async throws {
        try await c.query("DELETE FROM baseline_assets", logger: logger)
        try await c.query("DELETE FROM baseline_pairs", logger: logger)
        let rows = try BaselineRows(baseline)
        for row in rows.assetRows {
            try await c.query(
                """
                INSERT INTO baseline_assets (address, first_seen, last_seen, record)
                VALUES (\(row.address), \(row.firstSeen), \(row.lastSeen), \(row.record))
                """, logger: logger)
        }
        for row in rows.pairRows {
            try await c.query(
                """
                INSERT INTO baseline_pairs (client, server, proto, last_seen, record)
                VALUES (\(row.client), \(row.server), \(row.proto), \(row.lastSeen), \(row.record))
                """, logger: logger)
        }
    }
}
