/// The detection tables (`v2_detection`): alerts with their triage history, and the learned
/// baseline as one row per asset and one JSON record per client→server pair, so a pair can be
/// reviewed, pruned by age or removed on its own.
enum DetectionSchema {
    static func version2(autoIncrement: String) -> [String] {
        [
            """
            CREATE TABLE alerts (
                id TEXT PRIMARY KEY, rule TEXT NOT NULL, severity TEXT NOT NULL, severity_rank INTEGER NOT NULL,
                state TEXT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, count BIGINT NOT NULL,
                record TEXT NOT NULL)
            """,
            "CREATE INDEX alerts_rule ON alerts (rule)",
            "CREATE INDEX alerts_last_seen ON alerts (last_seen)",
            """
            CREATE TABLE alert_triage (
                seq \(autoIncrement), alert_id TEXT NOT NULL, time BIGINT NOT NULL, state TEXT NOT NULL,
                note TEXT NOT NULL, by_user TEXT NOT NULL)
            """,
            "CREATE INDEX alert_triage_alert ON alert_triage (alert_id)",
            """
            CREATE TABLE baseline_assets (
                address TEXT PRIMARY KEY, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, record TEXT NOT NULL)
            """,
            """
            CREATE TABLE baseline_pairs (
                client TEXT NOT NULL, server TEXT NOT NULL, proto TEXT NOT NULL, last_seen BIGINT NOT NULL,
                record TEXT NOT NULL, PRIMARY KEY (client, server, proto))
            """,
        ]
    }
}
