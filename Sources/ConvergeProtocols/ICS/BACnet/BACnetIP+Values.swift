extension BACnetIP {
    /// Text taken from the wire is cut to this many characters.
    public static let maxTextLength = 256
    /// Values put on one event target.
    public static let maxValuesPerTarget = 64

    /// Character sets of a BACnet CharacterString (clause 20.2.9).
    enum CharacterSet {
        static let utf8: UInt8 = 0
        static let ucs4: UInt8 = 3
        static let ucs2: UInt8 = 4
        static let iso8859_1: UInt8 = 5
    }

    /// The first application CharacterString in `start..<end` as printable text (control
    /// characters dropped, trimmed, at most `maxTextLength` characters), or nil. Allocates; for
    /// events and facts only.
    static func firstText(_ bytes: Span<UInt8>, from start: Int, end: Int) -> String? {
        var offset = start
        while offset < end {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { return nil }
            if !tag.isContext, tag.number == ApplicationTag.characterString, tag.length >= 1 {
                return text(bytes, from: offset &+ tag.headerLength, length: tag.length)
            }
            offset &+= tag.totalLength
        }
        return nil
    }

    /// Decodes CharacterString content: a character-set byte, then the characters.
    static func text(_ bytes: Span<UInt8>, from start: Int, length: Int) -> String? {
        guard let charset = bytes.byte(at: start) else { return nil }
        let end = min(start &+ length, bytes.count)
        var scalars = String.UnicodeScalarView()
        var offset = start &+ 1
        func append(_ value: UInt32) {
            guard value >= 0x20, value != 0x7f, !(0x80..<0xa0).contains(value),
                let scalar = Unicode.Scalar(value)
            else { return }
            scalars.append(scalar)
        }
        switch charset {
        case CharacterSet.utf8:
            var raw: [UInt8] = []
            raw.reserveCapacity(min(end &- offset, maxTextLength &* 4))
            while offset < end, raw.count < maxTextLength &* 4, let byte = bytes.byte(at: offset) {
                raw.append(byte)
                offset &+= 1
            }
            for scalar in String(decoding: raw, as: UTF8.self).unicodeScalars { append(scalar.value) }
        case CharacterSet.ucs2:
            while offset &+ 1 < end, let value = bytes.uint16BE(at: offset) {
                append(UInt32(value))
                offset &+= 2
            }
        case CharacterSet.ucs4:
            while offset &+ 3 < end, offset &+ 4 <= bytes.count {
                append(bytes.loadUInt32BE(at: offset))
                offset &+= 4
            }
        default:
            // ISO 8859-1 maps byte for byte; other sets (DBCS, JIS) keep only their ASCII bytes.
            let latin1 = charset == CharacterSet.iso8859_1
            while offset < end, let byte = bytes.byte(at: offset) {
                if latin1 || byte < 0x80 { append(UInt32(byte)) }
                offset &+= 1
            }
        }
        var text = String(String.UnicodeScalarView(scalars.prefix(maxTextLength)))
        while text.last == " " { text.removeLast() }
        while text.first == " " { text.removeFirst() }
        return text
    }

    /// The content of the first top-level context tag `number` in `start..<end` as an unsigned
    /// integer, or nil (constructed values are stepped over).
    static func contextUnsigned(_ bytes: Span<UInt8>, number: UInt8, from start: Int, end: Int) -> UInt64? {
        var offset = start
        while offset < end {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { return nil }
            let content = offset &+ tag.headerLength
            offset &+= tag.totalLength
            switch tag.kind {
            case .opening:
                guard let after = skipConstructed(bytes, from: offset, end: end) else { return nil }
                offset = after
            case .closing:
                return nil
            case .primitive:
                if tag.isContext && tag.number == number { return unsigned(bytes, at: content, length: tag.length) }
            }
        }
        return nil
    }

    /// The first top-level tag `number` of `isContext` class in `start..<end`, with its offset.
    static func findTag(
        _ bytes: Span<UInt8>, number: UInt8, isContext: Bool, from start: Int, end: Int
    ) -> (tag: Tag, offset: Int)? {
        var offset = start
        while offset < end {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { return nil }
            if tag.isContext == isContext && tag.number == number && tag.kind == .primitive { return (tag, offset) }
            offset &+= tag.totalLength
            if tag.kind == .opening {
                guard let after = skipConstructed(bytes, from: offset, end: end) else { return nil }
                offset = after
            }
        }
        return nil
    }

    /// The top-level application-tagged primitives of `start..<end`, at most `limit`: how I-Am,
    /// I-Have and time synchronization lay out their parameters.
    static func applicationTags(_ bytes: Span<UInt8>, from start: Int, end: Int, limit: Int) -> [(
        tag: Tag, offset: Int
    )] {
        var found: [(tag: Tag, offset: Int)] = []
        var offset = start
        while offset < end, found.count < limit {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { break }
            if !tag.isContext && tag.kind == .primitive { found.append((tag, offset)) }
            offset &+= tag.totalLength
            if tag.kind == .opening {
                guard let after = skipConstructed(bytes, from: offset, end: end) else { break }
                offset = after
            }
        }
        return found
    }

    /// A finite value as an event integer, rounded (`Message.Target.values` holds integers; the
    /// exact value travels in the `ProcessValue`).
    static func eventInteger(_ value: Double) -> Int? {
        guard value.isFinite, value > -9.0e18, value < 9.0e18 else { return nil }
        return Int(value.rounded())
    }
}
