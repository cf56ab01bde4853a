import ConvergeModel
import ConvergeWire

/// NTP (RFC 5905) on UDP 123, with the mode 6 control (RFC 9327) and mode 7 private (ntpd's
/// implementation-specific, home of the `monlist` amplifier) headers.
///
/// One message per datagram; `parse` reads only the fixed header. Counted function
/// (`Packet.functionCode`): Wireshark's `ntp.flags.mode` (0 reserved … 7 private).
public enum NTP: Dissector {
    public typealias Parsed = Packet

    /// The RFC 5905 header before any extension field or MAC.
    public static let headerLength = 48
    /// The mode 6 control header.
    public static let controlHeaderLength = 12
    /// The mode 7 request header (flags, sequence, implementation, request code).
    public static let privateHeaderLength = 4
    /// ntpd mode 7 request codes of the monitor list (MON_GETLIST, MON_GETLIST_1).
    public static let monlistRequestCodes: (UInt8, UInt8) = (20, 42)

    public static var name: String { "ntp" }
    public static var portHints: PortHints { PortHints(udp: [123]) }
    public static func makeState() -> State { State() }

    /// Per-flow state: none is needed (each datagram stands alone).
    public struct State: Sendable {
        public init() {}
    }

    /// Version 1–4, a mode other than 0, and at least the header its mode needs.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let first = bytes.byte(at: 0) else { return .needMore }
        let version = (first >> 3) & 0x07
        let mode = first & 0x07
        guard version >= 1, version <= 4, mode != 0 else { return .reject }
        let needed = mode == 6 ? controlHeaderLength : mode == 7 ? privateHeaderLength : headerLength
        guard bytes.count >= needed else { return .needMore }
        if mode <= 5, let stratum = bytes.byte(at: 1), stratum > 16 { return .reject }
        return .match
    }

    /// Takes the datagram. An empty one is `.needMore`; anything else parses (the first octet
    /// always gives a mode, as in Wireshark), a short header is flagged `truncated`.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Packet, consumed: Int) {
        guard let first = bytes.byte(at: 0) else { throw .needMore(1) }
        var packet = Packet()
        packet.direction = direction
        packet.leap = first >> 6
        packet.version = (first >> 3) & 0x07
        packet.mode = first & 0x07
        packet.length = bytes.count
        if packet.version == 0 || packet.version > 4 { packet.anomalies.insert(.unknownVersion) }
        switch packet.mode {
        case 6:
            parseControl(bytes, &packet)
        case 7:
            parsePrivate(bytes, &packet)
        default:
            guard bytes.count >= headerLength else {
                packet.anomalies.insert(.truncated)
                break
            }
            packet.stratum = bytes[1]
            packet.poll = Int8(bitPattern: bytes[2])
            packet.referenceID = bytes.loadUInt32BE(at: 12)
            packet.hasHeader = true
        }
        return (packet, bytes.count)
    }

    /// Mode 6: response bit, opcode, association; a query is flagged (ntpq-style reconnaissance).
    static func parseControl(_ bytes: Span<UInt8>, _ packet: inout Packet) {
        guard bytes.count >= controlHeaderLength, let second = bytes.byte(at: 1) else {
            packet.anomalies.insert(.truncated)
            return
        }
        packet.isReply = second & 0x80 != 0
        packet.opcode = second & 0x1f
        packet.hasHeader = true
        if !packet.isReply { packet.anomalies.insert(.controlQuery) }
    }

    /// Mode 7: response bit and request code; `monlist` requests are flagged as the amplifier they are.
    static func parsePrivate(_ bytes: Span<UInt8>, _ packet: inout Packet) {
        guard bytes.count >= privateHeaderLength else {
            packet.anomalies.insert(.truncated)
            return
        }
        packet.isReply = bytes[0] & 0x80 != 0
        packet.opcode = bytes[3]
        packet.hasHeader = true
        guard !packet.isReply else { return }
        packet.anomalies.insert(.privateQuery)
        if packet.opcode == monlistRequestCodes.0 || packet.opcode == monlistRequestCodes.1 {
            packet.anomalies.insert(.monlist)
        }
    }
}
