import ConvergeModel

/// What a console user may do: viewers read, analysts also triage, admins also manage users.
public enum ConsoleRole: String, Sendable, Codable, CaseIterable, Comparable {
    case viewer, analyst, admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .analyst: 1
        case .admin: 2
        }
    }

    public static func < (a: ConsoleRole, b: ConsoleRole) -> Bool { a.rank < b.rank }
}

/// A console account. The password is kept only as its bcrypt hash.
public struct ConsoleUser: Sendable, Hashable {
    public var name: String
    public var role: ConsoleRole
    public var passwordHash: String
    public var createdAt: Timestamp

    public init(name: String, role: ConsoleRole, passwordHash: String, createdAt: Timestamp) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }

    public static let maxNameLength = 64

    /// A user name is 1–64 of `A-Z a-z 0-9 . _ -`: it shows in pages, logs and the audit log.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maxNameLength
            && name.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E
                    || c == 0x5F || c == 0x2D
            }
    }
}

/// Console accounts and the audit log, in the store beside the inventory.
public protocol UserStore: Sendable {
    func users() async throws -> [ConsoleUser]
    func user(named name: String) async throws -> ConsoleUser?
    /// Adds the user; false when the name is taken.
    func addUser(_ user: ConsoleUser) async throws -> Bool
    /// False when there is no such user.
    func removeUser(named name: String) async throws -> Bool
    func setPasswordHash(_ hash: String, forUser name: String) async throws -> Bool
    func setRole(_ role: ConsoleRole, forUser name: String) async throws -> Bool
    func appendAudit(_ entry: AuditEntry) async throws
    /// The newest entries first.
    func auditLog(limit: Int) async throws -> [AuditEntry]
}

extension UserStore where Self: ConsoleDatabase {
    public func users() async throws -> [ConsoleUser] {
        try await consoleRows(ConsoleSQL(
            "SELECT name, role, password_hash, CAST(created_at AS TEXT) FROM console_users ORDER BY name"
        )).compactMap(Self.user(row:))
    }

    public func user(named name: String) async throws -> ConsoleUser? {
        try await consoleRows(ConsoleSQL(
            "SELECT name, role, password_hash, CAST(created_at AS TEXT) FROM console_users WHERE name = ?",
            [.text(name)]
        )).compactMap(Self.user(row:)).first
    }

    public func addUser(_ user: ConsoleUser) async throws -> Bool {
        // Count what the insert added: ON CONFLICT DO NOTHING is spelled the same on both backends.
        try await consoleExecute(ConsoleSQL(
            "INSERT INTO console_users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
            [.text(user.name), .text(user.role.rawValue), .text(user.passwordHash), .integer(user.createdAt.nanoseconds)]))
        return try await self.user(named: user.name)?.passwordHash == user.passwordHash
    }

    public func removeUser(named name: String) async throws -> Bool {
        guard try await user(named: name) != nil else { return false }
        try await consoleExecute(ConsoleSQL("DELETE FROM console_users WHERE name = ?", [.text(name)]))
        return true
    }

    public func setPasswordHash(_ hash: String, forUser name: String) async throws -> Bool {
        guard try await user(named: name) != nil else { return false }
        try await consoleExecute(ConsoleSQL(
            "UPDATE console_users SET password_hash = ? WHERE name = ?", [.text(hash), .text(name)]))
        return true
    }

    public func setRole(_ role: ConsoleRole, forUser name: String) async throws -> Bool {
        guard try await user(named: name) != nil else { return false }
        try await consoleExecute(ConsoleSQL(
            "UPDATE console_users SET role = ? WHERE name = ?", [.text(role.rawValue), .text(name)]))
        return true
    }

    private static func user(row: [String?]) -> ConsoleUser? {
        guard row.count == 4, let name = row[0], let role = ConsoleRole(rawValue: row[1] ?? ""), let hash = row[2],
            let created = Int64(row[3] ?? "")
        else { return nil }
        return ConsoleUser(name: name, role: role, passwordHash: hash, createdAt: Timestamp(nanoseconds: created))
    }
}
