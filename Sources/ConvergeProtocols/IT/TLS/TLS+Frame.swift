import ConvergeModel

extension TLS {
    /// What one `parse` call took from the stream. Plain scalars and offsets: no allocation.
    public struct Frame: ParsedMessage, Sendable, Equatable {
        public enum Kind: UInt8, Sendable {
            /// A complete plaintext handshake message (`handshakeType` says which).
            case handshake
            /// Part of a handshake message split across records, collected in the state.
            case handshakeFragment
            case changeCipherSpec
            case alert
            /// Application data records (or the part of one the stream held), skipped unread.
            case applicationData
            /// A handshake record after ChangeCipherSpec (Finished, renegotiation): unreadable.
            case encryptedHandshake
            /// An alert record after ChangeCipherSpec.
            case encryptedAlert
            case heartbeat
        }

        public var kind: Kind
        public var direction: Direction
        /// The record version of the record this came from.
        public var recordVersion: UInt16 = 0
        /// Handshake type (`tls.handshake.type`), for `.handshake`.
        public var handshakeType: UInt8 = 0
        /// Offset of the handshake message's 4-byte header in the bytes given to `parse`, or -1
        /// when the message was reassembled and sits in the state's buffer for its direction.
        public var messageOffset: Int32 = -1
        /// The handshake message's body length as its header says.
        public var messageLength: Int32 = 0
        /// The message was longer than `maxReassembly`: only its first bytes were kept.
        public var truncated = false
        /// Hello fields parse already read (ClientHello/ServerHello only).
        public var helloVersion: UInt16 = 0
        /// ServerHello: the version chosen (supported_versions, else the hello version).
        /// ClientHello: the highest non-GREASE version offered.
        public var selectedVersion: UInt16 = 0
        /// ServerHello: the cipher suite chosen.
        public var cipherSuite: UInt16 = 0
        /// Alerts: level and description (plaintext alerts only).
        public var alertLevel: UInt8 = 0
        public var alertDescription: UInt8 = 0
        /// Records a skipped run covered (whole or in part).
        public var records: UInt16 = 0
        /// Stream bytes the frame skipped without reading (application data, encrypted records).
        public var skippedBytes: Int32 = 0
        public var anomalies = Anomalies()

        public var functionCode: Int { Int(handshakeType) }
        public var hasFunction: Bool { kind == .handshake }
        /// Application data, pieces of a handshake message and encrypted handshake records are
        /// stepped over, not messages.
        public var isMessage: Bool {
            kind != .applicationData && kind != .handshakeFragment && kind != .encryptedHandshake
        }
        public var handshake: HandshakeType { HandshakeType(rawValue: handshakeType) }

        init(kind: Kind, direction: Direction) {
            self.kind = kind
            self.direction = direction
        }
    }
}
