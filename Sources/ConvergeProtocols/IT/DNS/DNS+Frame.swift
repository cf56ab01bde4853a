import ConvergeModel
import ConvergeWire

extension DNS {
    /// One DNS message as `parse` found it: the header and where the sections start. Offsets are
    /// into the bytes given to `parse` (over TCP they include the 2-byte length prefix).
    public struct Frame: ParsedMessage, Sendable {
        public var direction: Direction
        /// Where the DNS message starts in the parsed bytes: 0, or 2 after a TCP length prefix.
        public var base: Int32 = 0
        /// Where the DNS message ends in the parsed bytes.
        public var end: Int32 = 0
        /// The header was complete (a TCP message may be shorter than 12 bytes).
        public var hasHeader = false
        public var id: UInt16 = 0
        public var flags: UInt16 = 0
        public var questionCount: UInt16 = 0
        public var answerCount: UInt16 = 0
        public var authorityCount: UInt16 = 0
        public var additionalCount: UInt16 = 0
        /// The first question's name, or -1 when there is none.
        public var questionOffset: Int32 = -1
        public var questionType: UInt16 = 0
        public var questionClass: UInt16 = 0
        /// The answer section, or -1 when the walk did not reach it.
        public var answersOffset: Int32 = -1
        /// Records (questions included) the walk got through.
        public var recordsWalked: UInt16 = 0
        /// Which record types the answer, authority and additional sections hold, one bit each
        /// (`RecordBits`), so `facts` returns at once for a message with nothing to tell.
        public var recordBits: UInt16 = 0
        public var anomalies: Anomalies = []
        /// For a response paired with its query: the time between them.
        public var roundTripNanoseconds: Int64?

        public init(direction: Direction) { self.direction = direction }

        public var isResponse: Bool { flags & 0x8000 != 0 }
        public var opcode: UInt8 { UInt8(truncatingIfNeeded: flags >> 11) & 0x0f }
        public var rcode: UInt8 { UInt8(truncatingIfNeeded: flags) & 0x0f }
        public var isTruncatedFlag: Bool { flags & 0x0200 != 0 }
        public var isAuthoritative: Bool { flags & 0x0400 != 0 }

        /// `dns.flags.response` × 16 + `dns.flags.opcode`.
        public var functionCode: Int { (isResponse ? DNS.responseBase : 0) &+ Int(opcode) }
        public var hasFunction: Bool { hasHeader }
    }

    /// Record types noted in `Frame.recordBits`.
    public enum RecordBits {
        public static let address: UInt16 = 1 << 0  // A or AAAA
        public static let pointer: UInt16 = 1 << 1  // PTR
        public static let text: UInt16 = 1 << 2  // TXT
        public static let service: UInt16 = 1 << 3  // SRV
        public static let hostInfo: UInt16 = 1 << 4  // HINFO
        public static let alias: UInt16 = 1 << 5  // CNAME
    }

    static func recordBit(_ type: UInt16) -> UInt16 {
        switch type {
        case RecordType.a, RecordType.aaaa: RecordBits.address
        case RecordType.ptr: RecordBits.pointer
        case RecordType.txt: RecordBits.text
        case RecordType.srv: RecordBits.service
        case RecordType.hinfo: RecordBits.hostInfo
        case RecordType.cname: RecordBits.alias
        default: 0
        }
    }

    /// Reads the header of the message in `bytes[base..<end]` and walks its sections. Never throws:
    /// a message shorter than a header comes back without `hasHeader`, flagged `truncated`.
    /// One whole datagram of a protocol that speaks DNS messages without pairing them (mDNS,
    /// LLMNR); `proto` names it in the error.
    static func parseUnpaired(
        _ bytes: Span<UInt8>, direction: Direction, proto: String
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= headerLength else {
            throw .malformed("\(proto): \(bytes.count) bytes is shorter than the 12-byte header")
        }
        return (parseMessage(bytes, base: 0, end: bytes.count, direction: direction), bytes.count)
    }

    static func parseMessage(_ bytes: Span<UInt8>, base: Int, end: Int, direction: Direction) -> Frame {
        var frame = Frame(direction: direction)
        frame.base = Int32(truncatingIfNeeded: base)
        frame.end = Int32(truncatingIfNeeded: end)
        guard base >= 0, end <= bytes.count, end &- base >= headerLength,
            let id = bytes.uint16BE(at: base), let flags = bytes.uint16BE(at: base &+ 2),
            let qd = bytes.uint16BE(at: base &+ 4), let an = bytes.uint16BE(at: base &+ 6),
            let ns = bytes.uint16BE(at: base &+ 8), let ar = bytes.uint16BE(at: base &+ 10)
        else {
            frame.anomalies.insert(.truncated)
            return frame
        }
        frame.hasHeader = true
        frame.id = id
        frame.flags = flags
        frame.questionCount = qd
        frame.answerCount = an
        frame.authorityCount = ns
        frame.additionalCount = ar
        if !knownOpcode(frame.opcode) { frame.anomalies.insert(.unknownOpcode) }
        walkSections(bytes, base: base, end: end, frame: &frame)
        return frame
    }

    static func knownOpcode(_ opcode: UInt8) -> Bool {
        opcode <= Opcode.dso && opcode != 3
    }

    /// Skips every question and record by its lengths, noting the first question and the record
    /// types present; stops at the first that does not fit.
    static func walkSections(_ bytes: Span<UInt8>, base: Int, end: Int, frame: inout Frame) {
        var position = base &+ headerLength
        var walked = 0
        for _ in 0..<Int(frame.questionCount) {
            guard walked < maxRecordsWalked else {
                frame.anomalies.insert(.tooManyRecords)
                return
            }
            guard let after = skipName(bytes, at: position, base: base, end: end, anomalies: &frame.anomalies),
                let type = bytes.uint16BE(at: after), let qclass = bytes.uint16BE(at: after &+ 2),
                after &+ 4 <= end
            else {
                frame.anomalies.insert(.truncated)
                return
            }
            if frame.questionOffset < 0 {
                frame.questionOffset = Int32(truncatingIfNeeded: position)
                frame.questionType = type
                frame.questionClass = qclass
            }
            position = after &+ 4
            walked &+= 1
            frame.recordsWalked = UInt16(truncatingIfNeeded: walked)
        }
        frame.answersOffset = Int32(truncatingIfNeeded: position)
        let records = Int(frame.answerCount) &+ Int(frame.authorityCount) &+ Int(frame.additionalCount)
        for _ in 0..<records {
            guard walked < maxRecordsWalked else {
                frame.anomalies.insert(.tooManyRecords)
                return
            }
            guard let record = recordHeader(bytes, at: position, base: base, end: end, anomalies: &frame.anomalies)
            else {
                frame.anomalies.insert(.truncated)
                return
            }
            frame.recordBits |= recordBit(record.type)
            position = record.next
            walked &+= 1
            frame.recordsWalked = UInt16(truncatingIfNeeded: walked)
        }
        if position < end { frame.anomalies.insert(.trailingBytes) }
    }

    /// A resource record's fixed fields at `offset` (after its name), or nil when it runs past `end`.
    struct RecordHeader {
        var nameOffset: Int
        var type: UInt16
        var recordClass: UInt16
        var ttl: UInt32
        var dataOffset: Int
        var dataLength: Int
        var next: Int { dataOffset &+ dataLength }
    }

    static func recordHeader(
        _ bytes: Span<UInt8>, at offset: Int, base: Int, end: Int, anomalies: inout Anomalies
    ) -> RecordHeader? {
        guard let after = skipName(bytes, at: offset, base: base, end: end, anomalies: &anomalies),
            after &+ 10 <= end,
            let type = bytes.uint16BE(at: after), let recordClass = bytes.uint16BE(at: after &+ 2),
            let ttlHigh = bytes.uint16BE(at: after &+ 4), let ttlLow = bytes.uint16BE(at: after &+ 6),
            let length = bytes.uint16BE(at: after &+ 8)
        else { return nil }
        let dataOffset = after &+ 10
        guard dataOffset &+ Int(length) <= end else { return nil }
        return RecordHeader(
            nameOffset: offset, type: type, recordClass: recordClass,
            ttl: UInt32(ttlHigh) << 16 | UInt32(ttlLow), dataOffset: dataOffset, dataLength: Int(length))
    }
}
