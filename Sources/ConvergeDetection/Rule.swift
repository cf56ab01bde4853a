import ConvergeModel

/// One detection rule, as loaded from a `Rules/*.yaml` file: what it is about (ATT&CK for ICS,
/// severity, advice), which events it matches (`match`), how often they must occur (`threshold`)
/// and how its matches aggregate into alerts (`groupBy`).
public struct Rule: Sendable {
    public var id: String
    public var title: String
    public var severity: Alert.Severity
    /// MITRE ATT&CK for ICS technique ids (`T0843`) and tactic ids (`TA0106`).
    public var techniques: [String]
    public var tactics: [String]
    public var description: String
    public var remediation: String
    /// The kind of event the rule looks at.
    public var subject: Subject
    public var match: RuleMatch
    public var threshold: Threshold?
    /// Which matches share one alert: by source, by server or by client→server pair.
    public var groupBy: Scope
    /// Where the rule was read, for messages about it (`Rules/modbus.yaml`, line of its `id`).
    public var file: String
    public var line: Int

    public init(
        id: String, title: String, severity: Alert.Severity, techniques: [String] = [], tactics: [String] = [],
        description: String = "", remediation: String = "", subject: Subject = .message,
        match: RuleMatch = RuleMatch(), threshold: Threshold? = nil, groupBy: Scope = .pair,
        file: String = "", line: Int = 0
    ) {
        self.id = id
        self.title = title
        self.severity = severity
        self.techniques = techniques
        self.tactics = tactics
        self.description = description
        self.remediation = remediation
        self.subject = subject
        self.match = match
        self.threshold = threshold
        self.groupBy = groupBy
        self.file = file
        self.line = line
    }

    /// The event kind a rule matches (`on:` in YAML).
    public enum Subject: String, Sendable, CaseIterable {
        case message
        case assetFact = "asset_fact"
        case flow
    }

    /// Who an alert or a threshold window is about. For messages and flows the source is the
    /// client (the side that opened the conversation); for asset facts it is the fact's address.
    public enum Scope: String, Sendable, CaseIterable {
        case source, server, pair
    }

    /// "At least `count` matches (or `count` distinct values of `distinct`) within `window`
    /// seconds, per `per`". The window opens at the first match and closes `window` seconds later;
    /// it fires once, when the count is reached.
    public struct Threshold: Sendable, Hashable {
        public var count: Int
        public var distinct: DistinctField?
        public var windowSeconds: Int64
        public var per: Scope

        public init(count: Int, distinct: DistinctField? = nil, windowSeconds: Int64, per: Scope) {
            self.count = count
            self.distinct = distinct
            self.windowSeconds = windowSeconds
            self.per = per
        }
    }

    /// The field whose distinct values a threshold counts.
    public enum DistinctField: String, Sendable, CaseIterable {
        case unit, function, server, client, port, target
    }
}
