import ConvergeModel

extension RDP {
    /// What a message on an RDP stream is.
    public enum Kind: UInt8, Sendable {
        case tpkt, tls, fastPath
    }

    /// One parsed message: scalars and offsets into the bytes handed to `parse`.
    public struct Message: ParsedMessage, Sendable, Equatable {
        public var direction: Direction
        public var kind: Kind
        public var length: Int
        /// X.224 TPDU code (high nibble of the code byte), for a TPKT.
        public var tpduCode: UInt8 = 0
        /// The connection request's cookie or routing token line (without CR LF).
        public var cookieOffset = 0
        public var cookieLength = 0
        /// RDP_NEG_REQ / RSP / FAILURE type, 0 when absent; its flags and protocols (requested,
        /// selected) or failure code.
        public var negotiationType: UInt8 = 0
        public var negotiationFlags: UInt8 = 0
        public var protocols: UInt32 = 0
        public var anomalies = Anomalies(rawValue: 0)

        public init(direction: Direction, kind: Kind, length: Int) {
            self.direction = direction
            self.kind = kind
            self.length = length
        }

        /// `cotp.type`.
        public var functionCode: Int { Int(tpduCode) }
        public var hasFunction: Bool { kind == .tpkt }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The X.224 length indicator or the negotiation structure disagrees with the TPKT.
        public static let invalidLength = Anomalies(rawValue: 1 << 0)
        /// A cookie or routing token without CR LF within `maxCookieLength`.
        public static let invalidCookie = Anomalies(rawValue: 1 << 1)
        /// The server chose standard RDP security (RC4, no server authentication).
        public static let standardSecurity = Anomalies(rawValue: 1 << 2)
        /// The client offered no CredSSP: no network level authentication.
        public static let noNetworkLevelAuthentication = Anomalies(rawValue: 1 << 3)
        /// The server answered with RDP_NEG_FAILURE.
        public static let negotiationFailure = Anomalies(rawValue: 1 << 4)

        static let named: [(Anomalies, String)] = [
            (.invalidLength, "invalid_length"), (.invalidCookie, "invalid_cookie"),
            (.standardSecurity, "standard_rdp_security"), (.noNetworkLevelAuthentication, "no_nla_offered"),
            (.negotiationFailure, "negotiation_failure"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }

    /// Per-flow state: the protocols the client requested, to judge the server's choice.
    public struct State: Sendable {
        public internal(set) var requested: UInt32?
        public internal(set) var selected: UInt32?

        public init() {}

        mutating func note(_ message: inout Message) {
            switch message.tpduCode {
            case TPDU.connectionRequest:
                let offered = message.negotiationType == NegotiationType.request
                    ? message.protocols : SecurityProtocol.standard
                requested = offered
                if offered & (SecurityProtocol.credSSP | SecurityProtocol.credSSPEarlyUserAuth) == 0 {
                    message.anomalies.insert(.noNetworkLevelAuthentication)
                }
            case TPDU.connectionConfirm:
                switch message.negotiationType {
                case NegotiationType.response:
                    selected = message.protocols
                    if message.protocols == SecurityProtocol.standard { message.anomalies.insert(.standardSecurity) }
                case NegotiationType.failure:
                    message.anomalies.insert(.negotiationFailure)
                default:
                    // A confirm without a response: the server speaks only standard RDP security.
                    selected = SecurityProtocol.standard
                    message.anomalies.insert(.standardSecurity)
                }
            default:
                break
            }
        }
    }
}
