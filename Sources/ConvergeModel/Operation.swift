/// What an application message does to the device it talks to, normalised across protocols so
/// rules and the console can ask "who wrote to this PLC" without knowing the protocol.
public enum Operation: String, Sendable, Codable, CaseIterable {
    case read, write
    /// Start, stop, reset, operate.
    case control
    /// Upload, download or delete logic.
    case program
    case firmware, diagnostic, discovery, session, auth, other

    /// The operation's place in `allCases`, for fixed-size tallies (no array built per call).
    @inline(__always)
    public var index: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .control: 2
        case .program: 3
        case .firmware: 4
        case .diagnostic: 5
        case .discovery: 6
        case .session: 7
        case .auth: 8
        case .other: 9
        }
    }
}

/// Which way a message travels within its flow.
public enum Direction: UInt8, Sendable, Codable {
    case toServer = 0
    case toClient = 1
    public var reversed: Direction { self == .toServer ? .toClient : .toServer }

    /// The JSON name: `to_server` or `to_client`.
    public var name: String { self == .toServer ? "to_server" : "to_client" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "to_server": self = .toServer
        case "to_client": self = .toClient
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad direction \(text)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

/// The transport a flow runs over.
public enum Transport: UInt8, Sendable, Codable, CustomStringConvertible {
    case tcp = 6, udp = 17, icmp = 1, icmpv6 = 58, other = 255

    /// In JSON by name (`tcp`, `udp`, …), the way people read it.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let value = [Transport.tcp, .udp, .icmp, .icmpv6, .other].first(where: { $0.description == name }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad transport \(name)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
    public var description: String {
        switch self {
        case .tcp: "tcp"
        case .udp: "udp"
        case .icmp: "icmp"
        case .icmpv6: "icmpv6"
        case .other: "other"
        }
    }
}

/// Keyed by name in JSON (`{"read": 3}`), not as an array of pairs.
extension Operation: CodingKeyRepresentable {}
