extension BACnetIP {
    /// One BACnet tag header (ASHRAE 135 clause 20.2.1): tag number, class, and either a length,
    /// a boolean value (application tag 1) or an opening/closing marker (context class only).
    public struct Tag: Sendable, Equatable {
        public enum Kind: UInt8, Sendable { case primitive, opening, closing }

        public var number: UInt8
        public var isContext: Bool
        public var kind: Kind
        /// Content bytes after the header (0 for opening, closing and application booleans).
        public var length: Int
        /// Bytes of the header itself (1 to 7).
        public var headerLength: Int
        /// An application boolean carries its value in the length field.
        public var booleanValue: Bool

        /// Header plus content.
        public var totalLength: Int { headerLength &+ length }
    }

    /// Application tag numbers (clause 20.2.1.4).
    public enum ApplicationTag {
        public static let null: UInt8 = 0
        public static let boolean: UInt8 = 1
        public static let unsigned: UInt8 = 2
        public static let signed: UInt8 = 3
        public static let real: UInt8 = 4
        public static let double: UInt8 = 5
        public static let octetString: UInt8 = 6
        public static let characterString: UInt8 = 7
        public static let bitString: UInt8 = 8
        public static let enumerated: UInt8 = 9
        public static let date: UInt8 = 10
        public static let time: UInt8 = 11
        public static let objectIdentifier: UInt8 = 12
    }

    /// Constructed values nest opening/closing tags; deeper nesting than this is refused.
    public static let maxTagDepth = 16
    /// A primitive value claiming more bytes than this cannot be BACnet (an APDU is at most 1476
    /// bytes, and a reassembled segmented one at most `maxReassemblyBytes`).
    public static let maxTagContentLength = 65_535

    /// The tag header at `offset`, or nil when it is cut off at `end`, uses a reserved encoding
    /// (extended tag number 255, an application tag with an opening/closing marker) or claims a
    /// length above `maxTagContentLength`. The content is not checked against `end`: `fits` does.
    static func tag(_ bytes: Span<UInt8>, at offset: Int, end: Int) -> Tag? {
        guard offset >= 0, offset < end, let first = bytes.byte(at: offset) else { return nil }
        var cursor = offset &+ 1
        var number = first >> 4
        let isContext = first & 0x08 != 0
        let lvt = first & 0x07
        if number == 15 {
            guard cursor < end, let extended = bytes.byte(at: cursor), extended != 255 else { return nil }
            number = extended
            cursor &+= 1
        }
        if isContext && (lvt == 6 || lvt == 7) {
            return Tag(
                number: number, isContext: true, kind: lvt == 6 ? .opening : .closing, length: 0,
                headerLength: cursor &- offset, booleanValue: false)
        }
        if !isContext && number == ApplicationTag.boolean {
            return Tag(
                number: number, isContext: false, kind: .primitive, length: 0,
                headerLength: cursor &- offset, booleanValue: lvt != 0)
        }
        if !isContext && lvt > 5 { return nil }
        var length = Int(lvt)
        if lvt == 5 {
            guard cursor < end, let extended = bytes.byte(at: cursor) else { return nil }
            cursor &+= 1
            switch extended {
            case 254:
                guard cursor &+ 2 <= end, let value = bytes.uint16BE(at: cursor) else { return nil }
                length = Int(value)
                cursor &+= 2
            case 255:
                guard cursor &+ 4 <= end, cursor &+ 4 <= bytes.count else { return nil }
                let value = bytes.loadUInt32BE(at: cursor)
                guard value <= UInt32(maxTagContentLength) else { return nil }
                length = Int(value)
                cursor &+= 4
            default:
                length = Int(extended)
            }
        }
        return Tag(
            number: number, isContext: isContext, kind: .primitive, length: length,
            headerLength: cursor &- offset, booleanValue: false)
    }

    /// Whether the tag at `offset` lies wholly before `end`.
    static func fits(_ tag: Tag, at offset: Int, end: Int) -> Bool {
        offset &+ tag.totalLength <= end
    }

    /// From just past an opening tag: the offset just past its matching closing tag, or nil when
    /// the tags are cut off, malformed or nest deeper than `maxTagDepth` (counting `depth`, the
    /// nesting level of the opening tag). Each step moves forward, so this ends.
    static func skipConstructed(_ bytes: Span<UInt8>, from start: Int, end: Int, depth: Int = 1) -> Int? {
        var level = depth
        var offset = start
        while offset < end {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { return nil }
            offset &+= tag.totalLength
            switch tag.kind {
            case .opening:
                level &+= 1
                if level > maxTagDepth { return nil }
            case .closing:
                level &-= 1
                if level < depth { return offset }
            case .primitive:
                break
            }
        }
        return nil
    }

    /// How a tag sequence is shaped: well formed, or what is wrong with it.
    public enum TagCheck: Sendable, Equatable { case ok, malformed, tooDeep }

    /// Walks every tag in `start..<end`: each must fit, opening and closing tags must balance and
    /// nest at most `maxTagDepth` deep. Allocates nothing.
    static func checkTags(_ bytes: Span<UInt8>, from start: Int, end: Int) -> TagCheck {
        var depth = 0
        var offset = start
        while offset < end {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { return .malformed }
            offset &+= tag.totalLength
            switch tag.kind {
            case .opening:
                depth &+= 1
                if depth > maxTagDepth { return .tooDeep }
            case .closing:
                depth &-= 1
                if depth < 0 { return .malformed }
            case .primitive:
                break
            }
        }
        return depth == 0 ? .ok : .malformed
    }

    // MARK: primitive values (clause 20.2.4 ff.)

    /// An unsigned integer of 1 to 8 content bytes.
    static func unsigned(_ bytes: Span<UInt8>, at offset: Int, length: Int) -> UInt64? {
        guard length >= 1, length <= 8, offset >= 0, offset &+ length <= bytes.count else { return nil }
        var value: UInt64 = 0
        for index in 0..<length { value = value << 8 | UInt64(bytes[offset &+ index]) }
        return value
    }

    /// A two's-complement signed integer of 1 to 8 content bytes.
    static func signed(_ bytes: Span<UInt8>, at offset: Int, length: Int) -> Int64? {
        guard let raw = unsigned(bytes, at: offset, length: length) else { return nil }
        let shift = UInt64(64 &- length &* 8)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }

    /// An object identifier: 10 bits of object type, 22 bits of instance.
    static func objectIdentifier(_ bytes: Span<UInt8>, at offset: Int, length: Int) -> (type: UInt16, instance: UInt32)?
    {
        guard length == 4, offset >= 0, offset &+ 4 <= bytes.count else { return nil }
        let raw = bytes.loadUInt32BE(at: offset)
        return (UInt16(truncatingIfNeeded: raw >> 22), raw & 0x3f_ffff)
    }

    /// The numeric value of an application-tagged primitive (boolean, unsigned, signed, real,
    /// double, enumerated), or nil for any other tag or a bad length.
    static func numericValue(_ bytes: Span<UInt8>, _ tag: Tag, at offset: Int) -> Double? {
        guard !tag.isContext, tag.kind == .primitive else { return nil }
        let content = offset &+ tag.headerLength
        switch tag.number {
        case ApplicationTag.boolean:
            return tag.booleanValue ? 1 : 0
        case ApplicationTag.unsigned, ApplicationTag.enumerated:
            return unsigned(bytes, at: content, length: tag.length).map { Double($0) }
        case ApplicationTag.signed:
            return signed(bytes, at: content, length: tag.length).map { Double($0) }
        case ApplicationTag.real:
            guard tag.length == 4, content &+ 4 <= bytes.count else { return nil }
            return Double(Float(bitPattern: bytes.loadUInt32BE(at: content)))
        case ApplicationTag.double:
            guard tag.length == 8, let raw = unsigned(bytes, at: content, length: 8) else { return nil }
            return Double(bitPattern: raw)
        default:
            return nil
        }
    }
}
