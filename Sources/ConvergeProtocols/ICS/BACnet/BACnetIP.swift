import ConvergeModel
import ConvergeWire

/// BACnet/IP (ASHRAE 135 Annex J, clauses 6 and 20): one BVLC message per UDP datagram, carrying
/// an NPDU (network layer, with optional routing to other BACnet networks) and usually an APDU
/// (the application service).
///
/// `parse` takes the whole datagram. Requests and answers are told apart by the APDU type, not the
/// flow direction (both ends use port 47808 and either may ask first); the flow's `State` pairs a
/// confirmed request with its answer by invoke id, direction and NPDU routing addresses, and puts
/// segmented requests and complex acks back together (clause 5.4), so the last segment's event,
/// facts and values come from the whole message. Every segment counts under its service, as in
/// Wireshark.
public enum BACnetIP: Dissector {
    public typealias Parsed = Frame

    /// BVLC type octet of BACnet/IP (Annex J); 0x82 is BACnet/IPv6 (Annex U), not handled here.
    public static let bvlcType: UInt8 = 0x81
    /// Type, function and length.
    public static let bvlcHeaderLength = 4
    /// The largest BVLC function Annex J defines (Secure-BVLL).
    public static let maxBVLCFunction: UInt8 = 0x0c
    /// `functionCode` of an unconfirmed service: this base plus `bacapp.unconfirmed_service`.
    public static let unconfirmedServiceBase = 256

    public static var name: String { "bacnet" }
    public static var portHints: PortHints { PortHints(udp: [47808]) }
    public static func makeState() -> State { State() }

    /// A BVLC header of type 0x81, a function Annex J defines and a length of at least 4.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let type = bytes.byte(at: 0) else { return .needMore }
        guard type == bvlcType else { return .reject }
        guard let function = bytes.byte(at: 1) else { return .needMore }
        guard function <= maxBVLCFunction else { return .reject }
        guard let length = bytes.uint16BE(at: 2) else { return .needMore }
        return Int(length) >= bvlcHeaderLength ? .match : .reject
    }

    /// Takes the datagram. Only a broken BVLC header (wrong type, length below 4) is `.malformed`,
    /// and fewer than 4 bytes `.needMore`; everything inside a sound header that disagrees with
    /// the spec is parsed as far as it goes and flagged. A datagram cut short by the capture is
    /// still parsed (flagged `truncated`), as Wireshark does, so its service is counted.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard let type = bytes.byte(at: 0) else { throw .needMore(bvlcHeaderLength) }
        guard type == bvlcType else { throw .malformed("bacnet: BVLC type \(type) is not 0x81") }
        guard let function = bytes.byte(at: 1), let length = bytes.uint16BE(at: 2) else {
            throw .needMore(bvlcHeaderLength)
        }
        guard Int(length) >= bvlcHeaderLength else {
            throw .malformed("bacnet: BVLC length \(length) is below 4")
        }
        var frame = Frame(direction: direction, bvlcFunction: function, bvlcLength: length, datagramLength: bytes.count)
        if Int(length) > bytes.count {
            frame.anomalies.insert(.truncated)
        } else if Int(length) < bytes.count {
            frame.anomalies.insert(.invalidLength)
        }
        let end = min(bytes.count, Int(length))
        if let npduStart = parseBVLC(bytes, end: end, frame: &frame) {
            parseNPDU(bytes, at: npduStart, end: end, frame: &frame)
        }
        if frame.hasAPDU {
            parseAPDU(bytes, frame: &frame)
            pair(&frame, time: time, state: &state)
            if frame.isSegment {
                state.segments.accept(&frame, bytes: bytes, time: time)
                checkReassembledTags(&frame)
            }
        }
        return (frame, bytes.count)
    }
}
