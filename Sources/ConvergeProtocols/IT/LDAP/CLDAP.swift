import ConvergeModel
import ConvergeWire

/// Connectionless LDAP over UDP 389 (RFC 1798, and Active Directory's "LDAP ping",
/// [MS-ADTS] 6.3.3): LDAPMessages in datagrams, read by `LDAP`. A reply datagram usually holds
/// two (a SearchResultEntry and its SearchResultDone); `parse` returns one per call. The RFC 1798
/// form with a user DN before the operation is read too. Summary name `cldap`; events say `ldap`
/// and count `ldap.protocolOp` as `LDAP` does.
public enum CLDAP: Dissector {
    public typealias Parsed = LDAP.Message
    public typealias State = LDAP.State

    /// The largest datagram.
    public static let maxDatagram = 65_535

    public static var name: String { "cldap" }
    /// Its messages are LDAP's (`ldap`), whatever the transport.
    public static var eventProtocols: [String] { [name, LDAP.name] }
    public static var portHints: PortHints { PortHints(udp: [389]) }
    public static func makeState() -> State { State() }

    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        LDAP.probeMessage(bytes, end: maxDatagram)
    }

    /// Takes one LDAPMessage from the front of the datagram's remaining bytes. A message cut by
    /// the datagram's end is read as far as it goes and flagged `truncated`.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: LDAP.Message, consumed: Int) {
        guard let first = bytes.byte(at: 0) else { throw .needMore(1) }
        guard first == BERWalk.sequence else { throw .malformed("cldap: message is not a SEQUENCE") }
        let outer: BERWalk.Element
        switch SNMP.BER.read(bytes, at: 0, end: maxDatagram) {
        case .element(let element): outer = element
        case .truncated: throw .malformed("cldap: datagram ends in a message header")
        case .invalid: throw .malformed("cldap: bad message length")
        }
        let consumed = min(outer.valueEnd, bytes.count)
        var message = LDAP.Message(direction: direction, length: consumed)
        LDAP.walk(bytes, outer, into: &message)
        state.pair(&message, time: time)
        return (message, consumed)
    }

    public static func event(
        _ parsed: LDAP.Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        LDAP.event(parsed, bytes: bytes, context: context, state: &state)
    }

    public static func facts(
        _ parsed: LDAP.Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        LDAP.facts(parsed, bytes: bytes, context: context, state: state)
    }
}
