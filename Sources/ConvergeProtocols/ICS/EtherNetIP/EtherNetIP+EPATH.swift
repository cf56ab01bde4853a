import ConvergeModel
import ConvergeWire

extension EtherNetIP {
    /// At most this many segments are read from one EPATH; more is an anomaly and the rest is skipped.
    public static let maxPathSegments = 32
    /// A rendered tag name is cut at this many bytes (symbol segments may hold up to 255 each).
    public static let maxTagNameLength = 256

    /// One EPATH segment (CIP Vol. 1, appendix C), as offsets into the message bytes.
    public enum Segment: Sendable, Equatable {
        /// Logical segment: `type` 0 class, 1 instance, 2 member, 3 connection point,
        /// 4 attribute, 5 special (electronic key), 6 service id.
        case logical(type: UInt8, value: UInt32)
        /// A symbolic or ANSI extended symbol segment: a tag name part.
        case symbol(offset: Int, length: Int)
        /// A port segment: the route to another port and link address.
        case port(port: UInt16, linkOffset: Int, linkLength: Int)
        /// Network or simple data segments: carried, not interpreted.
        case other(code: UInt8)

        var isSymbol: Bool {
            if case .symbol = self { return true }
            return false
        }
    }

    /// Logical segment types.
    public enum LogicalType {
        public static let classID: UInt8 = 0
        public static let instance: UInt8 = 1
        public static let member: UInt8 = 2
        public static let connectionPoint: UInt8 = 3
        public static let attribute: UInt8 = 4
        public static let special: UInt8 = 5
        public static let serviceID: UInt8 = 6
    }

    /// What a request path addresses, gathered from its segments. Compact (36 bytes): it travels
    /// inside every parsed message, so the logical values are plain words with a presence mask
    /// and the offsets 32-bit (a message is at most 64 KiB).
    public struct Path: Sendable, Equatable {
        /// Logical values by type (class, instance, member, connection point, attribute).
        private var classValue: UInt32 = 0
        private var instanceValue: UInt32 = 0
        private var memberValue: UInt32 = 0
        private var connectionPointValue: UInt32 = 0
        private var attributeValue: UInt32 = 0
        /// Bit n set: the logical value of type n is present.
        private var present: UInt8 = 0
        private var symbols: UInt8 = 0
        private var segments: UInt8 = 0
        public var hasPort = false
        /// False when a segment could not be decoded or the segment cap was reached.
        public var isValid = true
        private var storedOffset: UInt32 = 0
        private var storedLength: UInt32 = 0

        public init() {}

        /// The first logical value of `type` (0 class … 4 attribute), nil when absent or a type
        /// not kept here.
        public subscript(logical type: UInt8) -> UInt32? {
            get {
                guard type <= LogicalType.attribute, present & 1 << type != 0 else { return nil }
                switch type {
                case LogicalType.classID: return classValue
                case LogicalType.instance: return instanceValue
                case LogicalType.member: return memberValue
                case LogicalType.connectionPoint: return connectionPointValue
                default: return attributeValue
                }
            }
            set {
                guard type <= LogicalType.attribute else { return }
                let value = newValue ?? 0
                switch type {
                case LogicalType.classID: classValue = value
                case LogicalType.instance: instanceValue = value
                case LogicalType.member: memberValue = value
                case LogicalType.connectionPoint: connectionPointValue = value
                default: attributeValue = value
                }
                present = newValue == nil ? present & ~(1 << type) : present | 1 << type
            }
        }

        public var classID: UInt32? {
            get { self[logical: LogicalType.classID] }
            set { self[logical: LogicalType.classID] = newValue }
        }
        public var instance: UInt32? {
            get { self[logical: LogicalType.instance] }
            set { self[logical: LogicalType.instance] = newValue }
        }
        public var attribute: UInt32? {
            get { self[logical: LogicalType.attribute] }
            set { self[logical: LogicalType.attribute] = newValue }
        }
        public var member: UInt32? {
            get { self[logical: LogicalType.member] }
            set { self[logical: LogicalType.member] = newValue }
        }
        public var connectionPoint: UInt32? {
            get { self[logical: LogicalType.connectionPoint] }
            set { self[logical: LogicalType.connectionPoint] = newValue }
        }
        /// Symbolic segments (tag name parts); tags are read and written by name.
        public var symbolCount: Int { Int(symbols) }
        public var segmentCount: Int { Int(segments) }
        /// Where the path's bytes are, in the message bytes given to `parse`.
        public var offset: Int {
            get { Int(storedOffset) }
            set { storedOffset = UInt32(clamping: newValue) }
        }
        public var length: Int {
            get { Int(storedLength) }
            set { storedLength = UInt32(clamping: newValue) }
        }
        public var isSymbolic: Bool { symbols > 0 }

        /// Counts one segment (at most `maxPathSegments` are walked, so these cannot wrap).
        mutating func countSegment(symbol: Bool) {
            segments &+= 1
            if symbol { symbols &+= 1 }
        }
    }

    /// Calls `body` for each segment of the padded EPATH in `offset..<offset+length`, at most
    /// `maxPathSegments`. Returns false when a segment is undecodable, overruns the path or the
    /// cap is reached (the walk stops there).
    @discardableResult
    static func forEachSegment(
        _ bytes: Span<UInt8>, offset: Int, length: Int, _ body: (Segment) -> Void
    ) -> Bool {
        let end = offset &+ length
        guard length >= 0, end <= bytes.count else { return false }
        var position = offset
        var segments = 0
        while position < end {
            guard segments < maxPathSegments else { return false }
            segments &+= 1
            guard let (segment, size) = segment(bytes, at: position, end: end) else { return false }
            body(segment)
            position &+= size
        }
        return position == end
    }

    /// Decodes one segment at `at`; nil when it is undecodable or runs past `end`.
    static func segment(_ bytes: Span<UInt8>, at start: Int, end: Int) -> (Segment, Int)? {
        guard let code = u8(bytes, start) else { return nil }
        let result: (Segment, Int)?
        switch code >> 5 {
        case 0: result = portSegment(bytes, code: code, at: start)
        case 1: result = logicalSegment(bytes, code: code, at: start)
        case 2:
            // Network segments: most carry one byte; 0x50/0x51 carry a word count and words.
            if code == 0x50 || code == 0x51 {
                guard let words = u8(bytes, start &+ 1) else { return nil }
                result = (.other(code: code), 2 &+ Int(words) &* 2)
            } else {
                result = (.other(code: code), 2)
            }
        case 3:
            let size = Int(code & 0x1f)
            // Size 0 announces an extended (multi-byte character) symbol: not decoded.
            guard size > 0 else { return nil }
            result = (.symbol(offset: start &+ 1, length: size), (1 &+ size &+ 1) & ~1)
        case 4:
            switch code {
            case 0x80:
                guard let words = u8(bytes, start &+ 1) else { return nil }
                result = (.other(code: code), 2 &+ Int(words) &* 2)
            case 0x91:
                guard let size = u8(bytes, start &+ 1) else { return nil }
                result = (.symbol(offset: start &+ 2, length: Int(size)), (2 &+ Int(size) &+ 1) & ~1)
            default: return nil
            }
        default: return nil
        }
        guard let (segment, size) = result, size > 0, start &+ size <= end else { return nil }
        return (segment, size)
    }

    static func portSegment(_ bytes: Span<UInt8>, code: UInt8, at start: Int) -> (Segment, Int)? {
        var position = start &+ 1
        var linkLength = 1
        if code & 0x10 != 0 {
            guard let size = u8(bytes, position) else { return nil }
            linkLength = Int(size)
            position &+= 1
        }
        var port = UInt16(code & 0x0f)
        if port == 15 {
            guard let wide = le16(bytes, position) else { return nil }
            port = wide
            position &+= 2
        }
        let linkOffset = position
        position &+= linkLength
        let size = (position &- start &+ 1) & ~1
        return (.port(port: port, linkOffset: linkOffset, linkLength: linkLength), size)
    }

    static func logicalSegment(_ bytes: Span<UInt8>, code: UInt8, at start: Int) -> (Segment, Int)? {
        let type = (code >> 2) & 0x07
        let format = code & 0x03
        if type == LogicalType.special {
            // Electronic key: key format 4 and eight bytes of vendor, type, product, revision.
            guard format == 0, u8(bytes, start &+ 1) == 4 else { return nil }
            return (.logical(type: type, value: 0), 10)
        }
        switch format {
        case 0:
            guard let value = u8(bytes, start &+ 1) else { return nil }
            return (.logical(type: type, value: UInt32(value)), 2)
        case 1:
            guard let value = le16(bytes, start &+ 2) else { return nil }
            return (.logical(type: type, value: UInt32(value)), 4)
        case 2:
            guard let value = le32(bytes, start &+ 2) else { return nil }
            return (.logical(type: type, value: value), 6)
        default:
            return nil
        }
    }

    /// Reads a request path: what it addresses, from the first of each logical kind.
    static func parsePath(_ bytes: Span<UInt8>, offset: Int, length: Int) -> Path {
        var path = Path()
        path.offset = offset
        path.length = length
        path.isValid = forEachSegment(bytes, offset: offset, length: length) { segment in
            path.countSegment(symbol: segment.isSymbol)
            switch segment {
            case .logical(let type, let value): if path[logical: type] == nil { path[logical: type] = value }
            case .port: path.hasPort = true
            case .symbol, .other: break
            }
        }
        return path
    }

    /// The tag a symbolic path names, as Logix writes it: `Program:Main.Counter[3]`. Cut at
    /// `maxTagNameLength` bytes. Allocates; for events only.
    static func tagName(_ bytes: Span<UInt8>, path: Path) -> String {
        var out: [UInt8] = []
        var inIndex = false
        func append(_ text: String) {
            for byte in text.utf8 where out.count < maxTagNameLength { out.append(byte) }
        }
        forEachSegment(bytes, offset: path.offset, length: path.length) { segment in
            switch segment {
            case .symbol(let offset, let length):
                if inIndex { append("]"); inIndex = false }
                if !out.isEmpty { append(".") }
                append(text(bytes, offset: offset, length: length, cap: maxTagNameLength))
            case .logical(LogicalType.member, let value) where !out.isEmpty:
                append(inIndex ? "," : "[")
                append(String(value))
                inIndex = true
            default:
                break
            }
        }
        if inIndex { append("]") }
        return String(decoding: out, as: UTF8.self)
    }

    /// A logical path in the common `@class/instance/attribute` notation, hex class.
    static func logicalName(_ path: Path) -> String {
        var text = "@" + hex(path.classID ?? 0)
        if let instance = path.instance { text += "/" + String(instance) }
        if let attribute = path.attribute { text += "/" + String(attribute) }
        if let member = path.member { text += "/" + String(member) }
        return text
    }
}
