import ConvergeModel
import ConvergeWire

/// RADIUS (RFC 2865 authentication, RFC 2866 accounting, RFC 5176 dynamic authorization,
/// RFC 5997 Status-Server) on UDP 1812/1813 and the legacy 1645/1646.
///
/// `parse` reads the header and walks the attributes once, keeping offsets of the few that name
/// a user or the NAS (User-Name, NAS-IP-Address, NAS-Identifier, Calling-Station-Id,
/// Framed-IP-Address, Reply-Message) and noting which credentials are present (User-Password,
/// CHAP-Password, EAP-Message). Passwords are hidden with the shared secret and are never read:
/// their presence is flagged `password_attribute_sent`. Requests and responses are paired by
/// identifier in the flow's state.
///
/// Function code: Wireshark's `radius.code`.
public enum RADIUS: Dissector {
    public static let headerLength = 20
    /// RFC 2865 3: the largest packet.
    public static let maxLength = 4096
    /// Attributes walked per packet, at most (a 4096-byte packet holds at most 2048).
    public static let maxAttributes = 512
    /// Requests kept per flow waiting for a response (the identifier is 8 bits).
    public static let maxPendingRequests = 256
    /// A request unanswered this long was lost: dropping it is no anomaly.
    public static let pendingLostAfter = Duration64.seconds(30)

    /// Packet codes.
    public enum Code {
        public static let accessRequest: UInt8 = 1
        public static let accessAccept: UInt8 = 2
        public static let accessReject: UInt8 = 3
        public static let accountingRequest: UInt8 = 4
        public static let accountingResponse: UInt8 = 5
        public static let accessChallenge: UInt8 = 11
        public static let statusServer: UInt8 = 12
        public static let statusClient: UInt8 = 13
        public static let disconnectRequest: UInt8 = 40
        public static let disconnectACK: UInt8 = 41
        public static let disconnectNAK: UInt8 = 42
        public static let coaRequest: UInt8 = 43
        public static let coaACK: UInt8 = 44
        public static let coaNAK: UInt8 = 45
    }

    /// Attribute types read.
    public enum Attribute {
        public static let userName: UInt8 = 1
        public static let userPassword: UInt8 = 2
        public static let chapPassword: UInt8 = 3
        public static let nasIPAddress: UInt8 = 4
        public static let framedIPAddress: UInt8 = 8
        public static let replyMessage: UInt8 = 18
        public static let callingStationID: UInt8 = 31
        public static let nasIdentifier: UInt8 = 32
        public static let acctStatusType: UInt8 = 40
        public static let eapMessage: UInt8 = 79
        public static let messageAuthenticator: UInt8 = 80
    }

    public static var name: String { "radius" }
    public static var portHints: PortHints { PortHints(udp: [1812, 1813, 1645, 1646]) }
    public static func makeState() -> State { State() }

    /// A known code and a length field within the datagram and `maxLength`.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= headerLength, let length = bytes.uint16BE(at: 2) else { return .needMore }
        guard isKnown(bytes[0]), Int(length) >= headerLength, Int(length) <= min(bytes.count, maxLength) else {
            return .reject
        }
        return .match
    }

    static func isKnown(_ code: UInt8) -> Bool {
        (code >= 1 && code <= 5) || (code >= 11 && code <= 13) || (code >= 40 && code <= 45)
    }

    public static func isResponse(_ code: UInt8) -> Bool {
        switch code {
        case Code.accessAccept, Code.accessReject, Code.accountingResponse, Code.accessChallenge,
            Code.disconnectACK, Code.disconnectNAK, Code.coaACK, Code.coaNAK:
            true
        default: false
        }
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Packet, consumed: Int) {
        guard bytes.count >= headerLength, let length16 = bytes.uint16BE(at: 2) else { throw .needMore(headerLength) }
        let length = Int(length16)
        guard length >= headerLength, length <= maxLength else {
            throw .malformed("radius: length \(length) outside 20…4096")
        }
        guard length <= bytes.count else { throw .malformed("radius: length \(length) beyond the datagram") }
        var packet = Packet(direction: direction, code: bytes[0], identifier: bytes[1], length: length)
        readAttributes(bytes.extracting(0..<length), into: &packet)
        state.pair(&packet, time: time)
        return (packet, bytes.count)
    }

    /// Walks the type-length-value attributes after the header.
    static func readAttributes(_ bytes: Span<UInt8>, into packet: inout Packet) {
        var index = headerLength
        var walked = 0
        while index < bytes.count {
            guard walked < maxAttributes else {
                packet.anomalies.insert(.tooManyAttributes)
                return
            }
            walked &+= 1
            guard index &+ 2 <= bytes.count else {
                packet.anomalies.insert(.invalidAttribute)
                return
            }
            let type = bytes[index]
            let length = Int(bytes[index &+ 1])
            guard length >= 2, index &+ length <= bytes.count else {
                packet.anomalies.insert(.invalidAttribute)
                return
            }
            let value = Packet.Field(offset: index &+ 2, length: length &- 2)
            switch type {
            case Attribute.userName: packet.userName = value
            case Attribute.userPassword: packet.credentials.insert(.password)
            case Attribute.chapPassword: packet.credentials.insert(.chap)
            case Attribute.eapMessage: packet.credentials.insert(.eap)
            case Attribute.messageAuthenticator: packet.credentials.insert(.messageAuthenticator)
            case Attribute.nasIPAddress where value.length == 4:
                packet.nasIPAddress = bytes.loadUInt32BE(at: value.offset)
            case Attribute.framedIPAddress where value.length == 4:
                packet.framedIPAddress = bytes.loadUInt32BE(at: value.offset)
            case Attribute.nasIdentifier: packet.nasIdentifier = value
            case Attribute.callingStationID: packet.callingStationID = value
            case Attribute.replyMessage: packet.replyMessage = value
            case Attribute.acctStatusType where value.length == 4:
                packet.acctStatusType = Int(bytes.loadUInt32BE(at: value.offset))
            default: break
            }
            packet.attributeCount &+= 1
            index &+= length
        }
    }
}
