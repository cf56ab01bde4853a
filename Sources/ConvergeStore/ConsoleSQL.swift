/// One parameterised statement for the console's queries, written once for both backends: the SQL
/// uses `?` for every value (SQLite's spelling; PostgreSQL's `$n` is derived from it), values are
/// always bound, never spliced. The SQL text itself is built only from constants of this module.
public struct ConsoleSQL: Sendable {
    public enum Value: Sendable, Hashable {
        case text(String)
        case integer(Int64)
        case null
    }

    public private(set) var sql: String
    public private(set) var values: [Value]

    public init(_ sql: String, _ values: [Value] = []) {
        self.sql = sql
        self.values = values
    }

    /// Appends a fragment and its values.
    public mutating func append(_ fragment: String, _ more: Value...) {
        sql += fragment
        values += more
    }

    /// The SQL with PostgreSQL's numbered placeholders (`$1`, `$2` …) in place of `?`. The console's
    /// SQL has no `?` inside literals, so every `?` is a placeholder.
    public var numbered: String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        var n = 0
        for character in sql {
            if character == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// `text` as a LIKE pattern that matches it anywhere, its own `%`, `_` and `\` taken literally
    /// (used with `ESCAPE '\'`).
    public static func containsPattern(_ text: String) -> String {
        var out = "%"
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "%"
    }
}

/// What a backend gives the console: rows of text cells for a query, and a statement run.
/// Every selected column is cast to TEXT in the SQL, so one row shape serves both backends.
public protocol ConsoleDatabase: AnyObject, Sendable {
    func consoleRows(_ query: ConsoleSQL) async throws -> [[String?]]
    func consoleExecute(_ query: ConsoleSQL) async throws
}
