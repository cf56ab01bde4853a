import ConvergeModel

extension LDAP {
    /// How a BindRequest authenticates.
    public enum BindKind: UInt8, Sendable {
        case none = 0
        /// `simple [0] OCTET STRING`: a password in the clear (empty for anonymous binds).
        case simple
        /// `sasl [3] SaslCredentials`: a mechanism name and its credentials.
        case sasl
        /// An authentication choice RFC 4511 does not define (Microsoft's sicily NTLM: [9]–[11]).
        case other
    }

    /// What one `parse` call took from the stream: an LDAPMessage, or bytes stepped over
    /// (after StartTLS, inside a SASL security layer, the rest of an oversized message).
    public enum Kind: UInt8, Sendable {
        case message
        /// TLS records after a StartTLS, SASL-wrapped buffers, the tail of a skipped message.
        case steppedOver
    }

    /// One LDAPMessage as `parse` read it: scalars and slices, nothing allocated. A simple
    /// bind's password is never kept: only its length, to tell it was sent in the clear.
    public struct Message: ParsedMessage, Sendable, Equatable {
        public var kind: Kind = .message
        public var direction: Direction
        /// Bytes this message takes in the stream or datagram.
        public var length: Int
        public var messageID: Int64 = -1
        /// `ldap.protocolOp`: the application tag number; `hasOp` false when unreadable.
        public var op: UInt8 = 0
        public var hasOp = false

        /// The DN the operation names: bind name, search base, entry (add, modify, delete,
        /// rename, compare, search result entry).
        public var dn = BERSlice()
        public var bindVersion: Int64 = -1
        public var bindKind = BindKind.none
        /// A simple bind's password length (the password itself is never kept).
        public var passwordLength = 0
        /// A SASL bind's mechanism name.
        public var mechanism = BERSlice()
        /// SearchRequest: scope, the whole filter element, the requested attribute list's value.
        public var scope: Int8 = -1
        public var filter = BERSlice()
        public var attributes = BERSlice()
        /// LDAPResult: resultCode (−1 when absent) and diagnosticMessage.
        public var resultCode: Int64 = -1
        public var diagnostic = BERSlice()
        /// ExtendedRequest's requestName, ExtendedResponse's responseName.
        public var oid = BERSlice()
        public var isStartTLS = false
        /// AbandonRequest: the message id abandoned.
        public var abandonID: Int64 = -1

        public var anomalies = Anomalies(rawValue: 0)
        /// For a paired answer: the request's op and the time since it, in nanoseconds.
        public var requestOp: UInt8 = 0xFF
        public var roundTripNanoseconds: Int64?

        public init(direction: Direction, length: Int) {
            self.direction = direction
            self.length = length
        }

        public var functionCode: Int { Int(op) }
        public var hasFunction: Bool { hasOp }
        public var isMessage: Bool { kind == .message }
    }

    /// What was wrong with, or risky about, a message whose framing was sound.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let truncated = Anomalies(rawValue: 1 << 0)
        public static let invalidBER = Anomalies(rawValue: 1 << 1)
        public static let unknownOperation = Anomalies(rawValue: 1 << 2)
        /// A simple bind with a non-empty password: the password crossed the wire in the clear.
        public static let cleartextPassword = Anomalies(rawValue: 1 << 3)
        /// A simple bind with neither name nor password.
        public static let anonymousBind = Anomalies(rawValue: 1 << 4)
        /// A simple bind with a name and no password (RFC 4513 §5.1.2: servers should refuse it).
        public static let unauthenticatedBind = Anomalies(rawValue: 1 << 5)
        /// A BindResponse invalidCredentials (49): a wrong password, guessing when repeated.
        public static let invalidCredentials = Anomalies(rawValue: 1 << 6)
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 7)
        /// The pending table was full of live requests: the oldest was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 8)
        /// A message larger than `maxBufferedMessage`: read from its head, the rest stepped over.
        public static let oversized = Anomalies(rawValue: 1 << 9)
        /// Bytes after the last message in a CLDAP datagram that are not another message.
        public static let trailingBytes = Anomalies(rawValue: 1 << 10)

        static let named: [(Anomalies, String)] = [
            (.truncated, "truncated"), (.invalidBER, "invalid_ber"), (.unknownOperation, "unknown_operation"),
            (.cleartextPassword, "cleartext_password"), (.anonymousBind, "anonymous_bind"),
            (.unauthenticatedBind, "unauthenticated_bind"), (.invalidCredentials, "invalid_credentials"),
            (.unsolicitedResponse, "unsolicited_response"), (.pendingOverflow, "pending_overflow"),
            (.oversized, "oversized"), (.trailingBytes, "trailing_bytes"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
