/// The zones as the console shows them: what a policy check of the store's inventory against the
/// current policy finds. The console does not read policies itself; `converge serve` hands it a
/// `ZoneSource` (the policy stored by `converge policy check`, or `--policy FILE`).
public struct ZoneView: Sendable, Codable, Hashable {
    public var policy: PolicyInfo
    public var zones: [Zone]
    public var conduits: [Conduit]
    /// Observed traffic from clients in one zone (`from`) to servers in another or the same zone.
    public var matrix: [Cell]
    /// Assets no zone claims (at most `maxOutside`; `outsideTotal` counts them all).
    public var outside: [OutsideAsset]
    public var outsideTotal: Int
    /// Findings about the policy itself (overlaps, unreachable conduits, expired exceptions).
    public var diagnostics: [String]
    /// Asset id → the name of its zone, for the map (assets outside every zone are absent).
    public var membership: [String: String]

    /// Assets outside every zone listed at most; the count covers the rest.
    public static let maxOutside = 5_000
    /// The name the matrix uses for traffic to or from assets outside every zone.
    public static let outsideName = "(outside)"

    public init(
        policy: PolicyInfo, zones: [Zone], conduits: [Conduit], matrix: [Cell], outside: [OutsideAsset],
        outsideTotal: Int? = nil, diagnostics: [String] = [], membership: [String: String] = [:]
    ) {
        self.policy = policy
        self.zones = zones
        self.conduits = conduits
        self.matrix = matrix
        self.outsideTotal = outsideTotal ?? outside.count
        self.outside = Array(outside.prefix(Self.maxOutside))
        self.diagnostics = diagnostics
        self.membership = membership
    }

    /// Where the policy came from.
    public struct PolicyInfo: Sendable, Codable, Hashable {
        public var name: String?
        /// The file it was read from.
        public var source: String
        /// `store` (saved by `converge policy check`) or `file` (`converge serve --policy`).
        public var origin: String
        public var sha256: String?
        /// When it was stored (ISO 8601), for a stored policy.
        public var storedAt: String?

        public init(name: String?, source: String, origin: String, sha256: String?, storedAt: String?) {
            self.name = name
            self.source = source
            self.origin = origin
            self.sha256 = sha256
            self.storedAt = storedAt
        }
    }

    public struct Zone: Sendable, Codable, Hashable {
        public var name: String
        /// Purdue level (`0`…`5`, `3.5`), if the policy gives one.
        public var level: String?
        /// IEC 62443 target security level (SL-T).
        public var securityLevel: Int?
        public var members: Int

        public init(name: String, level: String?, securityLevel: Int?, members: Int) {
            self.name = name
            self.level = level
            self.securityLevel = securityLevel
            self.members = members
        }
    }

    public struct Conduit: Sendable, Codable, Hashable {
        public var name: String
        public var from: String
        public var to: String
        /// `modbus(read,write)`, `https(any)` …
        public var protocols: [String]
        /// Conversations it allowed.
        public var used: Int

        public init(name: String, from: String, to: String, protocols: [String], used: Int) {
            self.name = name
            self.from = from
            self.to = to
            self.protocols = protocols
            self.used = used
        }
    }

    public struct Cell: Sendable, Codable, Hashable {
        public var from: String
        public var to: String
        public var communications: Int
        public var messages: UInt64
        /// Conversations with at least one violation.
        public var violations: Int
        public var protocols: [String]

        public init(
            from: String, to: String, communications: Int, messages: UInt64, violations: Int, protocols: [String]
        ) {
            self.from = from
            self.to = to
            self.communications = communications
            self.messages = messages
            self.violations = violations
            self.protocols = protocols
        }
    }

    public struct OutsideAsset: Sendable, Codable, Hashable {
        public var id: String
        public var addresses: [String]
        public var role: String

        public init(id: String, addresses: [String], role: String) {
            self.id = id
            self.addresses = addresses
            self.role = role
        }
    }
}

/// Gives the console the current zone view; nil when no policy is known.
public protocol ZoneSource: Sendable {
    func zoneView() async throws -> ZoneView?
}
