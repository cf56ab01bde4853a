import ConvergeModel
import ConvergeWire

/// Omron FINS over UDP (FINS Commands Reference Manual W227/W342): one FINS frame per datagram,
/// usually on UDP 9600.
///
/// A frame is a 10-byte header (ICF, RSV, GCT, DNA, DA1, DA2, SNA, SA1, SA2, SID), the command
/// code (MRC, SRC), then for a response the end code (MRES, SRES), then the data. The function
/// code counted is MRC × 256 + SRC, as Wireshark's `omron.command`. Which way a frame goes is in
/// ICF bit 6 (response), not the flow direction: FINS nodes are peers and either may command.
/// The frame parser is shared with `FINSTCP`, which carries the same frame after its own header.
public enum FINS: Dissector {
    public typealias Parsed = Frame

    /// ICF … SID.
    public static let headerLength = 10
    /// Header and command code: the shortest command.
    public static let minFrameLength = 12
    /// Header, command code and end code: the shortest response.
    public static let minResponseLength = 14
    /// The manual's largest frame: header, command code, end code and 2,000 data bytes (some CPUs
    /// take 2,012 in all; the slack is for the end code). Longer frames are parsed and flagged.
    public static let maxFrameLengthBySpec = 2014
    /// The largest frame taken at all: a datagram or FINS/TCP frame beyond this is not FINS.
    public static let maxFrameLength = 4096

    /// ICF bits.
    static let icfGateway: UInt8 = 0x80
    static let icfResponse: UInt8 = 0x40
    static let icfNoResponse: UInt8 = 0x01
    /// ICF bits 1–5 are reserved (0).
    static let icfReservedMask: UInt8 = 0x3E
    /// The gateway count is at most 7 (the manual: 2 on sends; 7 allows for bridged networks).
    static let maxGatewayCount: UInt8 = 7

    public static var name: String { "fins" }
    public static var portHints: PortHints { PortHints(udp: [9600]) }
    public static func makeState() -> State { State(capacity: pendingCapacity, lostAfter: requestTimeout) }

    /// A datagram is FINS when its header's reserved bits are clear and its MRC is one the manual
    /// defines (a random datagram to 9600 rarely passes both).
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        probeFrame(bytes, at: 0)
    }

    static func probeFrame(_ bytes: Span<UInt8>, at start: Int) -> ProbeResult {
        guard let icf = bytes.byte(at: start), let reserved = bytes.byte(at: start &+ 1),
            let gateways = bytes.byte(at: start &+ 2)
        else { return .needMore }
        guard icf & icfReservedMask == 0, reserved == 0, gateways <= maxGatewayCount else { return .reject }
        guard let mrc = bytes.byte(at: start &+ headerLength) else { return .needMore }
        return Command.isKnownMainCode(mrc) ? .match : .reject
    }

    /// Takes the whole datagram as one frame. Too short for a command code, or longer than
    /// `maxFrameLength`, is malformed (a datagram cannot grow).
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= minFrameLength else {
            throw .malformed("fins: datagram of \(bytes.count) bytes, shorter than \(minFrameLength)")
        }
        guard bytes.count <= maxFrameLength else {
            throw .malformed("fins: datagram of \(bytes.count) bytes, longer than \(maxFrameLength)")
        }
        let frame = parseFrame(
            bytes, at: 0, length: bytes.count, direction: direction, time: time, state: &state)
        return (frame, bytes.count)
    }

    /// Fields of the FINS frame at `start..<start+length` (the caller has checked it is inside
    /// `bytes` and at least `minFrameLength` long), paired with its request through `state`.
    static func parseFrame(
        _ bytes: Span<UInt8>, at start: Int, length: Int, direction: Direction, time: Timestamp,
        state: inout State
    ) -> Frame {
        var frame = Frame(direction: direction)
        frame.frameOffset = start
        frame.frameLength = length
        let fields = bytes.extracting(start..<(start &+ length))
        var reader = WireReader(fields)
        frame.icf = reader.u8() ?? 0
        frame.reserved = reader.u8() ?? 0
        frame.gatewayCount = reader.u8() ?? 0
        frame.destinationNetwork = reader.u8() ?? 0
        frame.destinationNode = reader.u8() ?? 0
        frame.destinationUnit = reader.u8() ?? 0
        frame.sourceNetwork = reader.u8() ?? 0
        frame.sourceNode = reader.u8() ?? 0
        frame.sourceUnit = reader.u8() ?? 0
        frame.serviceID = reader.u8() ?? 0
        frame.command = reader.u16be() ?? 0
        frame.hasCommand = true
        if frame.icf & icfReservedMask != 0 || frame.reserved != 0 || frame.gatewayCount > maxGatewayCount {
            frame.anomalies.insert(.invalidHeader)
        }
        if length > maxFrameLengthBySpec { frame.anomalies.insert(.invalidLength) }
        if !Command.isKnown(frame.command) { frame.anomalies.insert(.unknownCommand) }
        if frame.isResponse {
            if let endCode = reader.u16be() {
                frame.endCode = endCode
                frame.hasEndCode = true
            } else {
                frame.anomalies.insert(.invalidLength)
            }
            parseResponse(&frame, time: time, state: &state)
        } else {
            parseRequest(fields, frame: &frame, time: time, state: &state)
        }
        return frame
    }

    /// Remembers a request that wants an answer, keyed by its service id.
    static func parseRequest(_ fields: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        guard frame.icf & icfNoResponse == 0 else { return }
        let first = fields.byte(at: minFrameLength)
        let pending = Pending(
            serviceID: frame.serviceID, command: frame.command,
            area: first ?? 0, address: UInt32(fields.uint16BE(at: minFrameLength &+ 1) ?? 0) << 8
                | UInt32(fields.byte(at: minFrameLength &+ 3) ?? 0),
            count: fields.uint16BE(at: minFrameLength &+ 4) ?? 0,
            dataLength: UInt16(clamping: fields.count &- minFrameLength), time: time)
        if state.pending.insert(pending) {
            state.pendingOverflows &+= 1
            frame.anomalies.insert(.pendingOverflow)
        }
    }

    /// Pairs a response with its request by service id.
    static func parseResponse(_ frame: inout Frame, time: Timestamp, state: inout State) {
        guard let request = state.pending.take(frame.serviceID) else {
            frame.anomalies.insert(.unsolicitedResponse)
            return
        }
        frame.request = request
        frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
        if request.command != frame.command { frame.anomalies.insert(.responseMismatch) }
    }
}
