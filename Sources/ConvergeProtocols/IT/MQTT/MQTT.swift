import ConvergeModel
import ConvergeWire

/// MQTT 3.1, 3.1.1 (OASIS 2014) and 5.0 (OASIS 2019) over plain TCP.
///
/// A control packet is a fixed header (type and flags in one byte, then the remaining length as a
/// variable-length integer of 1–4 bytes) followed by that many bytes of variable header and payload.
/// `parse` takes one packet from the front of an in-order byte stream. The protocol level from the
/// flow's CONNECT, kept in `State`, decides whether MQTT 5 properties are present. Port 8883 is
/// MQTT over TLS: the probe turns TLS records down, so encrypted flows are never read as MQTT.
public enum MQTT: Dissector {
    public typealias Parsed = Packet

    /// The remaining length is at most 4 bytes of 7 bits; a fifth continuation byte is malformed.
    public static let maxVariableIntegerBytes = 4
    /// The largest remaining length 4 bytes encode (268,435,455): the spec's packet size limit.
    public static let maxRemainingLength = 268_435_455
    /// The smallest packet: a type byte and a one-byte remaining length of 0.
    public static let minPacketLength = 2
    /// Topics longer than this are parsed, flagged `topicTooLong` and cut to this in events.
    public static let maxTopicLength = 1024
    /// Other strings (client id, user name, property values) are cut to this in events.
    public static let maxStringLength = 256
    /// Properties walked per block; more are flagged `tooManyProperties` and skipped.
    public static let maxProperties = 64
    /// Topic filters read per SUBSCRIBE/UNSUBSCRIBE; more are flagged `invalidFilterCount`.
    public static let maxTopicFilters = 256
    /// Reason codes of a SUBACK/UNSUBACK turned into event targets.
    public static let maxReasonCodeTargets = 256
    /// Protocol levels: 3 = MQTT 3.1 ("MQIsdp"), 4 = 3.1.1, 5 = 5.0.
    public static let level31: UInt8 = 3
    public static let level311: UInt8 = 4
    public static let level5: UInt8 = 5
    /// MQTT over TLS: a hint only, the bytes are TLS and the probe rejects them.
    public static let tlsPort: UInt16 = 8883

    public static var name: String { "mqtt" }
    public static var portHints: PortHints { PortHints(tcp: [1883, tlsPort]) }
    public static func makeState() -> State { State() }

    /// The fixed header: the type byte and the remaining length.
    public struct FixedHeader: Sendable, Equatable {
        public var firstByte: UInt8
        public var headerLength: Int
        public var remainingLength: Int
        public var totalLength: Int { headerLength &+ remainingLength }
        public var type: PacketType { PacketType(rawValue: firstByte >> 4) }
    }

    /// Reads the fixed header at `offset`: `.needMore` while it is incomplete, `.malformed` when the
    /// remaining length runs past `maxVariableIntegerBytes`.
    static func fixedHeader(_ bytes: Span<UInt8>, at offset: Int = 0) throws(DissectError) -> FixedHeader {
        guard let first = bytes.byte(at: offset) else { throw .needMore(offset &+ minPacketLength) }
        var value = 0
        for index in 0..<maxVariableIntegerBytes {
            let position = offset &+ 1 &+ index
            guard let byte = bytes.byte(at: position) else { throw .needMore(position &+ 1) }
            value |= Int(byte & 0x7f) << (7 &* index)
            if byte & 0x80 == 0 {
                return FixedHeader(firstByte: first, headerLength: 2 &+ index, remainingLength: value)
            }
        }
        throw .malformed("mqtt: remaining length longer than \(maxVariableIntegerBytes) bytes")
    }

    /// Decides from the first bytes of a flow. A CONNECT must name MQTT 3.1, 3.1.1 or 5; a flow
    /// picked up mid-stream must start with a type whose flags the spec allows (which turns TLS
    /// records, 0x14–0x17, down: they read as CONNECT with flags set), a body its type allows
    /// and, when the packet is complete, be followed by another such type byte.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let first = bytes.byte(at: 0) else { return .needMore }
        guard PacketType.isValidFirstByte(first) else { return .reject }
        let header: FixedHeader
        do throws(DissectError) {
            header = try fixedHeader(bytes)
        } catch {
            if case .needMore = error { return .needMore }
            return .reject
        }
        guard let plausible = plausibleBody(bytes, at: 0, header: header) else { return .needMore }
        guard plausible else { return .reject }
        if let next = bytes.byte(at: header.totalLength), !PacketType.isValidFirstByte(next) { return .reject }
        return .match
    }

    /// Whether the body after a fixed header at `offset` fits its type: PINGREQ/PINGRESP empty,
    /// acknowledgements at least a packet id, a CONNECT naming a known protocol and level, a
    /// PUBLISH topic that fits and holds no control characters or wildcards. Nil when the bytes
    /// stop before that can be told.
    static func plausibleBody(_ bytes: Span<UInt8>, at offset: Int, header: FixedHeader) -> Bool? {
        let start = offset &+ header.headerLength
        let remaining = header.remainingLength
        switch header.type {
        case .connect:
            guard let nameLength = bytes.uint16BE(at: start) else { return nil }
            guard nameLength == 4 || nameLength == 6, Int(nameLength) &+ 3 <= remaining else { return false }
            guard let level = bytes.byte(at: start &+ 2 &+ Int(nameLength)) else { return nil }
            return protocolName(bytes, Slice(offset: start &+ 2, length: Int(nameLength)), level: level)
        case .pingreq, .pingresp:
            return remaining == 0
        case .connack, .puback, .pubrec, .pubrel, .pubcomp, .unsuback:
            return remaining >= 2
        case .subscribe, .suback, .unsubscribe:
            return remaining >= 3
        case .publish:
            guard remaining >= 2 else { return false }
            guard let length = bytes.uint16BE(at: start) else { return nil }
            guard Int(length) &+ 2 <= remaining else { return false }
            for index in (start &+ 2)..<(start &+ 2 &+ Int(length)) {
                guard let byte = bytes.byte(at: index) else { return nil }
                if byte < 0x20 || byte == 0x7f || byte == 0x23 || byte == 0x2b { return false }  // '#', '+'
            }
            return true
        case .disconnect, .auth:
            return true
        default:
            return false
        }
    }

    /// Whether the protocol name and level are a known pairing: "MQIsdp" 3, "MQTT" 4 or 5.
    static func protocolName(_ bytes: Span<UInt8>, _ name: Slice, level: UInt8) -> Bool {
        switch (name.length, level) {
        case (4, level311), (4, level5): return Text.equals(bytes, name, "MQTT")
        case (6, level31): return Text.equals(bytes, name, "MQIsdp")
        default: return false
        }
    }

    /// Takes one packet from the front of `bytes`. Only a remaining length longer than 4 bytes is
    /// `.malformed`; a body that disagrees with its type's layout is parsed as far as it goes and
    /// carries anomalies. Allocates nothing.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Packet, consumed: Int) {
        let header = try fixedHeader(bytes)
        let total = header.totalLength
        guard bytes.count >= total else { throw .needMore(total) }
        var packet = Packet(
            type: header.type, flags: header.firstByte & 0x0f, direction: direction,
            headerLength: header.headerLength, remainingLength: header.remainingLength)
        let body = bytes.extracting(0..<total)
        Body.parse(body, packet: &packet, state: &state)
        state.pair(&packet, time: time)
        return (packet, total)
    }
}
