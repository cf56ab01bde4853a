/// Something detection (a rule, a baseline deviation, a policy violation) wants a person to look
/// at, with the packets behind it. Repeated matches of one rule on one key (a source, a pair)
/// aggregate into one alert: its `count` grows and `lastSeen` moves, its evidence keeps the first
/// frames up to `Alert.maxEvidence`.
public struct Alert: Sendable, Codable, Hashable {
    /// Stable for the same rule and key, so a rerun over the same capture updates rather than
    /// duplicates (e.g. `modbus-write-new-host:10.0.0.5>10.0.0.9`).
    public var id: String
    /// The rule that raised it (`Rules/*.yaml` id, `baseline.new_pair`, `policy.violation`).
    public var rule: String
    public var title: String
    public var severity: Severity
    /// MITRE ATT&CK for ICS technique ids (`T0843`) and tactic ids (`TA0106`).
    public var techniques: [String]
    public var tactics: [String]
    /// The addresses (or asset ids) involved, source first.
    public var assets: [String]
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    public var count: Int
    /// The event fields that matched, by name (`proto`, `function`, `target`, `value` …).
    public var fields: [String: String]
    public var evidence: [EvidenceFrame]
    public var description: String
    public var remediation: String
    /// Triage: set by people in the console, never by detection.
    public var state: TriageState

    public static let maxEvidence = 64

    public init(
        id: String, rule: String, title: String, severity: Severity, techniques: [String] = [],
        tactics: [String] = [], assets: [String] = [], firstSeen: Timestamp, lastSeen: Timestamp, count: Int = 1,
        fields: [String: String] = [:], evidence: [EvidenceFrame] = [], description: String = "",
        remediation: String = "", state: TriageState = .new
    ) {
        self.id = id
        self.rule = rule
        self.title = title
        self.severity = severity
        self.techniques = techniques
        self.tactics = tactics
        self.assets = assets
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
        self.fields = fields
        self.evidence = evidence
        self.description = description
        self.remediation = remediation
        self.state = state
    }

    public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
        case info, low, medium, high, critical

        public var rank: Int {
            switch self {
            case .info: 0
            case .low: 1
            case .medium: 2
            case .high: 3
            case .critical: 4
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public enum TriageState: String, Sendable, Codable, CaseIterable {
        case new, acknowledged, closed
    }

    /// One packet behind an alert: the capture file (as given to the run) and its 1-based frame.
    public struct EvidenceFrame: Sendable, Codable, Hashable {
        public var capture: String
        public var frame: Int
        public init(capture: String, frame: Int) {
            self.capture = capture
            self.frame = frame
        }
    }
}
