import ConvergeModel

extension RADIUS {
    /// One RADIUS packet: header scalars and offsets of the attributes read.
    public struct Packet: ParsedMessage, Sendable, Equatable {
        /// An attribute value's place in the packet; empty when absent.
        public struct Field: Sendable, Equatable {
            public var offset = 0
            public var length = 0
            public var isPresent: Bool { length > 0 }
        }

        /// Credentials and integrity attributes present (values never read).
        public struct Credentials: OptionSet, Sendable, Hashable {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let password = Credentials(rawValue: 1 << 0)
            public static let chap = Credentials(rawValue: 1 << 1)
            public static let eap = Credentials(rawValue: 1 << 2)
            public static let messageAuthenticator = Credentials(rawValue: 1 << 3)
        }

        public var direction: Direction
        public var code: UInt8
        public var identifier: UInt8
        public var length: Int
        public var attributeCount = 0
        public var userName = Field()
        public var nasIdentifier = Field()
        public var callingStationID = Field()
        public var replyMessage = Field()
        /// NAS-IP-Address and Framed-IP-Address, 0 when absent.
        public var nasIPAddress: UInt32 = 0
        public var framedIPAddress: UInt32 = 0
        /// Acct-Status-Type (1 start, 2 stop, 3 interim update, 7 accounting on, 8 off), -1 absent.
        public var acctStatusType = -1
        public var credentials = Credentials(rawValue: 0)
        /// For a response paired with its request: the time between them, else -1.
        public var roundTripNanoseconds: Int64 = -1
        /// The paired request's code, 0 when unpaired.
        public var requestCode: UInt8 = 0
        public var anomalies = Anomalies(rawValue: 0)

        public init(direction: Direction, code: UInt8, identifier: UInt8, length: Int) {
            self.direction = direction
            self.code = code
            self.identifier = identifier
            self.length = length
        }

        /// `radius.code`.
        public var functionCode: Int { Int(code) }
        public var hasFunction: Bool { true }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// A User-Password attribute: a password hidden only by the shared secret (MD5).
        public static let passwordAttributeSent = Anomalies(rawValue: 1 << 0)
        /// An attribute whose length is below 2 or runs past the packet.
        public static let invalidAttribute = Anomalies(rawValue: 1 << 1)
        /// More than `maxAttributes` attributes: the rest were not read.
        public static let tooManyAttributes = Anomalies(rawValue: 1 << 2)
        /// A response with no request of its identifier pending (or of a code it cannot answer).
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 3)
        /// A code outside RFC 2865, 2866, 5176 and 5997.
        public static let unknownCode = Anomalies(rawValue: 1 << 4)
        /// Pending requests overflowed: one that might still be answered was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 5)

        static let named: [(Anomalies, String)] = [
            (.passwordAttributeSent, "password_attribute_sent"), (.invalidAttribute, "invalid_attribute"),
            (.tooManyAttributes, "too_many_attributes"), (.unsolicitedResponse, "unsolicited_response"),
            (.unknownCode, "unknown_code"), (.pendingOverflow, "pending_overflow"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
