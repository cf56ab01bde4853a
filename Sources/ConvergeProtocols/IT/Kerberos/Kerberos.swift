import ConvergeModel
import ConvergeWire

/// Kerberos v5 (RFC 4120) over UDP 88: one message per datagram. `KerberosOverTCP` reads the
/// same messages behind TCP's 4-byte record marker.
///
/// `parse` walks the message's fixed ASN.1 layout with a bounded BER reader and keeps slices
/// to the names (realm, client and server principals), the offered etypes (flagging DES and
/// RC4), the pre-authentication types, the reply's session-key etype and the error code.
/// Tickets, authenticators and every encrypted part are skipped by length, never kept.
///
/// Counted function (`Message.functionCode`): Wireshark's `kerberos.msg_type` of the outer
/// message (10 AS-REQ, 11 AS-REP, 12 TGS-REQ, 13 TGS-REP, 14 AP-REQ, 15 AP-REP, 20 KRB-SAFE,
/// 21 KRB-PRIV, 22 KRB-CRED, 30 KRB-ERROR). tshark also lists the AP-REQ carried inside a
/// TGS-REQ's PA-TGS-REQ as a second `kerberos.msg_type`; that one is part of the TGS-REQ here.
public enum Kerberos: Dissector {
    public typealias Parsed = Message

    /// The largest message taken: a UDP payload; TCP records are capped by `maxRecordLength`.
    public static let maxMessageLength = 65_535
    /// Etypes and pre-authentication entries looked at in one message; more are flagged.
    public static let maxEtypes = 64
    public static let maxPadata = 32
    /// Longest realm or principal kept in an event or fact, in bytes.
    public static let maxNameLength = 256
    /// Components of a principal name joined into text (`host/server.example`).
    public static let maxNameComponents = 8

    public static var name: String { "kerberos" }
    public static var portHints: PortHints { PortHints(udp: [88]) }
    public static func makeState() -> State { State() }

    /// An application tag of a Kerberos message whose header is sound and holds a SEQUENCE.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        probeMessage(bytes, at: 0, end: maxMessageLength)
    }

    static func probeMessage(_ bytes: Span<UInt8>, at start: Int, end: Int) -> ProbeResult {
        guard let first = bytes.byte(at: start) else { return .needMore }
        guard first & 0xE0 == 0x60, MessageType.isKnown(UInt32(first & 0x1F)) else { return .reject }
        switch SNMP.BER.read(bytes, at: start, end: end) {
        case .truncated: return .needMore
        case .invalid: return .reject
        case .element(let outer):
            guard let inner = bytes.byte(at: outer.valueStart) else { return .needMore }
            return inner == BERWalk.sequence ? .match : .reject
        }
    }

    /// Takes the whole datagram. Bytes that do not start with a Kerberos application tag are
    /// `.malformed`; inside a sound header the walk flags what it cannot read.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard let first = bytes.byte(at: 0) else { throw .needMore(1) }
        guard first & 0xE0 == 0x60 else { throw .malformed("kerberos: not an application tag") }
        var message = Message(direction: direction, length: bytes.count)
        walk(bytes, start: 0, end: min(bytes.count, maxMessageLength), limit: maxMessageLength, into: &message)
        state.pair(&message, time: time)
        return (message, bytes.count)
    }
}
