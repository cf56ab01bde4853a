import ConvergeModel
import ConvergeWire

/// RDP connection setup ([MS-RDPBCGR] 2.2.1.1–2.2.1.2): TPKT (RFC 1006) around X.224 (ISO 8073).
///
/// The X.224 Connection Request carries the client's `Cookie: mstshash=USER` and the security
/// protocols it offers; the Connection Confirm carries the one the server chose. Everything after
/// (TLS records once TLS or CredSSP is chosen, fast-path PDUs) is skipped by its length.
///
/// Counting: one count per TPKT, under Wireshark's `cotp.type`, the X.224 TPDU code (0x0e
/// connection request, 0x0d connection confirm, 0x0f data, 0x08 disconnect request). TLS records
/// and fast-path PDUs carry no TPDU and are not counted, as tshark shows no `cotp.type` for them.
public enum RDP: Dissector {
    public static let tpktHeaderLength = 4
    /// The smallest TPKT that holds an X.224 header (length indicator and code).
    public static let minTPKTLength = 6
    /// A TLS record: type (1), version (2), length (2).
    public static let tlsHeaderLength = 5
    /// The largest TLS record: 2^14 plus the spec's allowance for compression and MAC.
    public static let maxTLSRecordLength = 16_384 + 2_048
    /// The longest cookie or routing token read before the negotiation request.
    public static let maxCookieLength = 256

    /// X.224 TPDU codes (the high nibble of the code byte).
    public enum TPDU {
        public static let connectionRequest: UInt8 = 0x0E
        public static let connectionConfirm: UInt8 = 0x0D
        public static let disconnectRequest: UInt8 = 0x08
        public static let data: UInt8 = 0x0F
    }

    /// Security protocol bits ([MS-RDPBCGR] 2.2.1.1.1).
    public enum SecurityProtocol {
        public static let standard: UInt32 = 0
        public static let tls: UInt32 = 0x01
        public static let credSSP: UInt32 = 0x02
        public static let rdsTLS: UInt32 = 0x04
        public static let credSSPEarlyUserAuth: UInt32 = 0x08
        public static let aad: UInt32 = 0x10
    }

    /// RDP_NEG_* types.
    public enum NegotiationType {
        public static let request: UInt8 = 0x01
        public static let response: UInt8 = 0x02
        public static let failure: UInt8 = 0x03
    }

    public static var name: String { "rdp" }
    public static var portHints: PortHints { PortHints(tcp: [3389]) }
    public static func makeState() -> State { State() }

    /// A TPKT (version 3, reserved 0) holding an X.224 connection request or confirm.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let version = bytes.byte(at: 0) else { return .needMore }
        guard version == 3 else { return .reject }
        guard bytes.count >= minTPKTLength, let length = bytes.uint16BE(at: 2) else { return .needMore }
        guard bytes[1] == 0, Int(length) >= minTPKTLength else { return .reject }
        let code = bytes[5] >> 4
        return code == TPDU.connectionRequest || code == TPDU.connectionConfirm || code == TPDU.data
            ? .match : .reject
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard let first = bytes.byte(at: 0) else { throw .needMore(1) }
        if first == 3 { return try parseTPKT(bytes, direction: direction, state: &state) }
        if first >= 20 && first <= 23 { return try skipTLS(bytes, direction: direction) }
        if first & 0x03 == 0 { return try skipFastPath(bytes, direction: direction) }
        throw .malformed("rdp: byte \(first) starts no TPKT, TLS record or fast-path PDU")
    }

    static func parseTPKT(
        _ bytes: Span<UInt8>, direction: Direction, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard let length16 = bytes.uint16BE(at: 2) else { throw .needMore(tpktHeaderLength) }
        let length = Int(length16)
        guard bytes[1] == 0, length >= minTPKTLength else {
            throw .malformed("rdp: TPKT length \(length) or reserved byte invalid")
        }
        guard bytes.count >= length else { throw .needMore(length) }
        var message = Message(direction: direction, kind: .tpkt, length: length)
        let tpkt = bytes.extracting(0..<length)
        let indicator = Int(tpkt[4])
        message.tpduCode = tpkt[5] >> 4
        if tpktHeaderLength &+ 1 &+ indicator > length { message.anomalies.insert(.invalidLength) }
        switch message.tpduCode {
        case TPDU.connectionRequest, TPDU.connectionConfirm:
            // LI, code, dst-ref (2), src-ref (2), class (1): variable part starts at 11.
            let variableEnd = min(length, tpktHeaderLength &+ 1 &+ indicator)
            readConnection(tpkt, from: 11, to: variableEnd, message: &message)
            state.note(&message)
        default:
            break
        }
        return (message, length)
    }

    /// The connection request's cookie or routing token and negotiation request, or the confirm's
    /// negotiation response or failure.
    static func readConnection(_ tpkt: Span<UInt8>, from start: Int, to end: Int, message: inout Message) {
        guard start <= end else {
            message.anomalies.insert(.invalidLength)
            return
        }
        var index = start
        if message.tpduCode == TPDU.connectionRequest, index < end, tpkt[index] != NegotiationType.request {
            // Cookie or routing token: text up to CR LF.
            var stop = index
            let limit = min(end, index &+ maxCookieLength)
            while stop &+ 1 < limit, !(tpkt[stop] == 0x0D && tpkt[stop &+ 1] == 0x0A) { stop &+= 1 }
            guard stop &+ 1 < limit else {
                message.anomalies.insert(.invalidCookie)
                return
            }
            message.cookieOffset = index
            message.cookieLength = stop &- index
            index = stop &+ 2
        }
        guard end &- index >= 8 else {
            if index < end { message.anomalies.insert(.invalidLength) }
            return
        }
        message.negotiationType = tpkt[index]
        message.negotiationFlags = tpkt[index &+ 1]
        message.protocols = tpkt.loadUInt32LE(at: index &+ 4)
        if let length = tpkt.uint16BE(at: index &+ 2), length.byteSwapped != 8 {
            message.anomalies.insert(.invalidLength)
        }
    }

    static func skipTLS(
        _ bytes: Span<UInt8>, direction: Direction
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard bytes.count >= tlsHeaderLength, let length16 = bytes.uint16BE(at: 3) else {
            throw .needMore(tlsHeaderLength)
        }
        guard bytes[1] == 3, Int(length16) <= maxTLSRecordLength else {
            throw .malformed("rdp: TLS record version or length invalid")
        }
        let total = tlsHeaderLength &+ Int(length16)
        guard bytes.count >= total else { throw .needMore(total) }
        return (Message(direction: direction, kind: .tls, length: total), total)
    }

    /// A fast-path PDU: header byte, then a 1-byte length or a 2-byte one with the top bit set.
    static func skipFastPath(
        _ bytes: Span<UInt8>, direction: Direction
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard let first = bytes.byte(at: 1) else { throw .needMore(2) }
        var total = Int(first)
        if first & 0x80 != 0 {
            guard let second = bytes.byte(at: 2) else { throw .needMore(3) }
            total = Int(first & 0x7F) << 8 | Int(second)
        }
        guard total >= 2 else { throw .malformed("rdp: fast-path length \(total) too short") }
        guard bytes.count >= total else { throw .needMore(total) }
        return (Message(direction: direction, kind: .fastPath, length: total), total)
    }

    /// The next TPKT header (version 3, reserved 0, a sane length) in `bytes`.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var index = 0
        while index &+ 6 <= bytes.count {
            if bytes[index] == 3, bytes[index &+ 1] == 0, let length = bytes.uint16BE(at: index &+ 2),
                length >= 6, bytes[index &+ 5] >> 4 == TPDU.data || bytes[index &+ 5] >> 4 == TPDU.connectionRequest
            {
                return index
            }
            index &+= 1
        }
        return nil
    }
}
