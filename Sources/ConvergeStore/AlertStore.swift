import ConvergeDetection
import ConvergeModel

/// Alerts and the learned baseline in the store (both backends, tables of `DetectionSchema`).
/// `converge analyze` commits a run's alerts with its inventory (`StoreUpdate.detection`);
/// the console and `converge alerts` read them and set their triage state.
public protocol DetectionStore: AnyObject, Sendable {
    /// Upserts by id: a stored alert's count grows by the new count, its first/last times widen,
    /// its evidence is merged (capped at `Alert.maxEvidence`) and its triage state is kept.
    func commitAlerts(_ alerts: [Alert]) async throws
    /// Alerts matching the filter, most recent last-seen first.
    func alerts(_ filter: AlertFilter) async throws -> [Alert]
    func alert(id: String) async throws -> Alert?
    /// Sets an alert's triage state and logs who did it and why; false when no alert has the id.
    @discardableResult
    func setTriage(id: String, state: Alert.TriageState, note: String, by user: String) async throws -> Bool
    /// The triage history of an alert, oldest first.
    func triageLog(id: String) async throws -> [TriageEntry]
    /// The stored baseline (empty when nothing was learned).
    func loadBaseline() async throws -> Baseline
    /// Replaces the stored baseline with this one.
    func saveBaseline(_ baseline: Baseline) async throws
    /// Forgets the whole baseline.
    func resetBaseline() async throws
    /// Forgets pairs last seen before `olderThan` (and assets nothing keeps), or one pair.
    func pruneBaseline(olderThan: Timestamp?, pair: Baseline.Pair?) async throws -> (pairs: Int, assets: Int)
}

/// Which alerts `alerts(_:)` returns.
public struct AlertFilter: Sendable, Hashable {
    /// The least severity listed (`high` lists high and critical).
    public var minimumSeverity: Alert.Severity?
    public var rule: String?
    public var state: Alert.TriageState?
    public var limit: Int

    public static let maxLimit = 100_000

    public init(
        minimumSeverity: Alert.Severity? = nil, rule: String? = nil, state: Alert.TriageState? = nil,
        limit: Int = AlertFilter.maxLimit
    ) {
        self.minimumSeverity = minimumSeverity
        self.rule = rule
        self.state = state
        self.limit = max(0, min(limit, Self.maxLimit))
    }
}

/// One triage action on an alert.
public struct TriageEntry: Sendable, Hashable, Codable {
    public var time: Timestamp
    public var state: Alert.TriageState
    public var note: String
    public var user: String
    public init(time: Timestamp, state: Alert.TriageState, note: String, user: String) {
        self.time = time
        self.state = state
        self.note = note
        self.user = user
    }
}

/// What a run adds to the detection tables, committed in the same transaction as its inventory
/// (`StoreUpdate.detection`): a run killed before its commit leaves neither.
public struct DetectionUpdate: Sendable {
    public var alerts: [Alert]
    /// The baseline to store in place of the old one (learn mode); nil leaves it as it is.
    public var baseline: Baseline?
    public init(alerts: [Alert] = [], baseline: Baseline? = nil) {
        self.alerts = alerts
        self.baseline = baseline
    }
}

extension Alert {
    /// This alert (stored) with a newer occurrence of it folded in: counts add, times widen,
    /// evidence is merged without duplicates up to `maxEvidence`, the newer text and fields win,
    /// the triage state stays the stored one.
    func merged(with newer: Alert) -> Alert {
        var out = newer
        out.count = count &+ newer.count
        out.firstSeen = Swift.min(firstSeen, newer.firstSeen)
        out.lastSeen = Swift.max(lastSeen, newer.lastSeen)
        var evidence = self.evidence
        var seen = Set(evidence)
        for frame in newer.evidence where evidence.count < Alert.maxEvidence && !seen.contains(frame) {
            evidence.append(frame)
            seen.insert(frame)
        }
        out.evidence = Array(evidence.prefix(Alert.maxEvidence))
        out.severity = Swift.max(severity, newer.severity)
        out.state = state
        return out
    }

    /// Alerts of one batch with the same id folded into one (a batch may repeat an id when several
    /// detectors or runs feed it).
    static func folded(_ alerts: [Alert]) -> [Alert] {
        var byID: [String: Alert] = [:]
        var order: [String] = []
        for alert in alerts {
            if let existing = byID[alert.id] {
                byID[alert.id] = existing.merged(with: alert)
            } else {
                byID[alert.id] = alert
                order.append(alert.id)
            }
        }
        return order.compactMap { byID[$0] }
    }
}

/// Text for a column: PostgreSQL's TEXT cannot hold NUL, so both backends store it as U+FFFD in
/// key and note columns (the JSON record keeps the exact text) and look ids up the same way.
enum ColumnText {
    static func of(_ text: String) -> String {
        // A byte scan: `contains` on a String with Foundation imported is a Foundation substring
        // search, and every identity value and change of a commit passes through here.
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }
}
