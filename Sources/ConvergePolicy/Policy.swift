/// Zones, the conduits between them and the exceptions: segmentation as a file people review.
public struct Policy: Sendable {
    public var name: String?
    /// The file it was read from (for messages), or nil when built in code.
    public var file: String?
    public var zones: [Zone]
    public var conduits: [Conduit]
    public var exceptions: [PolicyException]
    /// What loading found worth a person's attention without refusing the file: overlapping
    /// zones, conduits that can never match, expired exceptions.
    public var diagnostics: [PolicyDiagnostic]

    public init(
        name: String? = nil, file: String? = nil, zones: [Zone], conduits: [Conduit] = [],
        exceptions: [PolicyException] = [], diagnostics: [PolicyDiagnostic] = []
    ) {
        self.name = name
        self.file = file
        self.zones = zones
        self.conduits = conduits
        self.exceptions = exceptions
        self.diagnostics = diagnostics
    }

    public func zone(named name: String) -> Zone? { zones.first { $0.name == name } }
}

/// A finding about the policy itself, with the line it is about.
public struct PolicyDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Two zones claim the same addresses, asset, role or vendor; the text says which wins and why.
        case overlap
        /// A conduit (or one of its protocols) that no traffic can ever be decided by.
        case unreachable
        /// An exception whose expiry date has passed.
        case expired
    }

    public var kind: Kind
    public var line: Int
    public var message: String

    public init(kind: Kind, line: Int, message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(kind.rawValue): \(message)" }

    /// `FILE:LINE: kind: message`, the way compilers print it.
    public func formatted(file: String?) -> String { "\(file ?? "<policy>"):\(line): \(kind.rawValue): \(message)" }
}
