import ConvergeModel
import Crypto
import Foundation

/// A zone policy as stored: the file's text as it was checked, where it was read from, when,
/// and the SHA-256 of the text (hex).
public struct StoredPolicy: Sendable, Hashable, Codable {
    public var text: String
    public var source: String
    public var storedAt: Timestamp
    public var sha256: String

    /// Larger texts are refused (the policy reader's own limit is the same).
    public static let maxTextBytes = 32 << 20

    public init(text: String, source: String, storedAt: Timestamp) {
        self.text = text
        self.source = source
        self.storedAt = storedAt
        self.sha256 = Self.hash(text)
    }

    init(text: String, source: String, storedAt: Timestamp, sha256: String) {
        self.text = text
        self.source = source
        self.storedAt = storedAt
        self.sha256 = sha256
    }

    public static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The policy in the store (table `policies` of migration `v4_policy`), on both backends.
public protocol PolicyStore: Sendable {
    /// Stores the policy as the current one (a text stored before only gets the new time and source).
    func savePolicy(_ policy: StoredPolicy) async throws
    /// The policy stored last, or nil when none was.
    func currentPolicy() async throws -> StoredPolicy?
}

extension PolicyStore where Self: ConsoleDatabase {
    public func savePolicy(_ policy: StoredPolicy) async throws {
        guard policy.text.utf8.count <= StoredPolicy.maxTextBytes else {
            throw StoreError("the policy is larger than \(StoredPolicy.maxTextBytes) bytes")
        }
        try await consoleExecute(
            ConsoleSQL(
                """
                INSERT INTO policies (sha256, source, stored_at, text) VALUES (?, ?, ?, ?)
                ON CONFLICT (sha256) DO UPDATE SET source = excluded.source, stored_at = excluded.stored_at
                """,
                [
                    .text(policy.sha256), .text(ColumnText.of(policy.source)), .integer(policy.storedAt.nanoseconds),
                    .text(ColumnText.of(policy.text)),
                ]))
    }

    public func currentPolicy() async throws -> StoredPolicy? {
        let rows = try await consoleRows(
            ConsoleSQL(
                """
                SELECT sha256, source, CAST(stored_at AS TEXT), text FROM policies
                ORDER BY policies.stored_at DESC, policies.sha256 LIMIT 1
                """))
        guard let row = rows.first, row.count == 4, let sha = row[0], let at = Int64(row[2] ?? "") else { return nil }
        return StoredPolicy(text: row[3] ?? "", source: row[1] ?? "", storedAt: Timestamp(nanoseconds: at), sha256: sha)
    }
}

extension SQLiteStore: PolicyStore {}
extension PostgresStore: PolicyStore {}
