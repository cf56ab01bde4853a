import ConvergeModel
import ConvergeWire

/// SMB 1, 2 and 3 over TCP: direct hosting on 445 and the NetBIOS session service on 139
/// ([MS-SMB2] 2.1, [MS-CIFS] 2.1, RFC 1002 4.3).
///
/// Every SMB message sits in a 4-byte session header (type, then a 24-bit length; RFC 1002's
/// 17-bit length with its extension bit reads the same). `parse` takes one session message from
/// the front of the stream; an SMB2 compound (several commands chained by `NextCommand` in one
/// session message) is returned one command per call, the flow's `State` remembering where the
/// chain goes on. Only headers and the few fields that name a host, a user or a share are read;
/// file data is skipped by length.
///
/// Counting: one count per SMB header, under Wireshark's `smb2.cmd` (an SMB2/3 message, the code
/// as is) or the first `smb.cmd` of an SMB1 message (its header command, as `smb1Base + cmd`; the
/// AndX chain's follow-on commands, which tshark also lists as `smb.cmd`, are not counted).
/// Session-service control messages (session request, keep-alive) and encrypted or compressed
/// SMB3 messages carry no command and are not counted, as tshark shows no command for them.
public enum SMB: Dissector {
    public typealias Parsed = Message

    /// The NetBIOS session header: type (1) and length (3).
    public static let sessionHeaderLength = 4
    /// The largest session message accepted: the 24-bit length field's maximum.
    public static let maxSessionLength = 0x00FF_FFFF
    /// SMB2 header size, fixed by [MS-SMB2] 2.2.1.
    public static let smb2HeaderLength = 64
    /// SMB1 header size before the parameter words ([MS-CIFS] 2.2.3.1).
    public static let smb1HeaderLength = 32
    /// SMB1 function codes are counted above this base so they never collide with SMB2's.
    public static let smb1Base = 0x100
    /// Commands followed in one SMB2 compound; the rest of a longer chain is skipped uncounted.
    public static let maxCompoundCommands = 64

    /// Session message types (RFC 1002 4.3.1).
    public enum SessionType {
        public static let message: UInt8 = 0x00
        public static let request: UInt8 = 0x81
        public static let positiveResponse: UInt8 = 0x82
        public static let negativeResponse: UInt8 = 0x83
        public static let retargetResponse: UInt8 = 0x84
        public static let keepAlive: UInt8 = 0x85

        static func isKnown(_ type: UInt8) -> Bool {
            type == message || (type >= request && type <= keepAlive)
        }
    }

    /// The four-byte protocol ids that start an SMB message.
    public enum Magic {
        public static let smb1: UInt32 = 0xFF53_4D42
        public static let smb2: UInt32 = 0xFE53_4D42
        public static let transform: UInt32 = 0xFD53_4D42
        public static let compressed: UInt32 = 0xFC53_4D42
    }

    public static var name: String { "smb" }
    public static var portHints: PortHints { PortHints(tcp: [445, 139]) }
    public static func makeState() -> State { State() }

    /// A session message of a known type whose payload, when it is a message, starts with an
    /// SMB protocol id.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let type = bytes.byte(at: 0) else { return .needMore }
        guard SessionType.isKnown(type) else { return .reject }
        guard bytes.count >= 8 else { return .needMore }
        if type != SessionType.message {
            // A session request on 139 precedes SMB; its length is small and fixed in spirit.
            return bytes.count >= 4 && sessionLength(bytes) <= 1024 ? .match : .reject
        }
        return isMagic(bytes.loadUInt32BE(at: sessionHeaderLength)) ? .match : .reject
    }

    /// Takes one session message (or the next command of a compound) from the front of `bytes`.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        let lane = State.lane(direction)
        if state.compoundRemaining[lane] > 0 {
            return try parseCompound(bytes, direction: direction, time: time, state: &state)
        }
        guard let type = bytes.byte(at: 0) else { throw .needMore(sessionHeaderLength) }
        guard SessionType.isKnown(type) else { throw .malformed("smb: session type \(type) unknown") }
        guard bytes.count >= sessionHeaderLength else { throw .needMore(sessionHeaderLength) }
        let length = sessionLength(bytes)
        let total = sessionHeaderLength &+ length
        guard bytes.count >= total else { throw .needMore(total) }
        var message = Message(direction: direction, sessionType: type, length: total)
        guard type == SessionType.message else { return (message, total) }
        guard length >= 4 else {
            if length > 0 { message.anomalies.insert(.invalidLength) }
            return (message, total)
        }
        let frame = bytes.extracting(0..<total)
        let magic = frame.loadUInt32BE(at: sessionHeaderLength)
        switch magic {
        case Magic.smb2:
            message.headerOffset = sessionHeaderLength
            let used = parseSMB2(
                frame, at: sessionHeaderLength, end: total, message: &message, time: time, state: &state)
            if used < total && message.nextCommand != 0 {
                state.compoundRemaining[lane] = total &- used
                state.compoundCount[lane] = 1
                return (message, used)
            }
        case Magic.smb1:
            message.headerOffset = sessionHeaderLength
            parseSMB1(frame, at: sessionHeaderLength, message: &message, time: time, state: &state)
        case Magic.transform:
            message.version = .encrypted
        case Magic.compressed:
            message.version = .compressed
        default:
            throw .malformed("smb: session message does not start with an SMB protocol id")
        }
        return (message, total)
    }

    /// The next SMB2 command of a compound whose first command was already returned.
    static func parseCompound(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        let lane = State.lane(direction)
        let remaining = state.compoundRemaining[lane]
        guard bytes.count >= remaining else { throw .needMore(remaining) }
        var message = Message(direction: direction, sessionType: SessionType.message, length: remaining)
        message.isCompoundMember = true
        let chain = bytes.extracting(0..<remaining)
        guard remaining >= 4, chain.loadUInt32BE(at: 0) == Magic.smb2 else {
            // The chain does not lead to another SMB2 header (or the stream moved on after a
            // gap): forget it and read a session message here.
            state.compoundRemaining[lane] = 0
            return try parse(bytes, direction: direction, time: time, state: &state)
        }
        guard state.compoundCount[lane] < maxCompoundCommands else {
            state.compoundRemaining[lane] = 0
            message.anomalies.insert(.invalidCompound)
            return (message, remaining)
        }
        let used = parseSMB2(chain, at: 0, end: remaining, message: &message, time: time, state: &state)
        if used < remaining && message.nextCommand != 0 {
            state.compoundRemaining[lane] = remaining &- used
            state.compoundCount[lane] &+= 1
            return (message, used)
        }
        state.compoundRemaining[lane] = 0
        return (message, remaining)
    }

    /// The session header's length: the low 24 bits (RFC 1002's E bit is the top of them).
    static func sessionLength(_ bytes: Span<UInt8>) -> Int {
        Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
    }

    static func isMagic(_ value: UInt32) -> Bool {
        value == Magic.smb1 || value == Magic.smb2 || value == Magic.transform || value == Magic.compressed
    }

    /// The next session header followed by an SMB protocol id.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var index = 0
        while index &+ 8 <= bytes.count {
            if bytes[index] == SessionType.message, isMagic(bytes.loadUInt32BE(at: index &+ 4)) { return index }
            index &+= 1
        }
        return nil
    }
}
