import ConvergeModel

extension SSH {
    /// What one `parse` call took: a text line, a cleartext packet, or encrypted bytes.
    public struct Frame: ParsedMessage, Sendable, Equatable {
        public enum Kind: UInt8, Sendable {
            /// The identification line `SSH-2.0-…`.
            case banner
            /// A line a server sent before its banner.
            case preamble
            /// A cleartext binary packet (`messageCode` says which).
            case packet
            /// Bytes after this side's NEWKEYS, skipped unread.
            case encrypted
        }

        public var kind: Kind
        public var direction: Direction
        public var messageCode: UInt8 = 0
        /// Bytes the frame covers (line with CR LF, whole packet, encrypted run).
        public var length: Int32 = 0
        /// A packet's payload length (message code included); it starts at offset 5.
        public var payloadLength: Int32 = 0
        public var anomalies = Anomalies()

        public var functionCode: Int { Int(messageCode) }
        public var hasFunction: Bool { kind == .packet }
        /// Encrypted bytes are stepped over, not messages.
        public var isMessage: Bool { kind != .encrypted }

        init(kind: Kind, direction: Direction) {
            self.kind = kind
            self.direction = direction
        }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// SSH-1 (protocol 1.x other than 1.99): broken by design.
        public static let protocolVersion1 = Anomalies(rawValue: 1 << 0)
        /// Fewer than 4 bytes of padding, or a packet not a multiple of 8 bytes.
        public static let invalidPadding = Anomalies(rawValue: 1 << 1)
        /// A KEXINIT whose name-lists run past the packet (found when the event is built).
        public static let malformedKexinit = Anomalies(rawValue: 1 << 2)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.protocolVersion1, "ssh.protocol_version_1"),
            (.invalidPadding, "ssh.invalid_padding"),
            (.malformedKexinit, "ssh.malformed_kexinit"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }

    /// Per-flow state: where each side is.
    public struct State: Sendable {
        public var client = Lane()
        public var server = Lane()
        public init() {}
    }

    public struct Lane: Sendable {
        public enum Phase: UInt8, Sendable { case banner, binary, encrypted }
        public internal(set) var phase = Phase.banner
        var preambleLines: UInt8 = 0
        public init() {}
    }
}
