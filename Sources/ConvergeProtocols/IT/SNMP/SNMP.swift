import ConvergeModel
import ConvergeWire

/// SNMP v1, v2c and v3 (RFC 1157, 3416, 3412, 3414) over UDP 161 (agents) and 162 (notifications).
///
/// One message per datagram. `parse` walks the message with the bounded BER reader: version,
/// community (only whether it is a default), the PDU's tag, request-id and error fields, and
/// counts the varbinds; v3 adds msgFlags, the USM engine id and user name, and stops at an
/// encrypted scoped PDU. Values are read only by `event` and `facts`.
///
/// Counted function (`Packet.functionCode`): Wireshark's `snmp.data`, the PDU choice (0 get-request,
/// 1 get-next-request, 2 get-response, 3 set-request, 4 trap, 5 getBulkRequest, 6 informRequest,
/// 7 snmpV2-trap, 8 report); encrypted or unknown PDUs count as messages without a function.
public enum SNMP: Dissector {
    public typealias Parsed = Packet

    /// More varbinds than this in one message are not counted (a datagram holds a few hundred at most).
    public static let maxVarbinds = 512
    /// The largest message: a UDP payload.
    public static let maxMessageLength = 65_535

    public static var name: String { "snmp" }
    public static var portHints: PortHints { PortHints(udp: [161, 162]) }
    public static func makeState() -> State { State() }

    /// A SEQUENCE whose first element is an INTEGER version 0, 1 or 3.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let first = bytes.byte(at: 0) else { return .needMore }
        guard first == BER.sequence else { return .reject }
        guard case .element(let outer) = BER.read(bytes, at: 0, end: maxMessageLength) else {
            return bytes.count < 6 ? .needMore : .reject
        }
        switch BER.read(bytes, at: outer.valueStart, end: outer.valueEnd) {
        case .truncated: return .needMore
        case .invalid: return .reject
        case .element(let version):
            guard version.identifier == BER.integer else { return .reject }
            guard let value = BER.integerValue(bytes, version) else {
                return version.isComplete(bytes) ? .reject : .needMore
            }
            return value == 0 || value == 1 || value == 3 ? .match : .reject
        }
    }

    /// Takes the whole datagram. Only a first element that is not a SEQUENCE (or a broken outer
    /// header) is `.malformed`; fewer than 2 bytes is `.needMore`. Inside a sound header the
    /// walk goes as far as the bytes allow and flags what it finds (`truncated`, `invalid_ber` …),
    /// as Wireshark still shows a cut message's PDU type.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Packet, consumed: Int) {
        guard bytes.count >= 2 else { throw .needMore(2) }
        guard bytes[0] == BER.sequence else { throw .malformed("snmp: message is not a SEQUENCE") }
        let outer: Element
        switch BER.read(bytes, at: 0, end: maxMessageLength) {
        case .element(let element): outer = element
        case .truncated: throw .needMore(bytes.count &+ 1)
        case .invalid: throw .malformed("snmp: bad message length")
        }
        var packet = Packet()
        packet.direction = direction
        if outer.valueEnd > bytes.count {
            packet.anomalies.insert(.truncated)
        } else if outer.valueEnd < bytes.count {
            packet.anomalies.insert(.trailingBytes)
        }
        walkMessage(bytes, outer, &packet)
        pair(&packet, time: time, state: &state)
        return (packet, bytes.count)
    }
}
