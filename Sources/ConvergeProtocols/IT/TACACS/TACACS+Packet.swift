import ConvergeModel

extension TACACS {
    /// Authentication types of a START (RFC 8907 5.1).
    public enum AuthenticationType {
        public static let ascii: UInt8 = 1
        public static let pap: UInt8 = 2
        public static let chap: UInt8 = 3
        public static let msCHAPv1: UInt8 = 5
        public static let msCHAPv2: UInt8 = 6
    }

    /// One TACACS+ packet: its header, and for a clear client request where its fields lie.
    public struct Packet: ParsedMessage, Sendable, Equatable {
        public struct Field: Sendable, Equatable {
            public var offset = 0
            public var length = 0
            public var isPresent: Bool { length > 0 }
        }

        public var direction: Direction
        public var type: UInt8
        public var sequence: UInt8
        public var flags: UInt8
        public var sessionID: UInt32
        /// Header and body.
        public var length: Int
        public var minorVersion: UInt8 = 0
        /// Whether the body was read (unencrypted, the client's first packet).
        public var decodedBody = false
        /// START: action (1 login, 2 change password, 4 send authentication) and type.
        public var action: UInt8 = 0
        public var authenticationType: UInt8 = 0
        /// Authorization and accounting requests: arguments announced.
        public var argumentCount = 0
        public var user = Field()
        public var port = Field()
        public var remoteAddress = Field()
        public var anomalies = Anomalies(rawValue: 0)

        public init(direction: Direction, type: UInt8, sequence: UInt8, flags: UInt8, sessionID: UInt32, length: Int) {
            self.direction = direction
            self.type = type
            self.sequence = sequence
            self.flags = flags
            self.sessionID = sessionID
            self.length = length
        }

        /// `tacplus.type`.
        public var functionCode: Int { Int(type) }
        public var hasFunction: Bool { true }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// TAC_PLUS_UNENCRYPTED_FLAG: the body travels in the clear.
        public static let unencrypted = Anomalies(rawValue: 1 << 0)
        /// A clear PAP START carrying its password.
        public static let cleartextPassword = Anomalies(rawValue: 1 << 1)
        /// A clear body whose field lengths run past it.
        public static let invalidLength = Anomalies(rawValue: 1 << 2)

        static let named: [(Anomalies, String)] = [
            (.unencrypted, "tacacs_unencrypted"), (.cleartextPassword, "cleartext_password"),
            (.invalidLength, "invalid_length"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
