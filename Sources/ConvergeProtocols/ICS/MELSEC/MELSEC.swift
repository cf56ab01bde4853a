import ConvergeModel
import ConvergeWire

/// Mitsubishi MELSEC communication protocol (MC protocol, SH-080008), binary 3E and 4E frames
/// over TCP or UDP, and the same frames in ASCII code (`MELSEC+ASCII.swift`).
///
/// 3E request: subheader 50 00, network no., PC no., request destination module I/O no. (2, LE),
/// station no., request data length (2, LE: the bytes after it), monitoring timer (2), command
/// (2), subcommand (2), data. 3E response: D0 00, the same routing fields, response data length,
/// end code (2), data. 4E inserts a serial number (2) and two reserved bytes after the subheader
/// (54 00 / D4 00) so that responses can be paired. All multi-byte fields are little-endian.
///
/// The function code is the command (0x0401 batch read …); Wireshark has no MC dissector, so the
/// subcommand is kept apart (`Frame.subcommand`) and not folded into the code.
public enum MELSEC: Dissector {
    public typealias Parsed = Frame

    /// Subheaders as they appear on the wire (first byte, second byte 0).
    static let request3E: UInt8 = 0x50
    static let response3E: UInt8 = 0xD0
    static let request4E: UInt8 = 0x54
    static let response4E: UInt8 = 0xD4
    /// Routing fields after the subheader (and 4E serial): network, PC, module I/O (2), station.
    static let routingLength = 5
    /// 3E header up to and including the data length field.
    public static let header3ELength = 9
    /// 4E adds serial number and reserved word.
    public static let header4ELength = 13
    /// A request's data length covers the monitoring timer, command and subcommand at least.
    public static let minRequestDataLength = 6
    /// A response's data length covers the end code at least.
    public static let minResponseDataLength = 2
    /// The largest data length taken: the manual's largest transfer (960 words and headers) fits
    /// well within it; beyond it the bytes are not MC protocol.
    public static let maxDataLength = 8192

    public static var name: String { "melsec" }
    /// 5006/5007 are the usual MC ports on Ethernet modules and built-in ports; 5562 is where the
    /// ITI captures' CPUs answer (with MELSOFT engineering frames, which the probe turns down).
    /// UDP is `MELSECUDP`.
    public static var portHints: PortHints { PortHints(tcp: [5006, 5007, 5562]) }
    public static func makeState() -> State { State(capacity: pendingCapacity, lostAfter: requestTimeout) }

    /// The subheader fits the direction and the data length is within bounds.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let first = bytes.byte(at: 0) else { return .needMore }
        if mayBeASCII(first) { return probeASCII(bytes, direction: direction) }
        guard let second = bytes.byte(at: 1) else { return .needMore }
        guard second == 0, let kind = FrameKind(subheader: first) else { return .reject }
        guard kind.isResponse == (direction == .toClient) else { return .reject }
        guard let length = dataLength(bytes, kind: kind) else { return .needMore }
        let minimum = kind.isResponse ? minResponseDataLength : minRequestDataLength
        return length >= minimum && length <= maxDataLength ? .match : .reject
    }

    /// The request/response data length field, nil when not yet in the bytes.
    static func dataLength(_ bytes: Span<UInt8>, kind: FrameKind) -> Int? {
        let offset = kind.headerLength &- 2
        guard let low = bytes.byte(at: offset), let high = bytes.byte(at: offset &+ 1) else { return nil }
        return Int(high) << 8 | Int(low)
    }

    /// Takes one frame. An unknown subheader or a data length outside bounds is malformed.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        if let first = bytes.byte(at: 0), mayBeASCII(first) {
            return try parseASCII(bytes, direction: direction, time: time, state: &state)
        }
        guard let first = bytes.byte(at: 0), let second = bytes.byte(at: 1) else { throw .needMore(header3ELength) }
        guard second == 0, let kind = FrameKind(subheader: first) else {
            throw .malformed("melsec: subheader \(first) \(second) is not a 3E/4E binary frame")
        }
        guard let length = dataLength(bytes, kind: kind) else { throw .needMore(kind.headerLength) }
        let minimum = kind.isResponse ? minResponseDataLength : minRequestDataLength
        guard length >= minimum, length <= maxDataLength else {
            throw .malformed("melsec: data length \(length) outside \(minimum)...\(maxDataLength)")
        }
        let total = kind.headerLength &+ length
        guard bytes.count >= total else { throw .needMore(total) }
        var frame = Frame(kind: kind, direction: direction, length: total)
        var reader = WireReader(bytes.extracting(0..<total))
        _ = reader.skip(2)
        if kind.is4E {
            frame.serial = reader.u16le() ?? 0
            _ = reader.skip(2)
        }
        frame.network = reader.u8() ?? 0
        frame.pc = reader.u8() ?? 0
        frame.moduleIO = reader.u16le() ?? 0
        frame.station = reader.u8() ?? 0
        _ = reader.skip(2)
        if kind.isResponse {
            frame.endCode = reader.u16le() ?? 0
            pair(&frame, time: time, state: &state)
        } else {
            frame.timer = reader.u16le() ?? 0
            frame.command = reader.u16le() ?? 0
            frame.subcommand = reader.u16le() ?? 0
            frame.hasCommand = true
            let device = Device.parse(bytes, at: frame.dataOffset, subcommand: frame.subcommand)
            register(&frame, device: device, time: time, state: &state)
        }
        if kind.isResponse != (direction == .toClient) { frame.anomalies.insert(.wrongDirection) }
        return (frame, total)
    }

    /// Keeps a request for its response (binary and ASCII alike).
    static func register(_ frame: inout Frame, device: Device?, time: Timestamp, state: inout State) {
        if !Command.isKnown(frame.command) { frame.anomalies.insert(.unknownCommand) }
        let pending = Pending(
            serial: frame.serial, command: frame.command, subcommand: frame.subcommand, device: device, time: time)
        if state.pending.insert(pending) {
            state.pendingOverflows &+= 1
            frame.anomalies.insert(.pendingOverflow)
        }
    }

    /// A response carries no command: it takes its request's (3E by order, 4E by serial number).
    static func pair(_ frame: inout Frame, time: Timestamp, state: inout State) {
        guard let request = state.pending.take(frame.serial) else {
            frame.anomalies.insert(.unsolicitedResponse)
            return
        }
        frame.request = request
        frame.command = request.command
        frame.subcommand = request.subcommand
        frame.hasCommand = true
        frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
    }

    /// The next plausible subheader after a gap.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var offset = 0
        while offset &+ 1 < bytes.count {
            let binary = bytes[offset &+ 1] == 0 && FrameKind(subheader: bytes[offset]) != nil
            if binary || asciiKind(bytes, at: offset) != nil,
                probe(bytes.extracting(offset..<bytes.count), direction: direction) != .reject
            {
                return offset
            }
            offset &+= 1
        }
        return nil
    }
}
