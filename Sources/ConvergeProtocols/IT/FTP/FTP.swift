import ConvergeModel
import ConvergeWire

/// FTP control connections (RFC 959): one command line from the client, one reply line from the
/// server per message.
///
/// Counting, by a numbering of Wireshark's fields: a command counts under its position in
/// `FTP.commands` (1…), or 0 for a command not in that table (`ftp.request.command`); a reply line
/// counts under its code, 100…599 (`ftp.response.code`). Lines of a multi-line reply after the
/// first carry no code and are not counted. The password of PASS is never kept: the message is
/// flagged `cleartext_password` instead.
public enum FTP: Dissector {
    /// The longest line waited for; a longer one is taken in pieces of this size, flagged.
    public static let maxLineLength = 4096
    /// The longest command verb (RFC 959 verbs have 3 or 4 letters; extensions stay short).
    public static let maxVerbLength = 8

    public static var name: String { "ftp" }
    public static var portHints: PortHints { PortHints(tcp: [21]) }
    public static func makeState() -> State { State() }

    /// A server greeting `NNN` or a client verb of letters.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        let need = direction == .toClient ? 4 : 5
        guard bytes.count >= need else { return .needMore }
        if direction == .toClient {
            return isDigit(bytes[0]) && isDigit(bytes[1]) && isDigit(bytes[2]) && (bytes[3] == 0x20 || bytes[3] == 0x2D)
                ? .match : .reject
        }
        var index = 0
        while index < bytes.count, index <= maxVerbLength, isLetter(bytes[index]) { index &+= 1 }
        guard index >= 3, index <= maxVerbLength, index < bytes.count else { return .reject }
        return bytes[index] == 0x20 || bytes[index] == 0x0D || bytes[index] == 0x0A ? .match : .reject
    }

    /// One line (to its LF) from the front of `bytes`.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard let line = lineEnd(bytes) else { throw .needMore(bytes.count &+ 1) }
        var message = Message(direction: direction, length: line.consumed, textLength: line.textLength)
        if line.cut { message.anomalies.insert(.longLine) }
        if direction == .toServer {
            readCommand(bytes, &message, state: &state)
        } else {
            readReply(bytes, &message, state: &state)
        }
        return (message, line.consumed)
    }

    /// Where the first line ends: bytes consumed (LF included) and text length (CR LF excluded);
    /// nil while no LF is within `maxLineLength` and the bytes are shorter than that.
    static func lineEnd(_ bytes: Span<UInt8>) -> (consumed: Int, textLength: Int, cut: Bool)? {
        let limit = min(bytes.count, maxLineLength)
        var index = 0
        while index < limit {
            if bytes[index] == 0x0A {
                let text = index > 0 && bytes[index &- 1] == 0x0D ? index &- 1 : index
                return (index &+ 1, text, false)
            }
            index &+= 1
        }
        return bytes.count >= maxLineLength ? (maxLineLength, maxLineLength, true) : nil
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// The verb, its table index and the argument after one space.
    static func readCommand(_ bytes: Span<UInt8>, _ message: inout Message, state: inout State) {
        var index = 0
        var verb: UInt64 = 0
        while index < message.textLength, bytes[index] != 0x20, index < maxVerbLength {
            verb = verb << 8 | UInt64(bytes[index] & 0xDF)
            index &+= 1
        }
        message.isCommand = true
        message.verb = verb
        message.command = commandIndex(verb)
        if index < message.textLength, bytes[index] == 0x20 {
            message.argumentOffset = index &+ 1
            message.argumentLength = message.textLength &- index &- 1
        }
        state.noteCommand(&message)
    }

    /// A reply line: `NNN ` or `NNN-` starts one; other lines continue a multi-line reply.
    static func readReply(_ bytes: Span<UInt8>, _ message: inout Message, state: inout State) {
        guard message.textLength >= 3, isDigit(bytes[0]), isDigit(bytes[1]), isDigit(bytes[2]),
            message.textLength == 3 || bytes[3] == 0x20 || bytes[3] == 0x2D
        else {
            return
        }
        let code = Int(bytes[0] &- 0x30) &* 100 &+ Int(bytes[1] &- 0x30) &* 10 &+ Int(bytes[2] &- 0x30)
        message.replyCode = UInt16(code)
        if code < 100 || code > 599 { message.anomalies.insert(.invalidReplyCode) }
        if message.textLength > 4 {
            message.argumentOffset = 4
            message.argumentLength = message.textLength &- 4
        }
        state.noteReply(&message)
    }
}
