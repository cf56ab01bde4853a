import ConvergeModel
import ConvergeWire

/// The NetBIOS Name Service (RFC 1002 §4.2) on UDP 137: Windows hosts registering, refreshing,
/// releasing and looking up their NetBIOS names. Its messages have the DNS header and sections, so
/// `DNS.parseMessage` reads them; names are one 32-byte "first-level encoded" label (RFC 1001
/// §14.1: each nibble + 'A') holding 15 characters and a suffix byte that says what the name is
/// for (`<00>` workstation, `<20>` file server, `<1B>` domain master browser …).
///
/// Counted function: `nbns.flags.response` × 16 + `nbns.flags.opcode` (query 0, registration 5,
/// release 6, WACK 7, refresh 8).
public enum NetBIOSNS: Dissector {
    public typealias Parsed = DNS.Frame
    public typealias State = DNS.State

    /// RFC 1002 §4.2.1.1 opcodes.
    public enum Opcode {
        public static let query: UInt8 = 0
        public static let registration: UInt8 = 5
        public static let release: UInt8 = 6
        public static let waitForAcknowledgement: UInt8 = 7
        public static let refresh: UInt8 = 8
        /// Some implementations send refresh as 9 (RFC 1002 errata).
        public static let refreshAlternate: UInt8 = 9
        public static let multiHomedRegistration: UInt8 = 15
    }

    /// Record types: NB (name → addresses) and NBSTAT (node status).
    public static let typeNB: UInt16 = 0x20
    public static let typeNBSTAT: UInt16 = 0x21
    /// The encoded name label: 16 bytes, two characters each.
    public static let encodedNameLength = 32

    public static var name: String { "nbns" }
    public static var portHints: PortHints { PortHints(udp: [137]) }
    public static func makeState() -> State { State() }

    /// A DNS-like header whose first question, when present, is a 32-byte encoded name.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard DNS.probeMessage(bytes) == .match else { return .reject }
        let questions = bytes.uint16BE(at: 4) ?? 0
        let answers = bytes.uint16BE(at: 6) ?? 0
        guard questions > 0 || answers > 0 else { return .match }
        return bytes.byte(at: DNS.headerLength) == UInt8(encodedNameLength) ? .match : .reject
    }

    /// Takes the datagram; queries and their answers are paired by transaction id.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: DNS.Frame, consumed: Int) {
        guard bytes.count >= DNS.headerLength else {
            throw .malformed("nbns: \(bytes.count) bytes is shorter than the 12-byte header")
        }
        var frame = DNS.parseMessage(bytes, base: 0, end: bytes.count, direction: direction)
        // DNS's opcode check does not apply: NBNS defines its own.
        frame.anomalies.remove(.unknownOpcode)
        if !knownOpcode(frame.opcode) { frame.anomalies.insert(.unknownOpcode) }
        // Broadcast registrations are never answered; only queries wait for an answer.
        if frame.opcode == Opcode.query || frame.isResponse { DNS.pair(&frame, time: time, state: &state) }
        return (frame, bytes.count)
    }

    static func knownOpcode(_ opcode: UInt8) -> Bool {
        switch opcode {
        case Opcode.query, Opcode.registration, Opcode.release, Opcode.waitForAcknowledgement, Opcode.refresh,
            Opcode.refreshAlternate, Opcode.multiHomedRegistration:
            true
        default: false
        }
    }

    public static func opcodeName(_ opcode: UInt8) -> String {
        switch opcode {
        case Opcode.query: "query"
        case Opcode.registration: "registration"
        case Opcode.release: "release"
        case Opcode.waitForAcknowledgement: "wait_for_acknowledgement"
        case Opcode.refresh, Opcode.refreshAlternate: "refresh"
        case Opcode.multiHomedRegistration: "multi_homed_registration"
        default: "opcode_\(opcode)"
        }
    }

    /// Looking a name up is discovery; claiming, refreshing or dropping one changes the name table.
    public static func opcodeOperation(_ opcode: UInt8) -> Operation {
        switch opcode {
        case Opcode.query: .discovery
        case Opcode.waitForAcknowledgement: .session
        default: .write
        }
    }
}
