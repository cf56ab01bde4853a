import ConvergeModel
import ConvergeWire

/// DNP3 (IEEE 1815) over TCP or UDP, port 20000.
///
/// Three layers sit in every stream: link frames (0x0564 start, length, control, destination,
/// source, a header CRC, then user data in blocks of up to 16 bytes each followed by a CRC), a
/// one-byte transport header (FIR, FIN, 6-bit sequence) that splits an application fragment over
/// several link frames, and the application fragment itself (control, function code, IIN for
/// responses, then object headers with their points).
///
/// `parse` takes exactly one link frame from the front of the bytes (a TCP stream, or a UDP
/// datagram holding one or more frames) and feeds its user data into the direction's transport
/// reassembly in `State`. The parsed value has `hasFunction == true` only for the frame that
/// completes an application fragment, so `functions` counts one per fragment as Wireshark counts
/// `dnp3.al.func`; every other frame (link-layer only, or a non-final transport segment) is a
/// message without a function.
public enum DNP3: Dissector {
    public typealias Parsed = Frame

    public static var name: String { "dnp3" }
    public static var portHints: PortHints { PortHints(tcp: [20000], udp: [20000]) }
    public static func makeState() -> State { State() }

    /// Checks the first frame header: start bytes, a length of at least 5 and, once the ten header
    /// bytes are in, the header CRC (two start bytes are too weak a signal on their own).
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        if let first = bytes.byte(at: 0), first != Link.start0 { return .reject }
        if let second = bytes.byte(at: 1), second != Link.start1 { return .reject }
        if let length = bytes.byte(at: 2), length < Link.minLengthField { return .reject }
        guard bytes.count >= Link.headerLength else { return .needMore }
        return Link.headerCRCIsValid(bytes) ? .match : .reject
    }

    /// Takes one link frame. Broken framing (no 0x0564, a length field below 5) is `.malformed`;
    /// bad CRCs, transport sequence errors and bad application content are anomalies on the frame.
    /// Allocates nothing once the direction's reassembly buffer exists.
    @inlinable
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        // Filled in place by `takeMessage` (`ModbusTCP.parse` says why).
        var frame = Frame(link: Link.Header(length: 0, control: 0, destination: 0, source: 0), direction: direction)
        let consumed = try takeMessage(bytes, direction: direction, time: time, state: &state, into: &frame)
        return (frame, consumed)
    }

    /// `parse`'s work: fills `frame` and returns the bytes used.
    @usableFromInline
    static func takeMessage(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State, into frame: inout Frame
    ) throws(DissectError) -> Int {
        guard bytes.count >= Link.headerLength else {
            if let first = bytes.byte(at: 0), first != Link.start0 { throw .malformed("dnp3: no 0x0564 start") }
            if let second = bytes.byte(at: 1), second != Link.start1 { throw .malformed("dnp3: no 0x0564 start") }
            if let length = bytes.byte(at: 2), length < Link.minLengthField {
                throw .malformed("dnp3: length field \(length) below 5")
            }
            throw .needMore(Link.headerLength)
        }
        guard let header = Link.Header(bytes) else { throw .malformed("dnp3: no 0x0564 start") }
        guard header.length >= Link.minLengthField else {
            throw .malformed("dnp3: length field \(header.length) below 5")
        }
        let total = header.frameLength
        guard bytes.count >= total else { throw .needMore(total) }

        // `frame` arrives fresh from `parse` (defaults, this direction): only the header is set.
        frame.link = header
        if !Link.headerCRCIsValid(bytes) { frame.anomalies.insert(.headerCRC) }
        if header.carriesTransport {
            let userData = header.function == Link.confirmedUserData || header.function == Link.unconfirmedUserData
            if !header.isPrimary || !userData {
                frame.anomalies.insert(.unexpectedUserData)
            }
            // The transport layer checks the data CRCs as it copies the blocks: Wireshark and the
            // spec both discard a frame whose data CRC fails; the fragment it belonged to then
            // fails its sequence check and is dropped too.
            Transport.receive(bytes.extracting(0..<total), frame: &frame, time: time, state: &state)
        } else if header.userDataLength > 0 {
            frame.anomalies.insert(.unexpectedUserData)
        }
        return total
    }
}
