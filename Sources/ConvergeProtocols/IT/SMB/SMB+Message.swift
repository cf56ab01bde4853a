import ConvergeModel

extension SMB {
    /// Which SMB a message is.
    public enum Version: UInt8, Sendable {
        /// A NetBIOS session-service control message (session request, keep-alive …).
        case session = 0
        case smb1 = 1
        /// SMB 2 or 3 (the dialect tells which).
        case smb2 = 2
        /// An SMB3 transform header: the message inside is encrypted.
        case encrypted = 3
        /// An SMB3 compression transform header.
        case compressed = 4
    }

    /// One parsed SMB message: scalars and offsets only, so parsing allocates nothing. Every
    /// offset is relative to the bytes handed to `parse`; a zero length means "absent".
    public struct Message: ParsedMessage, Sendable, Equatable {
        public var direction: Direction
        /// The session message type (`SessionType`); 0 for an SMB message.
        public var sessionType: UInt8
        /// Bytes this message takes in the stream (its session header included when it has one).
        public var length: Int
        public var version: Version = .session
        /// Where the SMB header starts: 4 after a session header, 0 for a compound's later command.
        public var headerOffset = 0
        /// Whether this is a later command of an SMB2 compound.
        public var isCompoundMember = false
        /// SMB2 command (0…18) or SMB1 command byte.
        public var command: UInt16 = 0
        public var isResponse = false
        /// NT status (SMB2, and SMB1 with NT status codes).
        public var status: UInt32 = 0
        /// SMB2 message id, SMB1 multiplex id.
        public var messageID: UInt64 = 0
        /// SMB2 `NextCommand` (0 at a chain's end).
        public var nextCommand: UInt32 = 0
        /// SMB2 header flags, SMB1 `Flags2`.
        public var flags: UInt32 = 0
        public var sessionID: UInt64 = 0
        public var treeID: UInt32 = 0

        /// NEGOTIATE: dialects offered (their count, where the list starts and the highest),
        /// the dialect chosen (SMB2 revision, or the SMB1 dialect index), security mode.
        public var dialectCount: UInt16 = 0
        public var dialectsOffset = 0
        public var dialectsLength = 0
        public var highestDialect: UInt16 = 0
        public var chosenDialect: UInt16 = 0
        /// SMB2 `SecurityMode` (1 signing enabled, 2 signing required); SMB1 response security mode.
        public var securityMode: UInt16 = 0
        public var hasSecurityMode = false

        /// NTLMSSP inside a session setup's security blob: where it starts, its bytes, its type
        /// (1 negotiate, 2 challenge, 3 authenticate) and the negotiate flags.
        public var ntlmOffset = 0
        public var ntlmLength = 0
        public var ntlmType: UInt8 = 0
        public var ntlmFlags: UInt32 = 0

        /// TREE_CONNECT share path (UTF-16LE for SMB2 and Unicode SMB1, else ASCII).
        public var pathOffset = 0
        public var pathLength = 0
        /// SMB1 session setup: where the native OS and LAN manager strings start and end.
        public var nativeOffset = 0
        public var nativeLength = 0
        /// Whether those strings start with the account name and primary domain (a 13-word request).
        public var nativeHasAccount = false
        /// Whether this message's strings are UTF-16LE.
        public var unicode = false

        public var anomalies = Anomalies(rawValue: 0)
        /// For a paired response: time since its request, in nanoseconds.
        public var roundTripNanoseconds: Int64?

        public init(direction: Direction, sessionType: UInt8, length: Int) {
            self.direction = direction
            self.sessionType = sessionType
            self.length = length
        }

        /// `smb2.cmd` as is; SMB1's header `smb.cmd` above `SMB.smb1Base`.
        public var functionCode: Int {
            version == .smb1 ? SMB.smb1Base &+ Int(command) : Int(command)
        }
        /// Only SMB1 and SMB2 headers carry a command.
        public var hasFunction: Bool { version == .smb1 || version == .smb2 }
    }

    /// What was wrong with, or risky about, a message whose framing was sound.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// A length or offset that runs past its message, or a header too short.
        public static let invalidLength = Anomalies(rawValue: 1 << 0)
        /// An SMB2 `NextCommand` that is not 8-aligned, runs past the frame, or a chain too long.
        public static let invalidCompound = Anomalies(rawValue: 1 << 1)
        /// A response with no request of its message id pending.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 2)
        /// The pending table was full of live requests: the oldest was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 3)
        /// SMB1 in use: deprecated, unsigned by default, the protocol of EternalBlue.
        public static let smb1 = Anomalies(rawValue: 1 << 4)
        /// A NEGOTIATE response from a server that does not require signing (relay exposure).
        public static let signingNotRequired = Anomalies(rawValue: 1 << 5)
        /// An NTLM AUTHENTICATE with a 24-byte NT response: NTLMv1 (crackable).
        public static let ntlmV1 = Anomalies(rawValue: 1 << 6)
        /// An NTLM AUTHENTICATE with no user name: an anonymous (null) session.
        public static let anonymousLogin = Anomalies(rawValue: 1 << 7)
        /// An SMB1 session setup carrying a plaintext password (not a 24-byte LM/NT response).
        public static let cleartextPassword = Anomalies(rawValue: 1 << 8)
        /// An SMB2 header whose structure size is not 64, or a body structure size unexpected.
        public static let invalidStructureSize = Anomalies(rawValue: 1 << 9)
        /// A command code the spec does not define.
        public static let unknownCommand = Anomalies(rawValue: 1 << 10)

        static let named: [(Anomalies, String)] = [
            (.invalidLength, "invalid_length"), (.invalidCompound, "invalid_compound"),
            (.unsolicitedResponse, "unsolicited_response"), (.pendingOverflow, "pending_overflow"),
            (.smb1, "smb1"), (.signingNotRequired, "signing_not_required"), (.ntlmV1, "ntlm_v1"),
            (.anonymousLogin, "anonymous_login"), (.cleartextPassword, "cleartext_password"),
            (.invalidStructureSize, "invalid_structure_size"), (.unknownCommand, "unknown_command"),
        ]

        /// The snake_case names of the anomalies set, for events.
        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
