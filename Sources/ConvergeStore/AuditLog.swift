import ConvergeModel

/// One line of the audit log: who did what to what, from where.
public struct AuditEntry: Sendable, Hashable, Codable {
    public static let maxDetailLength = 1000

    public var time: Timestamp
    public var user: String
    /// `login`, `login_failed`, `logout`, `user_add`, `user_remove`, `user_passwd`, `user_role` …
    public var action: String
    public var target: String
    public var detail: String
    /// The client address, or `cli` for the command line.
    public var client: String

    public init(time: Timestamp, user: String, action: String, target: String, detail: String, client: String) {
        self.time = time
        self.user = String(user.prefix(ConsoleUser.maxNameLength * 2))
        self.action = action
        self.target = String(target.prefix(AuditEntry.maxDetailLength))
        self.detail = String(detail.prefix(AuditEntry.maxDetailLength))
        self.client = String(client.prefix(100))
    }
}

extension UserStore where Self: ConsoleDatabase {
    public func appendAudit(_ entry: AuditEntry) async throws {
        try await consoleExecute(ConsoleSQL(
            "INSERT INTO console_audit (time, user_name, action, target, detail, client) VALUES (?, ?, ?, ?, ?, ?)",
            [
                .integer(entry.time.nanoseconds), .text(entry.user), .text(entry.action), .text(entry.target),
                .text(entry.detail), .text(entry.client),
            ]))
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await consoleRows(ConsoleSQL(
            "SELECT CAST(time AS TEXT), user_name, action, target, detail, client FROM console_audit ORDER BY seq DESC LIMIT ?",
            [.integer(Int64(min(max(limit, 1), 10_000)))]
        )).compactMap { row in
            guard row.count == 6, let time = Int64(row[0] ?? "") else { return nil }
            return AuditEntry(
                time: Timestamp(nanoseconds: time), user: row[1] ?? "", action: row[2] ?? "", target: row[3] ?? "",
                detail: row[4] ?? "", client: row[5] ?? "")
        }
    }
}
