/// Migration "v3_console": console accounts, the audit log, and indexes for the asset list's sorts
/// and the conversation searches. Sessions are kept in the server's memory, not here.
enum ConsoleSchema {
    static func version3(autoIncrement: String) -> [String] {
        [
            """
            CREATE TABLE console_users (
                name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE console_audit (
                seq \(autoIncrement), time BIGINT NOT NULL, user_name TEXT NOT NULL, action TEXT NOT NULL,
                target TEXT NOT NULL, detail TEXT NOT NULL, client TEXT NOT NULL)
            """,
            "CREATE INDEX assets_vendor ON assets (vendor)",
            "CREATE INDEX assets_last_seen ON assets (last_seen)",
            "CREATE INDEX communications_server ON communications (server)",
            "CREATE INDEX communications_proto ON communications (proto)",
        ]
    }
}
