import ConvergeModel
import ConvergeWire

/// PROFINET IO context manager (IEC 61158-6-10) over DCE/RPC connectionless (version 4) on UDP
/// 34964: one 80-byte header per datagram (version, packet type, flags, data representation,
/// object/interface/activity UUIDs, server boot, interface version, sequence number, opnum,
/// hints, fragment length and number, auth protocol, serial), then the NDR body: for PNIO the
/// arguments header and big-endian PNIO blocks (AR, IOCR, record read/write, control …).
public enum PNIOCM: Dissector {
    public typealias Parsed = Frame

    public static let headerLength = 80
    public static let version: UInt8 = 4
    /// The highest connectionless packet type (cancel_ack).
    public static let maxPacketType: UInt8 = 10
    /// Header flags2 bits that must be zero (DCE 1.1: only cancel-pending and bit 0 are defined).
    static let flags2Reserved: UInt8 = 0xFC

    public static var name: String { "pn_io_cm" }
    public static var portHints: PortHints { PortHints(udp: [34964]) }
    public static func makeState() -> State { State(capacity: pendingCapacity, lostAfter: requestTimeout) }

    /// A whole header with version 4, a known packet type, a sane data representation and a
    /// non-nil interface UUID (a zero UUID is what random payloads that happen to start 0x04 give).
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= headerLength else { return .needMore }
        guard plausibleHeader(bytes) else { return .reject }
        let little = bytes[4] >> 4 == 1
        guard let interface = uuid(bytes, 24, little: little), interface != 0 else { return .reject }
        return .match
    }

    static func plausibleHeader(_ bytes: Span<UInt8>) -> Bool {
        guard let ver = bytes.byte(at: 0), let type = bytes.byte(at: 1), let flags2 = bytes.byte(at: 3),
            let drep0 = bytes.byte(at: 4), let drep1 = bytes.byte(at: 5)
        else { return false }
        // drep[0]: byte order in the high nibble (0 big, 1 little), character set (0 ASCII,
        // 1 EBCDIC) in the low one; drep[1]: floating point format 0-3.
        return ver == version && type <= maxPacketType && flags2 & flags2Reserved == 0 && drep0 >> 4 <= 1
            && drep0 & 0x0F <= 1 && drep1 <= 3
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= headerLength else { throw .needMore(headerLength) }
        guard plausibleHeader(bytes) else {
            throw .malformed("pn_io_cm: not a DCE/RPC connectionless header (version \(bytes[0]), type \(bytes[1]))")
        }
        var frame = header(bytes)
        let available = bytes.count &- headerLength
        let declared = Int(frame.fragmentLength)
        if declared > available { frame.anomalies.insert(.truncatedBody) }
        frame.bodyLength = min(declared, available)
        let body = bytes.extracting(headerLength..<(headerLength &+ frame.bodyLength))
        parseBody(body, frame: &frame)
        pair(&frame, time: time, state: &state)
        return (frame, bytes.count)
    }

    /// The fixed header; the caller has checked that all 80 bytes are there.
    static func header(_ bytes: Span<UInt8>) -> Frame {
        let little = bytes[4] >> 4 == 1
        var frame = Frame()
        frame.packetType = bytes[1]
        frame.flags1 = bytes[2]
        frame.flags2 = bytes[3]
        frame.littleEndian = little
        frame.objectUUID = uuid(bytes, 8, little: little) ?? 0
        frame.interfaceUUID = uuid(bytes, 24, little: little) ?? 0
        frame.activityUUID = uuid(bytes, 40, little: little) ?? 0
        frame.serverBoot = u32(bytes, 56, little: little) ?? 0
        frame.interfaceVersion = u32(bytes, 60, little: little) ?? 0
        frame.sequence = u32(bytes, 64, little: little) ?? 0
        frame.opnum = u16(bytes, 68, little: little) ?? 0
        frame.fragmentLength = u16(bytes, 74, little: little) ?? 0
        frame.fragmentNumber = u16(bytes, 76, little: little) ?? 0
        frame.serial = UInt16(bytes[7]) << 8 | UInt16(bytes[79])
        frame.interface = Interface(uuid: frame.interfaceUUID)
        return frame
    }

    /// Requests wait for the answer with the same activity and sequence number; a response,
    /// fault or reject takes its request (later fragments of an answer find it gone: not unsolicited).
    static func pair(_ frame: inout Frame, time: Timestamp, state: inout State) {
        let key = Pending.Key(activity: frame.activityUUID, sequence: frame.sequence)
        if frame.isRequest {
            guard frame.isFirstFragment else { return }
            let lostOne = state.pending.insert(Pending(pendingKey: key, opnum: frame.opnum, time: time))
            if lostOne {
                state.pendingOverflows &+= 1
                frame.anomalies.insert(.pendingOverflow)
            }
        } else if frame.isAnswer {
            if let request = state.pending.take(key) {
                frame.roundTripNanoseconds = time.nanoseconds &- request.time.nanoseconds
                if request.opnum != frame.opnum, frame.packetType == PacketType.response {
                    frame.anomalies.insert(.mismatchedResponse)
                }
            } else if frame.isFirstFragment {
                frame.anomalies.insert(.unsolicitedResponse)
            }
        }
    }
}
