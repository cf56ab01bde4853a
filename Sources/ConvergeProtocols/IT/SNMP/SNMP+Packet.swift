import ConvergeModel

extension SNMP {
    /// One SNMP message (one datagram) as `parse` read it: scalars and offsets into the datagram,
    /// nothing allocated. The community string is never kept, only whether it is a default.
    public struct Packet: ParsedMessage, Sendable, Equatable {
        /// `snmp.data`: the PDU choice (0 get-request … 8 report), −1 when there is none (an
        /// encrypted v3 PDU, an unknown tag, a message cut before its PDU).
        public var pduType: Int = -1
        public var functionCode: Int { pduType }
        public var hasFunction: Bool { pduType >= 0 }

        public var direction: Direction = .toServer
        /// `snmp.version` as on the wire: 0 (v1), 1 (v2c), 3 (v3); −1 when unreadable.
        public var version: Int = -1
        public var community: Community = .none

        /// request-id (`snmp.request_id`), when the PDU carries one (not a v1 trap).
        public var requestID: Int64 = 0
        public var hasRequestID = false
        /// error-status and error-index (for get-bulk: non-repeaters and max-repetitions).
        public var errorStatus: Int64 = 0
        public var errorIndex: Int64 = 0

        /// The PDU element's value range; the varbind list's value range and how many it holds.
        public var pduStart = 0
        public var pduEnd = 0
        public var varbindsStart = 0
        public var varbindsEnd = 0
        public var varbindCount = 0
        /// v1 trap: the enterprise OID's value range (0..<0 when absent), generic and specific trap.
        public var enterpriseStart = 0
        public var enterpriseEnd = 0
        public var genericTrap: Int64 = -1
        public var specificTrap: Int64 = -1

        /// SNMPv3 (RFC 3412, 3414): msgFlags, security model, and the USM fields' value ranges.
        public var msgFlags: UInt8 = 0
        public var hasMsgFlags = false
        public var securityModel: Int64 = 0
        public var engineIDStart = 0
        public var engineIDEnd = 0
        public var userNameStart = 0
        public var userNameEnd = 0
        /// The scoped PDU is encrypted (privacy): nothing past the header can be read.
        public var encrypted = false

        /// For an answer paired with its request: the request's PDU type and the time between them.
        public var requestType: Int = -1
        public var roundTripNanoseconds: Int64? = nil
        public var anomalies: Anomalies = []

        public init() {}

        /// A request that expects an answer (RFC 3416 confirmed class).
        public var isRequest: Bool {
            switch pduType {
            case 0, 1, 3, 5, 6: true
            default: false
            }
        }
        /// An answer: response or report.
        public var isAnswer: Bool { pduType == 2 || pduType == 8 }
        /// v3 security level from msgFlags: 0 noAuthNoPriv, 1 authNoPriv, 3 authPriv (2 is invalid).
        public var securityLevel: Int { Int(msgFlags & 0x03) }
    }

    /// What the community string was, without keeping it.
    public enum Community: UInt8, Sendable, Equatable {
        /// No community (v3, or a message cut before it).
        case none
        /// `public`, the factory read community.
        case defaultPublic
        /// `private`, the factory write community.
        case defaultPrivate
        /// Any other value (a credential, never stored).
        case other
    }
}
