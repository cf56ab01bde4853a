import ConvergeModel

extension S7CommPlus {
    public enum Kind: UInt8, Sendable {
        /// A message with an operation header (request, response, notification).
        case pdu
        /// The rest of a message whose first PDU had no trailer.
        case continuation
        /// A keep-alive (version 0xfe/0xff).
        case keepAlive
        /// A TLS record: the session switched to TLS after InitSsl.
        case tls
        /// Not S7comm-plus.
        case foreign
        /// COTP fragments beyond the reassembly bounds, dropped.
        case overflow
    }

    /// Header versions.
    public enum Version {
        public static let v1: UInt8 = 0x01
        public static let v2: UInt8 = 0x02
        public static let v3: UInt8 = 0x03
        public static let extendedKeepAlive: UInt8 = 0xfe
        public static let keepAlive: UInt8 = 0xff
    }

    public enum Opcode {
        public static let request: UInt8 = 0x31
        public static let response: UInt8 = 0x32
        public static let notification: UInt8 = 0x33
        public static let response2: UInt8 = 0x02
    }

    /// How the session protects its messages, as far as the flow has shown.
    public enum Security: UInt8, Sendable {
        /// Version 1: no integrity protection.
        case none
        /// Version 2: an integrity part inside the data (the scheme broken in 2016/2019).
        case legacyIntegrity
        /// Version 3: a 32-byte digest in front of every message.
        case integrity
        /// TLS after InitSsl: the content is encrypted.
        case tls

        public var name: String {
            switch self {
            case .none: "none"
            case .legacyIntegrity: "integrity_v2"
            case .integrity: "integrity"
            case .tls: "tls"
            }
        }
    }

    /// One parsed user PDU: scalars and offsets only.
    public struct Frame: ParsedMessage, Sendable, Equatable {
        public var kind: Kind = .pdu
        public var direction: Direction
        /// Where the PDU's bytes are, and the COTP DT TPDUs that carried it.
        public var pdu = ISOOnTCP.UserPDU()
        public var version: UInt8 = 0
        public var dataLength: UInt16 = 0
        public var hasTrailer = false
        /// V3: the digest length byte (32 expected), 0 otherwise.
        public var integrityDigestLength: UInt8 = 0
        public var opcode: UInt8 = 0
        public var function: UInt16 = 0
        public var hasFunction = false
        public var sequence: UInt16 = 0
        /// Requests carry it; responses take the flow's last one.
        public var sessionID: UInt32 = 0
        /// The session's protection after this PDU.
        public var security: Security = .none
        public var anomalies = Anomalies(rawValue: 0)
        public var requestFunction: UInt16?
        public var roundTripNanoseconds: Int64?

        public init(direction: Direction) { self.direction = direction }

        /// The operation header's function (tshark 4.0 has no S7comm-plus dissector; the
        /// s7comm-plus Wireshark plugin calls it `s7comm-plus.data.function`).
        public var functionCode: Int { Int(function) }
        public var isRequest: Bool { opcode == Opcode.request }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let truncatedHeader = Anomalies(rawValue: 1 << 0)
        /// The data length disagrees with the PDU size, or the trailer is not 72 <version>.
        public static let lengthMismatch = Anomalies(rawValue: 1 << 1)
        public static let unknownVersion = Anomalies(rawValue: 1 << 2)
        public static let unknownOpcode = Anomalies(rawValue: 1 << 3)
        public static let unknownFunction = Anomalies(rawValue: 1 << 4)
        /// A V3 digest length other than 32.
        public static let invalidIntegrityPart = Anomalies(rawValue: 1 << 5)
        public static let responseMismatch = Anomalies(rawValue: 1 << 6)
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 7)
        public static let pendingOverflow = Anomalies(rawValue: 1 << 8)
        public static let reassemblyOverflow = Anomalies(rawValue: 1 << 9)
        public static let notS7commPlus = Anomalies(rawValue: 1 << 10)
        /// More than `ISOOnTCP.maxConnectionTPDUs` connection TPDUs in a row.
        public static let connectionFlood = Anomalies(rawValue: 1 << 11)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.truncatedHeader, "s7comm_plus.truncated_header"),
            (.lengthMismatch, "s7comm_plus.length_mismatch"),
            (.unknownVersion, "s7comm_plus.unknown_version"),
            (.unknownOpcode, "s7comm_plus.unknown_opcode"),
            (.unknownFunction, "s7comm_plus.unknown_function"),
            (.invalidIntegrityPart, "s7comm_plus.invalid_integrity_part"),
            (.responseMismatch, "s7comm_plus.response_mismatch"),
            (.unsolicitedResponse, "s7comm_plus.unsolicited_response"),
            (.pendingOverflow, "s7comm_plus.pending_overflow"),
            (.reassemblyOverflow, "s7comm_plus.reassembly_overflow"),
            (.notS7commPlus, "s7comm_plus.not_s7comm_plus"),
            (.connectionFlood, "s7comm_plus.connection_flood"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
