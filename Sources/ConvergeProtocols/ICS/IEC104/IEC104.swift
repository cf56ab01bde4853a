import ConvergeModel
import ConvergeWire

/// IEC 60870-5-104 (telecontrol over TCP, IEC 60870-5-104:2006 with the ASDUs of IEC 60870-5-101).
///
/// One APDU is the APCI (start byte 0x68, a length byte counting the four control octets and the
/// ASDU, four control octets) and, in I-format frames only, one ASDU. The controlling station
/// (SCADA) is normally the TCP client and the controlled station (RTU) listens on 2404, so commands
/// travel to the server and monitor data to the client. `parse` takes one APDU from the front of
/// an in-order byte stream; the flow's `State` follows the send/receive sequence numbers of each
/// direction and pairs activations with their confirmations.
public enum IEC104: Dissector {
    public typealias Parsed = Frame

    /// Every APDU starts with this byte.
    public static let startByte: UInt8 = 0x68
    /// Start byte and length byte.
    public static let headerLength = 2
    /// Start, length and the four control octets.
    public static let apciLength = 6
    /// The length byte counts at least the four control octets.
    public static let minLengthField = 4
    /// The spec's largest length field (an APDU of at most 255 bytes). 254 and 255 still fit the
    /// byte and are parsed with an `invalidLength` anomaly, as Wireshark does.
    public static let maxLengthFieldBySpec = 253
    /// ASDU header in 104: type id, variable structure qualifier, cause of transmission (with
    /// originator address), common address (2 octets).
    public static let asduHeaderLength = 6
    /// Information object address: 3 octets in 104.
    public static let ioaLength = 3
    /// The variable structure qualifier's 7-bit object count can never exceed this.
    public static let maxObjects = 127

    public static var name: String { "iec104" }
    public static var portHints: PortHints { PortHints(tcp: [2404]) }
    public static func makeState() -> State { State() }

    /// Decides from the first APCI: start byte, a length within the spec and a control field
    /// that fits the length (S and U frames carry no ASDU; a U frame names exactly one function).
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let start = bytes.byte(at: 0) else { return .needMore }
        guard start == startByte else { return .reject }
        guard let length = bytes.byte(at: 1) else { return .needMore }
        guard Int(length) >= minLengthField, Int(length) <= maxLengthFieldBySpec else { return .reject }
        guard let control = bytes.byte(at: 2) else { return .needMore }
        switch Format(control: control) {
        case .information:
            return Int(length) > minLengthField ? .match : .reject
        case .supervisory:
            return Int(length) == minLengthField && control == 0x01 ? .match : .reject
        case .unnumbered:
            return Int(length) == minLengthField && UFunction(control: control).isSingleKnown ? .match : .reject
        }
    }

    /// Takes one APDU from the front of `bytes`. A wrong start byte or a length byte below 4 is
    /// `.malformed` (framing is lost); anything wrong inside a well-framed APDU is an anomaly.
    /// Allocates nothing once the flow's pending table exists.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard let start = bytes.byte(at: 0) else { throw .needMore(apciLength) }
        guard start == startByte else { throw .malformed("iec104: start byte \(start) is not 0x68") }
        guard let length = bytes.byte(at: 1) else { throw .needMore(apciLength) }
        guard Int(length) >= minLengthField else {
            throw .malformed("iec104: length \(length) below \(minLengthField)")
        }
        let total = headerLength &+ Int(length)
        guard bytes.count >= total, let c1 = bytes.byte(at: 2), let c2 = bytes.byte(at: 3),
            let c3 = bytes.byte(at: 4), let c4 = bytes.byte(at: 5)
        else { throw .needMore(total) }

        var frame = Frame(lengthField: length, control: (c1, c2, c3, c4), direction: direction)
        if Int(length) > maxLengthFieldBySpec { frame.anomalies.insert(.invalidLength) }
        let asdu = bytes.extracting(apciLength..<total)
        switch frame.format {
        case .information:
            ASDU.parse(asdu, into: &frame)
            state.noteInformation(&frame, time: time)
        case .supervisory:
            if !asdu.isEmpty || c1 != 0x01 || c2 != 0 { frame.anomalies.insert(.invalidControlField) }
            state.noteAcknowledgement(&frame)
        case .unnumbered:
            if !asdu.isEmpty { frame.anomalies.insert(.invalidLength) }
            if !frame.uFunction.isSingleKnown || c2 != 0 || c3 != 0 || c4 != 0 {
                frame.anomalies.insert(.invalidControlField)
            }
            state.noteUnnumbered(frame.uFunction, direction: direction)
        }
        return (frame, total)
    }
}
