import ConvergeModel

/// Everything `converge policy check` reports: the violations as alerts, the zone × zone
/// matrix of observed traffic, and the state of zones, conduits and exceptions.
public struct PolicyCheckResult: Sendable, Codable {
    public var violations: [Alert]
    public var matrix: [MatrixCell]
    public var zones: [ZoneReport]
    public var conduits: [ConduitReport]
    /// Assets no zone claims: every conversation they take part in is a violation.
    public var unzoned: [UnzonedAsset]
    public var expiredExceptions: [String]
    /// Assets more than one zone claims (by different kinds of member), with the winner and why.
    public var overlaps: [String] = []
    /// The policy's own findings (overlaps, unreachable conduits), as text.
    public var diagnostics: [String]

    /// Observed traffic from clients in one zone to servers in another (or the same) zone.
    public struct MatrixCell: Sendable, Codable, Hashable {
        public var from: String
        public var to: String
        public var communications: Int
        public var messages: UInt64
        /// Communications with at least one violation.
        public var violations: Int
        public var protocols: [String]
    }

    public struct ZoneReport: Sendable, Codable, Hashable {
        public var name: String
        public var level: String?
        public var securityLevel: Int?
        public var assets: Int
        /// How the assets got in: `address in 10.0.0.0/24`, `role plc` … with counts.
        public var reasons: [String: Int]
    }

    public struct ConduitReport: Sendable, Codable, Hashable {
        public var name: String
        public var from: String
        public var to: String
        public var protocols: [String]
        /// Communications this conduit allowed (0: a candidate for removal).
        public var used: Int
    }

    public struct UnzonedAsset: Sendable, Codable, Hashable {
        public var id: String
        public var addresses: [String]
        public var role: String
    }

    /// The name used for traffic to or from assets no zone claims.
    public static let outside = "(outside)"
}
