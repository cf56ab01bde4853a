import ConvergeModel
import ConvergeWire

/// Telnet (RFC 854, 855): option negotiation (IAC sequences) is taken and skipped; data is taken
/// in runs up to the next IAC or line end. A server prompt ending in `login:` or `Password:` makes
/// the client's next line a login name (kept, at most `maxLoginLength` bytes) or a password
/// (never kept: the line is flagged `cleartext_password`).
///
/// Counting: each IAC command under Wireshark's `telnet.cmd` (240…255; a subnegotiation
/// `IAC SB … IAC SE` counts as 250 and then 240, as tshark counts it). Data runs carry no command.
public enum Telnet: Dissector {
    static let iac: UInt8 = 255
    static let subnegotiationBegin: UInt8 = 250
    static let subnegotiationEnd: UInt8 = 240
    /// The longest subnegotiation waited for; a longer one is cut and flagged.
    public static let maxSubnegotiationLength = 1024
    /// Login-name bytes kept in the flow's state.
    public static let maxLoginLength = 64
    /// The longest data run taken at once.
    public static let maxDataRun = 4096

    public static var name: String { "telnet" }
    public static var portHints: PortHints { PortHints(tcp: [23]) }
    public static func makeState() -> State { State() }

    /// Telnet starts with IAC negotiation from either side, or a server banner of text.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let first = bytes.byte(at: 0) else { return .needMore }
        if first == iac {
            guard let command = bytes.byte(at: 1) else { return .needMore }
            return command >= subnegotiationEnd ? .match : .reject
        }
        // A text banner from the server: printable ASCII or line ends.
        guard direction == .toClient else { return .reject }
        let limit = min(bytes.count, 16)
        for index in 0..<limit {
            let byte = bytes[index]
            if !(byte >= 0x20 && byte < 0x7F) && byte != 0x0D && byte != 0x0A && byte != 0x09 && byte != 0 {
                return .reject
            }
        }
        return .match
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard let first = bytes.byte(at: 0) else { throw .needMore(1) }
        if first == iac { return try parseCommand(bytes, direction: direction) }
        var end = 0
        let limit = min(bytes.count, maxDataRun)
        while end < limit, bytes[end] != iac {
            end &+= 1
            if bytes[end &- 1] == 0x0A || bytes[end &- 1] == 0x0D { break }
        }
        // A CR LF pair stays in one run.
        if end < bytes.count, end > 0, bytes[end &- 1] == 0x0D, bytes[end] == 0x0A { end &+= 1 }
        var message = Message(direction: direction, length: end)
        state.noteData(bytes.extracting(0..<end), &message)
        return (message, end)
    }

    static func parseCommand(
        _ bytes: Span<UInt8>, direction: Direction
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard let command = bytes.byte(at: 1) else { throw .needMore(2) }
        var message = Message(direction: direction, length: 2)
        message.command = command
        switch command {
        case 251...254:
            guard let option = bytes.byte(at: 2) else { throw .needMore(3) }
            message.option = option
            message.length = 3
        case subnegotiationBegin:
            guard let option = bytes.byte(at: 2) else { throw .needMore(3) }
            message.option = option
            var index = 3
            let limit = min(bytes.count, maxSubnegotiationLength)
            while index &+ 1 < limit {
                if bytes[index] == iac {
                    if bytes[index &+ 1] == subnegotiationEnd {
                        // IAC SE is left for the next call: tshark counts it as its own command.
                        message.length = index
                        return (message, message.length)
                    }
                    index &+= 2  // IAC IAC is a data 255 inside the subnegotiation.
                    continue
                }
                index &+= 1
            }
            guard bytes.count >= maxSubnegotiationLength else { throw .needMore(bytes.count &+ 1) }
            message.length = maxSubnegotiationLength
            message.anomalies.insert(.longSubnegotiation)
        default:
            // IAC IAC is an escaped data byte; the other commands stand alone.
            if command < subnegotiationEnd { message.anomalies.insert(.unknownCommand) }
        }
        return (message, message.length)
    }
}
