import ConvergeModel

extension Kerberos {
    /// One Kerberos message as `parse` read it: scalars and slices into the bytes given to
    /// `parse`, nothing allocated. Tickets, authenticators and encrypted parts are stepped over:
    /// only their encryption type is read, never their cipher text.
    public struct Message: ParsedMessage, Sendable, Equatable {
        public var direction: Direction
        /// Bytes this message takes (the TCP record marker included).
        public var length: Int
        /// `kerberos.msg_type`: the application tag (10 AS-REQ … 30 KRB-ERROR), 0 when unreadable.
        public var messageType: UInt8 = 0
        /// The `msg-type` field inside the message, −1 when absent.
        public var messageTypeField: Int64 = -1

        /// The request's or error's realm; the reply's client realm (`crealm`).
        public var realm = BERSlice()
        /// An error's client realm, a reply ticket's realm.
        public var otherRealm = BERSlice()
        /// The client and server principals: whole `PrincipalName` elements.
        public var clientName = BERSlice()
        public var serverName = BERSlice()
        /// A request's `etype` list (the value of its SEQUENCE OF), how many, whether one is DES or RC4.
        public var etypes = BERSlice()
        public var etypeCount = 0
        public var weakEtypeOffered = false
        /// A reply's `enc-part` etype (the session key's, chosen by the KDC), −1 when absent.
        public var replyEtype: Int64 = -1
        /// A request's or reply's pre-authentication data: how many, and which types (bit n for
        /// type n below 64; `PreauthType` lists the ones that prove the password).
        public var padataCount = 0
        public var padataTypes: UInt64 = 0
        public var hasPreauth = false
        /// KRB-ERROR: error-code, and `e-text`.
        public var errorCode: Int64 = -1
        public var errorText = BERSlice()

        public var anomalies = Anomalies(rawValue: 0)
        /// For a paired reply: time since its request, in nanoseconds.
        public var roundTripNanoseconds: Int64?

        public init(direction: Direction, length: Int) {
            self.direction = direction
            self.length = length
        }

        public var functionCode: Int { Int(messageType) }
        public var hasFunction: Bool { messageType != 0 }

        public var isRequest: Bool {
            messageType == MessageType.asRequest || messageType == MessageType.tgsRequest
                || messageType == MessageType.apRequest
        }
        public var isReply: Bool {
            messageType == MessageType.asReply || messageType == MessageType.tgsReply
                || messageType == MessageType.apReply || messageType == MessageType.error
        }
    }

    /// What was wrong with, or risky about, a message whose framing was sound.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// The message ends before its declared length (a cut datagram).
        public static let truncated = Anomalies(rawValue: 1 << 0)
        /// A field that is not the BER the structure calls for.
        public static let invalidBER = Anomalies(rawValue: 1 << 1)
        /// The `msg-type` field disagrees with the application tag.
        public static let messageTypeMismatch = Anomalies(rawValue: 1 << 2)
        /// DES or RC4 offered by a client (downgrade and roasting exposure).
        public static let weakEtypeOffered = Anomalies(rawValue: 1 << 3)
        /// A reply whose session key is DES or RC4.
        public static let weakEtypeChosen = Anomalies(rawValue: 1 << 4)
        /// KDC_ERR_C_PRINCIPAL_UNKNOWN: the client name does not exist (user enumeration hint).
        public static let principalUnknown = Anomalies(rawValue: 1 << 5)
        /// KDC_ERR_PREAUTH_FAILED: a wrong password (guessing when repeated).
        public static let preauthFailed = Anomalies(rawValue: 1 << 6)
        /// An AS-REP answering an AS-REQ without pre-authentication: the account does not require
        /// it, so anyone can ask for material to crack offline (AS-REP roasting).
        public static let preauthNotRequired = Anomalies(rawValue: 1 << 7)
        /// A reply with no request pending on the flow.
        public static let unsolicitedReply = Anomalies(rawValue: 1 << 8)
        /// Bytes after the message inside its datagram or record.
        public static let trailingBytes = Anomalies(rawValue: 1 << 9)
        /// An application tag that is no Kerberos message.
        public static let unknownMessageType = Anomalies(rawValue: 1 << 10)
        /// More etypes or pre-authentication entries than counted (`maxEtypes`, `maxPadata`).
        public static let tooManyEntries = Anomalies(rawValue: 1 << 11)

        static let named: [(Anomalies, String)] = [
            (.truncated, "truncated"), (.invalidBER, "invalid_ber"),
            (.messageTypeMismatch, "message_type_mismatch"), (.weakEtypeOffered, "weak_etype_offered"),
            (.weakEtypeChosen, "weak_etype_chosen"), (.principalUnknown, "principal_unknown"),
            (.preauthFailed, "preauth_failed"), (.preauthNotRequired, "preauth_not_required"),
            (.unsolicitedReply, "unsolicited_reply"), (.trailingBytes, "trailing_bytes"),
            (.unknownMessageType, "unknown_message_type"), (.tooManyEntries, "too_many_entries"),
        ]

        /// The snake_case names of the anomalies set, for events.
        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
