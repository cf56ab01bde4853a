import ConvergeModel
import ConvergeWire

/// TACACS+ (RFC 8907) on TCP 49: the 12-byte header (version, type, seq_no, flags, session id,
/// length) of every packet, bodies taken by length. Bodies are obfuscated with an MD5 pad of the
/// shared secret unless TAC_PLUS_UNENCRYPTED_FLAG is set: only then (flagged
/// `tacacs_unencrypted`) are the client's first bodies read: an authentication START (action,
/// authentication type, user, port, rem_addr; PAP data present is a cleartext password, flagged,
/// never kept) and an authorization or accounting REQUEST (user, port, rem_addr).
///
/// Function code: Wireshark's `tacplus.type` (1 authentication, 2 authorization, 3 accounting).
public enum TACACS: Dissector {
    public static let headerLength = 12
    /// The largest body taken; a longer length field is malformed (RFC 8907 bodies are small:
    /// a START carries at most 4 × 255 bytes of fields, a request 255 arguments of 255 bytes).
    public static let maxBodyLength = 65_536 + 256
    /// Major version 0xC; minor 0 (default) or 1.
    public static let majorVersion: UInt8 = 0x0C
    public static let unencryptedFlag: UInt8 = 0x01
    public static let singleConnectFlag: UInt8 = 0x04

    /// Packet types.
    public enum PacketType {
        public static let authentication: UInt8 = 1
        public static let authorization: UInt8 = 2
        public static let accounting: UInt8 = 3
    }

    public static var name: String { "tacacs" }
    public static var portHints: PortHints { PortHints(tcp: [49]) }
    public static func makeState() -> State { State() }

    /// Per-flow state: none (each packet's header says all that is read).
    public struct State: Sendable {
        public init() {}
    }

    /// A plausible header: major version 0xC, a known type, a non-zero seq_no with the parity of
    /// its sender (the client's are odd), only defined flags, a length within `maxBodyLength`.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= headerLength else {
            if let first = bytes.byte(at: 0), first >> 4 != majorVersion { return .reject }
            return .needMore
        }
        return isHeader(bytes, at: 0) && (bytes[2] & 1 == 1) == (direction == .toServer) ? .match : .reject
    }

    static func isHeader(_ bytes: Span<UInt8>, at offset: Int) -> Bool {
        guard offset >= 0, offset &+ headerLength <= bytes.count else { return false }
        let version = bytes[offset]
        let type = bytes[offset &+ 1]
        return version >> 4 == majorVersion && version & 0x0F <= 1 && type >= 1 && type <= 3
            && bytes[offset &+ 2] != 0 && bytes[offset &+ 3] & ~(unencryptedFlag | singleConnectFlag) == 0
            && bytes.loadUInt32BE(at: offset &+ 8) <= UInt32(maxBodyLength)
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Packet, consumed: Int) {
        guard bytes.count >= headerLength else { throw .needMore(headerLength) }
        guard isHeader(bytes, at: 0) else { throw .malformed("tacacs: not a TACACS+ header") }
        let bodyLength = Int(bytes.loadUInt32BE(at: 8))
        let total = headerLength &+ bodyLength
        guard bytes.count >= total else { throw .needMore(total) }
        var packet = Packet(direction: direction, type: bytes[1], sequence: bytes[2], flags: bytes[3],
                            sessionID: bytes.loadUInt32BE(at: 4), length: total)
        packet.minorVersion = bytes[0] & 0x0F
        if packet.flags & unencryptedFlag != 0 {
            packet.anomalies.insert(.unencrypted)
            if packet.sequence == 1, direction == .toServer {
                readRequest(bytes.extracting(headerLength..<total), bodyOffset: headerLength, into: &packet)
            }
        }
        return (packet, total)
    }

    /// The first body from the client, in the clear: where user, port and rem_addr lie.
    static func readRequest(_ body: Span<UInt8>, bodyOffset: Int, into packet: inout Packet) {
        // Lengths of user, port, rem_addr start at 4 (START, authorization) or 5 (accounting);
        // then come data_len (START) or arg_cnt and that many argument lengths.
        let lengthsAt = packet.type == PacketType.accounting ? 5 : 4
        guard body.count >= lengthsAt &+ 4 else {
            packet.anomalies.insert(.invalidLength)
            return
        }
        let userLength = Int(body[lengthsAt]), portLength = Int(body[lengthsAt &+ 1])
        let remoteLength = Int(body[lengthsAt &+ 2]), last = Int(body[lengthsAt &+ 3])
        let isStart = packet.type == PacketType.authentication
        var index = lengthsAt &+ 4 &+ (isStart ? 0 : last)
        if isStart {
            packet.action = body[0]
            packet.authenticationType = body[2]
            if body[2] == AuthenticationType.pap, last > 0 { packet.anomalies.insert(.cleartextPassword) }
        } else {
            packet.argumentCount = last
        }
        guard index &+ userLength &+ portLength &+ remoteLength <= body.count else {
            packet.anomalies.insert(.invalidLength)
            return
        }
        packet.user = Packet.Field(offset: bodyOffset &+ index, length: userLength)
        index &+= userLength
        packet.port = Packet.Field(offset: bodyOffset &+ index, length: portLength)
        index &+= portLength
        packet.remoteAddress = Packet.Field(offset: bodyOffset &+ index, length: remoteLength)
        packet.decodedBody = true
    }

    /// The next plausible header in `bytes`.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var index = 0
        while index &+ headerLength <= bytes.count {
            if isHeader(bytes, at: index) { return index }
            index &+= 1
        }
        return nil
    }
}
