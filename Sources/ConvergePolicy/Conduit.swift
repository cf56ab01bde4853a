import ConvergeModel

/// The one path traffic may take from one zone to another: the protocols allowed from clients
/// in `from` to servers in `to`, and per protocol the operations allowed.
public struct Conduit: Sendable, Hashable {
    public var name: String
    public var from: String
    public var to: String
    public var protocols: [Permission]
    public var description: String?
    public var line: Int

    /// One protocol on a conduit.
    public struct Permission: Sendable, Hashable {
        /// The engine's protocol name (`modbus`, `s7comm`, `enip`), or `tcp/PORT` / `udp/PORT`.
        public var name: String
        /// The operations allowed; nil allows every operation.
        public var operations: Set<Operation>?
        /// Ports to open in exported firewall rules instead of the protocol's standard ones.
        public var ports: [PortSpec]
        public var line: Int

        public init(name: String, operations: Set<Operation>? = nil, ports: [PortSpec] = [], line: Int = 0) {
            self.name = name
            self.operations = operations
            self.ports = ports
            self.line = line
        }

        public func allows(_ operation: Operation) -> Bool { operations?.contains(operation) ?? true }
    }

    public init(
        name: String, from: String, to: String, protocols: [Permission], description: String? = nil, line: Int = 0
    ) {
        self.name = name
        self.from = from
        self.to = to
        self.protocols = protocols
        self.description = description
        self.line = line
    }
}

/// A transport port: `502/tcp`.
public struct PortSpec: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Transport: String, Sendable, Hashable, Comparable {
        case tcp, udp
        public static func < (a: Transport, b: Transport) -> Bool { a.rawValue < b.rawValue }
    }

    public var port: UInt16
    public var transport: Transport

    public init(_ port: UInt16, _ transport: Transport) {
        self.port = port
        self.transport = transport
    }

    /// Parses `502/tcp`, `2222/udp` or a bare `502` (TCP).
    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, parts[0].count <= 5, let port = UInt16(parts[0]), port > 0 else {
            return nil
        }
        var transport = Transport.tcp
        if parts.count == 2 {
            guard let parsed = Transport(rawValue: String(parts[1])) else { return nil }
            transport = parsed
        }
        self.init(port, transport)
    }

    public var description: String { "\(port)/\(transport.rawValue)" }

    public static func < (a: PortSpec, b: PortSpec) -> Bool { (a.transport, a.port) < (b.transport, b.port) }
}
