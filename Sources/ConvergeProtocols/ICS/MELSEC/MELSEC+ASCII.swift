import ConvergeModel

/// MC protocol ASCII code frames (SH-080008): every binary field becomes upper-case hexadecimal
/// text, high digit first, so a 2-byte field is 4 characters. The subheader tells the coding
/// apart: binary frames open with 0x50/0xD0/0x54/0xD4 0x00, ASCII ones with the text "5000",
/// "D000", "5400", "D400" (first byte '5' or 'D', which no binary subheader uses).
extension MELSEC {
    /// ASCII 3E header up to and including the data length: subheader 4, network 2, PC 2,
    /// module I/O 4, station 2, data length 4.
    public static let asciiHeader3ELength = 18
    /// ASCII 4E adds serial number (4) and the reserved "0000" (4).
    public static let asciiHeader4ELength = 26
    /// A request's data length (characters) covers timer, command and subcommand at least.
    public static let minASCIIRequestDataLength = 12
    /// A response's data length covers the end code at least.
    public static let minASCIIResponseDataLength = 4
    /// Every byte of a binary frame is two characters here.
    public static let maxASCIIDataLength = 2 * maxDataLength

    /// The frame kind an ASCII subheader names ("5000", "D000", "5400", "D400"), nil otherwise
    /// or when fewer than 4 bytes are present.
    static func asciiKind(_ bytes: Span<UInt8>, at offset: Int = 0) -> FrameKind? {
        guard let c0 = bytes.byte(at: offset), let c1 = bytes.byte(at: offset &+ 1),
            let c2 = bytes.byte(at: offset &+ 2), let c3 = bytes.byte(at: offset &+ 3),
            c2 == UInt8(ascii: "0"), c3 == UInt8(ascii: "0")
        else { return nil }
        switch (c0, c1) {
        case (UInt8(ascii: "5"), UInt8(ascii: "0")): return .request3E
        case (UInt8(ascii: "D"), UInt8(ascii: "0")): return .response3E
        case (UInt8(ascii: "5"), UInt8(ascii: "4")): return .request4E
        case (UInt8(ascii: "D"), UInt8(ascii: "4")): return .response4E
        default: return nil
        }
    }

    /// Whether the first byte can open an ASCII frame ('5' or 'D').
    static func mayBeASCII(_ first: UInt8) -> Bool { first == UInt8(ascii: "5") || first == UInt8(ascii: "D") }

    /// The value of one hexadecimal character (either case), nil for anything else.
    static func hexDigit(_ char: UInt8) -> UInt32? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(char &- UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(char &- UInt8(ascii: "A") &+ 10)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(char &- UInt8(ascii: "a") &+ 10)
        default: nil
        }
    }

    /// `digits` (at most 8) hexadecimal characters at `offset`, nil if short or not hex.
    static func asciiHex(_ bytes: Span<UInt8>, at offset: Int, digits: Int) -> UInt32? {
        guard digits > 0, digits <= 8 else { return nil }
        var value: UInt32 = 0
        for index in 0..<digits {
            guard let char = bytes.byte(at: offset &+ index), let digit = hexDigit(char) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    /// `digits` (at most 8) decimal characters at `offset`, nil if short or not decimal.
    static func asciiDecimal(_ bytes: Span<UInt8>, at offset: Int, digits: Int) -> UInt32? {
        guard digits > 0, digits <= 8 else { return nil }
        var value: UInt32 = 0
        for index in 0..<digits {
            guard let char = bytes.byte(at: offset &+ index), char >= UInt8(ascii: "0"), char <= UInt8(ascii: "9")
            else { return nil }
            value = value &* 10 &+ UInt32(char &- UInt8(ascii: "0"))
        }
        return value
    }

    static func asciiHeaderLength(_ kind: FrameKind) -> Int {
        kind.is4E ? asciiHeader4ELength : asciiHeader3ELength
    }

    /// Probe for an ASCII frame: subheader, hex header fields, data length within bounds.
    static func probeASCII(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= 4 else {
            // Fewer than 4 bytes: more is worth waiting for only if they open a subheader.
            if let second = bytes.byte(at: 1), second != UInt8(ascii: "0"), second != UInt8(ascii: "4") {
                return .reject
            }
            if let third = bytes.byte(at: 2), third != UInt8(ascii: "0") { return .reject }
            return .needMore
        }
        return probeASCIIHeader(bytes, direction: direction)
    }

    private static func probeASCIIHeader(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let kind = asciiKind(bytes) else { return .reject }
        guard kind.isResponse == (direction == .toClient) else { return .reject }
        let header = asciiHeaderLength(kind)
        var offset = 4
        while offset < min(bytes.count, header) {
            guard hexDigit(bytes[offset]) != nil else { return .reject }
            offset &+= 1
        }
        guard let length = asciiHex(bytes, at: header &- 4, digits: 4) else { return .needMore }
        let minimum = kind.isResponse ? minASCIIResponseDataLength : minASCIIRequestDataLength
        return length >= minimum && length <= maxASCIIDataLength ? .match : .reject
    }

    /// Takes one ASCII frame. Non-hex header characters or a data length out of bounds are malformed.
    static func parseASCII(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= 4 else { throw .needMore(asciiHeader3ELength) }
        guard let kind = asciiKind(bytes) else { throw .malformed("melsec: not an ASCII 3E/4E subheader") }
        let header = asciiHeaderLength(kind)
        guard bytes.count >= header else { throw .needMore(header) }
        guard let length = asciiHex(bytes, at: header &- 4, digits: 4) else {
            throw .malformed("melsec: ASCII data length is not hexadecimal")
        }
        let minimum = kind.isResponse ? minASCIIResponseDataLength : minASCIIRequestDataLength
        guard length >= minimum, length <= maxASCIIDataLength else {
            throw .malformed("melsec: ASCII data length \(length) outside \(minimum)...\(maxASCIIDataLength)")
        }
        let total = header &+ Int(length)
        guard bytes.count >= total else { throw .needMore(total) }
        let frameBytes = bytes.extracting(0..<total)
        var frame = Frame(kind: kind, direction: direction, length: total)
        frame.isASCII = true
        try readASCIIHeader(frameBytes, into: &frame)
        if kind.isResponse {
            pair(&frame, time: time, state: &state)
        } else {
            let device = Device.parseASCII(frameBytes, at: frame.dataOffset, subcommand: frame.subcommand)
            register(&frame, device: device, time: time, state: &state)
        }
        if kind.isResponse != (direction == .toClient) { frame.anomalies.insert(.wrongDirection) }
        return (frame, total)
    }

    /// Routing, serial, and timer/command/subcommand or end code; all inside the frame's length.
    private static func readASCIIHeader(_ bytes: Span<UInt8>, into frame: inout Frame) throws(DissectError) {
        var offset = 4
        func field(_ digits: Int) throws(DissectError) -> UInt32 {
            guard let value = asciiHex(bytes, at: offset, digits: digits) else {
                throw .malformed("melsec: non-hexadecimal character in an ASCII header field")
            }
            offset &+= digits
            return value
        }
        if frame.kind.is4E {
            frame.serial = UInt16(truncatingIfNeeded: try field(4))
            _ = try field(4)  // reserved "0000"
        }
        frame.network = UInt8(truncatingIfNeeded: try field(2))
        frame.pc = UInt8(truncatingIfNeeded: try field(2))
        frame.moduleIO = UInt16(truncatingIfNeeded: try field(4))
        frame.station = UInt8(truncatingIfNeeded: try field(2))
        _ = try field(4)  // data length, already taken
        if frame.kind.isResponse {
            frame.endCode = UInt16(truncatingIfNeeded: try field(4))
        } else {
            frame.timer = UInt16(truncatingIfNeeded: try field(4))
            frame.command = UInt16(truncatingIfNeeded: try field(4))
            frame.subcommand = UInt16(truncatingIfNeeded: try field(4))
            frame.hasCommand = true
        }
    }
}
