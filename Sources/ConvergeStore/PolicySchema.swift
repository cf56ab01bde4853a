/// Migration "v4_policy": the zone policy `converge policy check` last checked against, kept whole
/// (its text, where it came from, when, and its SHA-256) so the console can show the zones without
/// being handed the file. One row per distinct text: checking the same file again only moves its time.
/// It also adds `asset_list`, the asset list's narrow table (`AssetListTable`).
enum PolicySchema {
    static func version4(autoIncrement: String) -> [String] {
        [
            """
            CREATE TABLE policies (
                sha256 TEXT PRIMARY KEY, source TEXT NOT NULL, stored_at BIGINT NOT NULL, text TEXT NOT NULL)
            """,
            "CREATE INDEX policies_stored_at ON policies (stored_at)",
        ] + AssetListTable.migration()
    }
}
