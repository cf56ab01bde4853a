import ConvergeModel
import ConvergeWire

/// Beckhoff ADS over AMS/TCP (Beckhoff Information System, "ADS specification": AMS/TCP header,
/// AMS header, ADS commands 1…9).
///
/// One packet is the 6-byte AMS/TCP header (2 reserved bytes, a little-endian length of what
/// follows) then the 32-byte AMS header (target and source NetId and port, command id, state
/// flags, data length, error code, invoke id) and the command's data. Requests and responses are
/// told apart by the response state flag, not by the TCP direction (a router connection carries
/// requests both ways); the flow's `State` pairs them by invoke id.
public enum ADS: Dissector {
    public typealias Parsed = Frame

    /// AMS/TCP header: reserved (2), length (4).
    public static let tcpHeaderLength = 6
    /// The AMS header: NetIds, ports, command, flags, data length, error, invoke id.
    public static let amsHeaderLength = 32
    /// The largest AMS/TCP length accepted (a big symbol upload fits easily): longer cannot be
    /// AMS framing, so the stream is malformed.
    public static let maxPacketLength = 1 << 22

    public static var name: String { "ads" }
    public static var portHints: PortHints { PortHints(tcp: [48898]) }
    public static func makeState() -> State { State() }

    /// A zero reserved field, a length that holds an AMS header, and a command id ADS defines.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        if let reserved = u16(bytes, 0), reserved != 0 { return .reject }
        if let length = u32(bytes, 2), length < UInt32(amsHeaderLength) || length > UInt32(maxPacketLength) {
            return .reject
        }
        guard let command = u16(bytes, tcpHeaderLength &+ 16), let flags = u16(bytes, tcpHeaderLength &+ 18),
            let dataLength = u32(bytes, tcpHeaderLength &+ 20), let length = u32(bytes, 2)
        else { return .needMore }
        guard Command(rawValue: command).isKnown, flags & StateFlag.adsCommand != 0,
            dataLength == length &- UInt32(amsHeaderLength)
        else { return .reject }
        return .match
    }

    /// Takes one AMS/TCP packet. Broken framing (a length below the AMS header or above
    /// `maxPacketLength`) is `.malformed`; a body that disagrees with its command is parsed and
    /// carries an anomaly.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard let reserved = u16(bytes, 0), let length = u32(bytes, 2) else { throw .needMore(tcpHeaderLength) }
        guard length >= UInt32(amsHeaderLength), length <= UInt32(maxPacketLength) else {
            throw .malformed("ads: AMS/TCP length \(length) outside \(amsHeaderLength)...\(maxPacketLength)")
        }
        let total = tcpHeaderLength &+ Int(length)
        guard bytes.count >= total else { throw .needMore(total) }
        var frame = parseAMS(bytes.extracting(0..<total), headerOffset: tcpHeaderLength, time: time, state: &state)
        if reserved != 0 { frame.anomalies.insert(.reservedNotZero) }
        return (frame, total)
    }

    /// Parses the AMS header at `headerOffset` and the command data after it, up to the end of
    /// `packet` (whose length the caller has checked holds the header), and pairs it.
    static func parseAMS(_ packet: Span<UInt8>, headerOffset: Int, time: Timestamp, state: inout State) -> Frame {
        var frame = Frame()
        let h = headerOffset
        frame.headerOffset = h
        frame.packetLength = packet.count
        frame.targetNetID = netID(packet, h) ?? 0
        frame.targetPort = u16(packet, h &+ 6) ?? 0
        frame.sourceNetID = netID(packet, h &+ 8) ?? 0
        frame.sourcePort = u16(packet, h &+ 14) ?? 0
        frame.commandID = u16(packet, h &+ 16) ?? 0
        frame.stateFlags = u16(packet, h &+ 18) ?? 0
        frame.dataLength = u32(packet, h &+ 20) ?? 0
        frame.errorCode = u32(packet, h &+ 24) ?? 0
        frame.invokeID = u32(packet, h &+ 28) ?? 0
        let data = packet.extracting(min(packet.count, h &+ amsHeaderLength)..<packet.count)
        if Int(frame.dataLength) != data.count { frame.anomalies.insert(.invalidLength) }
        if !frame.command.isKnown { frame.anomalies.insert(.unknownCommand) }
        if frame.isResponse {
            parseResponse(data, frame: &frame, time: time, state: &state)
        } else {
            parseRequest(data, frame: &frame, time: time, state: &state)
        }
        return frame
    }

    /// The fixed part each request carries (index group/offset/length) and its pending entry.
    static func parseRequest(_ data: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        let minimum: Int
        switch frame.command {
        case .read, .addDeviceNotification:
            minimum = frame.command == .read ? 12 : 40
            setIndex(data, lengthAt: 8, frame: &frame)
        case .write:
            minimum = 12
            setIndex(data, lengthAt: 8, frame: &frame)
            if let length = u32(data, 8), Int(length) != data.count &- 12 { frame.anomalies.insert(.invalidLength) }
        case .readWrite:
            minimum = 16
            setIndex(data, lengthAt: 8, frame: &frame)
            if let length = u32(data, 12), Int(length) != data.count &- 16 { frame.anomalies.insert(.invalidLength) }
        case .writeControl:
            minimum = 8
            if let state = u16(data, 0), state != 5, state != 4 { frame.anomalies.insert(.stateChange) }
        case .deleteDeviceNotification:
            minimum = 4
        case .deviceNotification:
            minimum = 8
        default:
            minimum = 0
        }
        if data.count < minimum { frame.anomalies.insert(.invalidLength) }
        // A notification is never answered: nothing to pair.
        guard frame.command != .deviceNotification, frame.stateFlags & StateFlag.noReturn == 0 else { return }
        let pending = Pending(
            invokeID: frame.invokeID, commandID: frame.commandID, indexGroup: frame.indexGroup,
            indexOffset: frame.indexOffset, length: frame.length, hasIndex: frame.hasIndex, time: time)
        if state.pending.insert(pending) {
            state.pendingOverflows &+= 1
            frame.anomalies.insert(.pendingOverflow)
        }
    }

    static func setIndex(_ data: Span<UInt8>, lengthAt offset: Int, frame: inout Frame) {
        guard let group = u32(data, 0), let indexOffset = u32(data, 4), let length = u32(data, offset) else { return }
        frame.indexGroup = group
        frame.indexOffset = indexOffset
        frame.length = length
        frame.hasIndex = true
    }

    /// Pairs a response with its request and checks the result word and lengths.
    static func parseResponse(_ data: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        if let request = state.pending.take(frame.invokeID) {
            frame.request = request
            frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
            if request.commandID != frame.commandID { frame.anomalies.insert(.responseMismatch) }
            if request.hasIndex, request.commandID == frame.commandID {
                frame.indexGroup = request.indexGroup
                frame.indexOffset = request.indexOffset
                frame.length = request.length
                frame.hasIndex = true
            }
        } else {
            frame.anomalies.insert(.unsolicitedResponse)
        }
        // A routing error (AMS error code set) may come with no ADS data at all.
        guard frame.errorCode == 0 else { return }
        frame.result = u32(data, 0) ?? 0
        let minimum: Int
        switch frame.command {
        case .readDeviceInfo: minimum = 24
        case .read, .readWrite:
            minimum = 8
            if let length = u32(data, 4), Int(length) != data.count &- 8 { frame.anomalies.insert(.invalidLength) }
        case .readState, .addDeviceNotification: minimum = 8
        case .write, .writeControl, .deleteDeviceNotification: minimum = 4
        default: minimum = 0
        }
        if data.count < minimum, frame.result == 0 { frame.anomalies.insert(.invalidLength) }
    }
}
