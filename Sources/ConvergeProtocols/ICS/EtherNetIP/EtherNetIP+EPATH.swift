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

    /// What a request path addresses, gathered from its segments: plain scalars.
    public struct Path: Sendable, Equatable {
        public var classID: UInt32?
        public var instance: UInt32?
        public var attribute: UInt32?
        public var member: UInt32?
        public var connectionPoint: UInt32?
        /// Symbolic segments (tag name parts); tags are read and written by name.
        public var symbolCount = 0
        public var hasPort = false
        public var segmentCount = 0
        /// Where the path's bytes are, in the message bytes given to `parse`.
        public var offset = 0
        public var length = 0
        /// False when a segment could not be decoded or the segment cap was reached.
        public var isValid = true

        public init() {}

        public var isSymbolic: Bool { symbolCount > 0 }
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
            path.segmentCount &+= 1
            switch segment {
            case .logical(let type, let value):
                switch type {
                case LogicalType.classID: if path.classID == nil { path.classID = value }
                case LogicalType.instance: if path.instance == nil { path.instance = value }
                case LogicalType.attribute: if path.attribute == nil { path.attribute = value }
                case LogicalType.member: if path.member == nil { path.member = value }
                case LogicalType.connectionPoint: if path.connectionPoint == nil { path.connectionPoint = value }
                default: break
                }
            case .symbol: path.symbolCount &+= 1
            case .port: path.hasPort = true
            case .other: break
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
