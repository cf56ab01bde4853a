import ConvergeModel
import ConvergeWire

/// EtherNet/IP encapsulation (CIP Vol. 2, chapter 2) over TCP and UDP 44818, with the CIP
/// messages it carries (CIP Vol. 1): every message is a 24-byte little-endian header (command,
/// length, session handle, status, sender context, options) and `length` bytes of command data.
/// SendRRData and SendUnitData carry CIP in a common packet format (CPF) of address and data
/// items. `parse` takes one message from the front of an in-order stream (TCP) or a datagram
/// (UDP); the flow's `State` pairs CIP requests with their responses.
public enum EtherNetIP: Dissector {
    public typealias Parsed = Frame

    public static let headerLength = 24
    /// The largest command data the specification allows (65535 minus the header, rounded down).
    public static let maxDataLength = 65_511
    /// Offset of the CPF in SendRRData/SendUnitData: interface handle (4) and timeout (2) first.
    static let sendDataCPFOffset = headerLength &+ 6
    /// Embedded messages (Unconnected Send, Multiple Service Packet) are followed this deep.
    public static let maxNesting = 4

    public static var name: String { "enip" }
    /// Messages carrying a CIP service are `cip` events; the encapsulation's own are `enip`.
    public static var eventProtocols: [String] { [name, "cip"] }
    public static var portHints: PortHints { PortHints(tcp: [44818], udp: [44818]) }
    public static func makeState() -> State { State() }

    /// A header is plausible when its command is defined, its length within the spec and the
    /// options field 0 (the spec requires receivers to drop anything else); a request's status
    /// is 0 as well.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        if let command = le16(bytes, 0), !Command(rawValue: command).isKnown { return .reject }
        if let length = le16(bytes, 2), Int(length) > maxDataLength { return .reject }
        if direction == .toServer, let status = le32(bytes, 8), status != 0 { return .reject }
        guard let options = le32(bytes, 20) else { return .needMore }
        guard options == 0 else { return .reject }
        if let command = le16(bytes, 0), let length = le16(bytes, 2),
            !plausibleLength(Command(rawValue: command), length: Int(length), direction: direction)
        {
            return .reject
        }
        return .match
    }

    /// Length checks that tell a real header from chance bytes: discovery requests are empty,
    /// RegisterSession carries 4 bytes, SendRRData/SendUnitData at least their CPF count.
    static func plausibleLength(_ command: Command, length: Int, direction: Direction) -> Bool {
        switch command {
        case .registerSession: length == 4
        case .listIdentity, .listServices, .listInterfaces, .listTargets: direction == .toClient || length == 0
        case .sendRRData, .sendUnitData: length >= 8
        default: true
        }
    }

    /// Takes one encapsulation message. A length field over `maxDataLength`, or an undefined
    /// command with non-zero options, cannot be this protocol's framing: `.malformed`. Anything
    /// wrong inside a sound frame is an anomaly on the frame.
    @inlinable
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        // Filled in place by `takeMessage` (`ModbusTCP.parse` says why).
        var frame = Frame(
            command: Command(rawValue: 0), length: 0, session: 0, status: 0, senderContext: 0, options: 0,
            direction: direction)
        let consumed = try takeMessage(bytes, direction: direction, time: time, state: &state, into: &frame)
        return (frame, consumed)
    }

    /// `parse`'s work: fills `frame` and returns the bytes used.
    @usableFromInline
    static func takeMessage(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State, into frame: inout Frame
    ) throws(DissectError) -> Int {
        guard let rawCommand = le16(bytes, 0), let rawLength = le16(bytes, 2) else { throw .needMore(headerLength) }
        guard Int(rawLength) <= maxDataLength else {
            throw .malformed("enip: length \(rawLength) over \(maxDataLength)")
        }
        guard let session = le32(bytes, 4), let status = le32(bytes, 8), let context = le64(bytes, 12),
            let options = le32(bytes, 20)
        else { throw .needMore(headerLength) }
        let command = Command(rawValue: rawCommand)
        if !command.isKnown && options != 0 {
            throw .malformed("enip: undefined command \(rawCommand) with options \(options)")
        }
        let total = headerLength &+ Int(rawLength)
        guard bytes.count >= total else { throw .needMore(total) }
        let message = bytes.extracting(0..<total)
        // `frame` arrives fresh from `parse` (defaults, this direction): only the header is set,
        // field by field, rather than a whole new frame copied over it.
        frame.command = command
        frame.length = rawLength
        frame.session = session
        frame.status = status
        frame.senderContext = context
        frame.options = options
        if !command.isKnown { frame.anomalies.insert(.unknownCommand) }
        if options != 0 || (direction == .toServer && status != 0) { frame.anomalies.insert(.invalidHeader) }
        if !plausibleLength(command, length: Int(rawLength), direction: direction) {
            frame.anomalies.insert(.invalidLength)
        }
        parseBody(message, frame: &frame, time: time, state: &state)
        return total
    }

    /// The command data: a CPF for the send and list commands, the version for RegisterSession.
    static func parseBody(_ message: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        switch frame.command {
        case .registerSession:
            frame.protocolVersion = le16(message, headerLength) ?? 0
            if !frame.isRequest && frame.status == 0 { state.session = frame.session }
        case .unregisterSession:
            state.session = nil
        case .sendRRData, .sendUnitData:
            if frame.isRequest, let session = state.session, session != frame.session {
                frame.anomalies.insert(.sessionMismatch)
            }
            guard message.count >= sendDataCPFOffset else {
                frame.anomalies.insert(.invalidLength)
                return
            }
            parseCPF(message, at: sendDataCPFOffset, frame: &frame)
            parseCIPPayload(message, frame: &frame, time: time, state: &state)
        case .listIdentity, .listServices, .listInterfaces, .listTargets:
            if !frame.isRequest && message.count > headerLength {
                parseCPF(message, at: headerLength, frame: &frame)
            }
        default:
            break
        }
    }
}
