import ConvergeModel
import ConvergeWire

/// IEEE C37.118.2-2011 synchrophasor frames over TCP 4712 / UDP 4713 (and 4712): SYNC (0xAA,
/// frame type in bits 6-4 and version in bits 3-0 of the second byte), FRAMESIZE, IDCODE, SOC,
/// FRACSEC (time quality byte and 24-bit fraction), a body by frame type, and a CRC-CCITT.
public enum C37118: Dissector {
    public typealias Parsed = Frame

    public static let syncByte: UInt8 = 0xAA
    /// SYNC, FRAMESIZE, IDCODE, SOC and FRACSEC.
    public static let headerLength = 14
    public static let checksumLength = 2
    /// The smallest frame: a header and the CRC (a command frame adds two bytes).
    public static let minFrameLength = headerLength + checksumLength
    /// FRAMESIZE is 16 bits; nothing larger can be framed, so this is a sanity cap for streams.
    public static let maxFrameLength = 65_535

    public static var name: String { "c37118" }
    public static var portHints: PortHints { PortHints(tcp: [4712], udp: [4713, 4712]) }
    public static func makeState() -> State { State() }

    /// Frame types (bits 6-4 of the second byte).
    public enum FrameType: UInt8, Sendable {
        case data = 0, header = 1, configuration1 = 2, configuration2 = 3, command = 4, configuration3 = 5

        public var name: String {
            switch self {
            case .data: "data"
            case .header: "header"
            case .configuration1: "cfg1"
            case .configuration2: "cfg2"
            case .command: "command"
            case .configuration3: "cfg3"
            }
        }

        public var isConfiguration: Bool {
            self == .configuration1 || self == .configuration2 || self == .configuration3
        }
    }

    static func validLead(_ first: UInt8, _ second: UInt8) -> Bool {
        let type = (second >> 4) & 0x07
        let version = second & 0x0F
        return first == syncByte && second & 0x80 == 0 && type <= 5 && version >= 1 && version <= 3
    }

    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let first = bytes.byte(at: 0) else { return .needMore }
        guard first == syncByte else { return .reject }
        guard let second = bytes.byte(at: 1), let size = bytes.uint16BE(at: 2) else { return .needMore }
        guard validLead(first, second), Int(size) >= minFrameLength else { return .reject }
        // A whole frame whose CRC fails is not taken as C37.118 at first sight.
        let end = Int(size)
        if bytes.count >= end, crc(bytes, count: end &- checksumLength) != bytes.uint16BE(at: end &- 2) {
            return .reject
        }
        return .match
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard let first = bytes.byte(at: 0), let second = bytes.byte(at: 1), let size16 = bytes.uint16BE(at: 2)
        else { throw .needMore(4) }
        guard validLead(first, second) else { throw .malformed("c37118: no SYNC word") }
        let size = Int(size16)
        guard size >= minFrameLength else { throw .malformed("c37118: frame size \(size) below \(minFrameLength)") }
        guard bytes.count >= size else { throw .needMore(size) }
        let frame = bytes.extracting(0..<size)
        guard let idcode = frame.uint16BE(at: 4), let soc = u32(frame, 6), let fracsec = u32(frame, 10),
            let type = FrameType(rawValue: (second >> 4) & 0x07), let checksum = frame.uint16BE(at: size &- 2)
        else { throw .malformed("c37118: short header") }
        var parsed = Frame(
            type: type, version: second & 0x0F, frameSize: size, idcode: idcode, soc: soc,
            timeQuality: UInt8(truncatingIfNeeded: fracsec >> 24), fraction: fracsec & 0x00FF_FFFF)
        if crc(frame, count: size &- checksumLength) != checksum { parsed.anomalies.insert(.badChecksum) }
        let bodyEnd = size &- checksumLength
        switch type {
        case .command:
            if let command = frame.uint16BE(at: headerLength), headerLength &+ 2 <= bodyEnd {
                parsed.command = command
            } else {
                parsed.anomalies.insert(.truncatedBody)
            }
        case .configuration1, .configuration2:
            summariseConfiguration(frame.extracting(0..<bodyEnd), into: &parsed)
        case .configuration3:
            if let count = frame.uint16BE(at: headerLength &+ 6) { parsed.pmuCount = Int(count) }
        case .data, .header:
            break
        }
        return (parsed, size)
    }

    /// Counts and checks a CFG-1/2 body without keeping it (the event stores it): TIME_BASE,
    /// NUM_PMU, the per-PMU blocks and DATA_RATE must fit the frame exactly.
    static func summariseConfiguration(_ body: Span<UInt8>, into frame: inout Frame) {
        guard let timeBase = u32(body, headerLength), let count = body.uint16BE(at: headerLength &+ 4) else {
            frame.anomalies.insert(.truncatedBody)
            return
        }
        frame.timeBase = timeBase & 0x00FF_FFFF
        frame.pmuCount = Int(count)
        var offset = headerLength &+ 6
        for _ in 0..<min(Int(count), maxPMUs) {
            guard let block = pmuBlockLength(body, at: offset) else {
                frame.anomalies.insert(.truncatedBody)
                return
            }
            offset &+= block
        }
        if Int(count) > maxPMUs { frame.anomalies.insert(.tooManyPMUs); return }
        guard let rate = body.uint16BE(at: offset) else {
            frame.anomalies.insert(.truncatedBody)
            return
        }
        frame.dataRate = Int16(bitPattern: rate)
        if offset &+ 2 != body.count { frame.anomalies.insert(.lengthMismatch) }
    }

    /// The length of one CFG-1/2 PMU block at `offset`, nil when it does not fit.
    static func pmuBlockLength(_ body: Span<UInt8>, at offset: Int) -> Int? {
        guard let phasors = body.uint16BE(at: offset &+ 20), let analogs = body.uint16BE(at: offset &+ 22),
            let digitals = body.uint16BE(at: offset &+ 24)
        else { return nil }
        let names = 16 &* (Int(phasors) &+ Int(analogs) &+ 16 &* Int(digitals))
        let units = 4 &* (Int(phasors) &+ Int(analogs) &+ Int(digitals))
        let length = 26 &+ names &+ units &+ 4
        guard offset &+ length <= body.count else { return nil }
        return length
    }

    /// Resynchronises a stream on the next SYNC byte followed by a valid type/version byte.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var index = 0
        while index &+ 1 < bytes.count {
            if validLead(bytes[index], bytes[index &+ 1]) { return index }
            index &+= 1
        }
        return nil
    }

    /// CRC-CCITT as C37.118 specifies it: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR.
    public static func crc(_ bytes: Span<UInt8>, count: Int) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for index in 0..<max(0, min(count, bytes.count)) {
            crc ^= UInt16(bytes[index]) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }

    /// Big-endian 32-bit value at `offset`, or nil past the end.
    static func u32(_ bytes: Span<UInt8>, _ offset: Int) -> UInt32? {
        guard offset >= 0, offset &+ 4 <= bytes.count else { return nil }
        return bytes.loadUInt32BE(at: offset)
    }
}
