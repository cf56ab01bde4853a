import ConvergeModel
import ConvergeWire

/// Triconex TriStation (UDP 1502): the engineering protocol of Schneider Electric Triconex safety
/// controllers, the one the TRITON/TRISIS malware spoke.
///
/// Layout as published from the TRITON analyses (FireEye/Mandiant 2018, Nozomi Networks'
/// TriStation dissector, ICS-CERT MAR-17-352-01): a TCM header (type, channel, data length LE),
/// the data, and a CRC-16. In a TCM command message (type 5) the data is a TriStation message:
/// path (0 workstation → controller, 1 controller → workstation), connection id, command, sequence
/// number, two unknown bytes, a checksum, its own length (LE, the 10 header bytes included), then
/// the command's data. Commands below 100 are requests, 100–199 replies, 200 and above rejections.
///
/// One message per datagram. Program download/allocate commands (the TRITON path) are `program`
/// operations and carry `tristation.program_to_running_controller` when the flow has seen the
/// controller report that its program runs.
public enum TriStation: Dissector {
    public typealias Parsed = Frame

    public static let tcmHeaderLength = 4
    public static let crcLength = 2
    /// The TriStation header inside a TCM command: path … its length field.
    public static let tsHeaderLength = 10
    /// The largest TCM data taken: TriStation fits its messages in one Ethernet frame (TRITON's
    /// program chunks are about 1 KiB); beyond a UDP datagram's 64 KiB nothing is this protocol.
    public static let maxDataLength = 0xFFFF &- tcmHeaderLength &- crcLength

    /// Offsets in a Get CP status reply (command 108) of the key switch and run state.
    static let keyStateOffset = 21
    static let runStateOffset = 22

    public static var name: String { "tristation" }
    public static var portHints: PortHints { PortHints(udp: [1502]) }
    public static func makeState() -> State { State() }

    /// A known TCM type whose data length accounts for the whole datagram.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= tcmHeaderLength &+ crcLength else { return .needMore }
        guard TCMType(rawValue: bytes[0]) != nil else { return .reject }
        let length = Int(bytes[2]) | Int(bytes[3]) << 8
        return tcmHeaderLength &+ length &+ crcLength == bytes.count ? .match : .reject
    }

    /// Takes the datagram's message. An unknown TCM type is malformed; bytes past the CRC are an
    /// anomaly (the datagram is consumed whole).
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= tcmHeaderLength else { throw .needMore(tcmHeaderLength &+ crcLength) }
        guard let type = TCMType(rawValue: bytes[0]) else {
            throw .malformed("tristation: TCM type \(bytes[0]) unknown")
        }
        let length = Int(bytes[2]) | Int(bytes[3]) << 8
        guard length <= maxDataLength else { throw .malformed("tristation: data length \(length) too large") }
        let total = tcmHeaderLength &+ length &+ crcLength
        guard bytes.count >= total else { throw .needMore(total) }
        var frame = Frame(type: type, direction: direction, length: bytes.count)
        frame.channel = bytes[1]
        frame.dataLength = length
        if bytes.count > total { frame.anomalies.insert(.trailingBytes) }
        if type == .command, length >= 4 {
            readCommand(bytes, dataLength: length, into: &frame)
            track(&frame, bytes: bytes, state: &state)
        }
        return (frame, bytes.count)
    }

    /// The TriStation header inside a TCM command message.
    static func readCommand(_ bytes: Span<UInt8>, dataLength: Int, into frame: inout Frame) {
        let base = tcmHeaderLength
        frame.path = bytes[base]
        frame.connectionID = bytes[base &+ 1]
        frame.command = bytes[base &+ 2]
        frame.sequence = bytes[base &+ 3]
        frame.hasCommand = true
        if dataLength >= tsHeaderLength {
            let tsLength = Int(bytes[base &+ 8]) | Int(bytes[base &+ 9]) << 8
            frame.tsLength = tsLength
            if tsLength != dataLength { frame.anomalies.insert(.lengthMismatch) }
        }
        if Command.entry(frame.command) == nil { frame.anomalies.insert(.unknownCommand) }
        let fromController = frame.path == 1
        if fromController != (frame.direction == .toClient) { frame.anomalies.insert(.wrongDirection) }
    }

    /// Keeps what the controller says of its program's state, and flags the TRITON path: a
    /// program download or allocation sent to a controller whose program runs.
    static func track(_ frame: inout Frame, bytes: Span<UInt8>, state: inout State) {
        switch frame.command {
        case Command.getCPStatusResponse:
            guard let key = bytes.byte(at: keyStateOffset), let run = bytes.byte(at: runStateOffset),
                runStateOffset < tcmHeaderLength &+ frame.dataLength
            else { return }
            state.keyState = key
            state.running = run == 0
            frame.runState = run
            frame.keyState = key
        case Command.programIsRunning: state.running = true
        case Command.programIsHalted, Command.programIsPaused: state.running = false
        default:
            guard Command.isProgramChange(frame.command), frame.path == 0 else { return }
            state.programChanges &+= 1
            if state.running == true { frame.anomalies.insert(.programToRunningController) }
        }
    }
}
