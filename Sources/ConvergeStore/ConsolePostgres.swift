import PostgresNIO

extension PostgresStore: ConsoleDatabase, ConsoleQueries, UserStore {
    public func consoleRows(_ query: ConsoleSQL) async throws -> [[String?]] {
        try await run("read") {
            var out: [[String?]] = []
            for try await row in try await connection.query(Self.postgresQuery(query), logger: logger) {
                var cells: [String?] = []
                cells.reserveCapacity(row.count)
                for cell in row { cells.append(try cell.decode(String?.self)) }
                out.append(cells)
            }
            return out
        }
    }

    public func consoleExecute(_ query: ConsoleSQL) async throws {
        try await run("write") {
            _ = try await connection.query(Self.postgresQuery(query), logger: logger)
        }
    }

    static func postgresQuery(_ query: ConsoleSQL) -> PostgresQuery {
        var binds = PostgresBindings(capacity: query.values.count)
        for value in query.values {
            switch value {
            case .text(let text): binds.append(ColumnText.of(text))  // PostgreSQL refuses NUL in text
            case .integer(let number): binds.append(number)
            case .null: binds.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: query.numbered, binds: binds)
    }
}
