import ConvergeModel

extension MMS {
    /// One BER element (ITU-T X.690) as offsets into the span it was read from: the tag and where
    /// its contents are. Only definite lengths: MMS, ACSE and the presentation layer encode with
    /// them, and an indefinite length would let a hostile peer make a walk unbounded.
    public struct BERElement: Sendable, Equatable {
        /// 0 universal, 1 application, 2 context-specific, 3 private.
        public var tagClass: UInt8
        public var constructed: Bool
        public var number: UInt32
        /// Where the tag starts, where the contents start and end (the element's end).
        public var start: Int
        public var contentStart: Int
        public var end: Int

        public var contentLength: Int { end &- contentStart }
        public var isContext: Bool { tagClass == BERClass.context }
        public var isUniversal: Bool { tagClass == BERClass.universal }
    }

    public enum BERClass {
        public static let universal: UInt8 = 0
        public static let application: UInt8 = 1
        public static let context: UInt8 = 2
    }

    /// Universal tag numbers read here.
    enum Universal {
        static let boolean: UInt32 = 1
        static let integer: UInt32 = 2
        static let oid: UInt32 = 6
        static let external: UInt32 = 8
        static let sequence: UInt32 = 16
        static let set: UInt32 = 17
        static let graphicString: UInt32 = 25
        static let visibleString: UInt32 = 26
    }

    /// A high tag number takes at most this many bytes after the first (MMS tags stay below 128).
    static let maxTagNumberBytes = 3
    /// Length octets after 0x8n: at most 4 (no MMS PDU comes near 4 GiB; more is hostile).
    static let maxLengthBytes = 4
    /// How deep the walks below nest (data values, ACSE inside presentation inside session).
    public static let maxDepth = 10

    /// The element at `offset`, whose contents must end by `limit` (the enclosing element's end);
    /// nil when the tag or length is broken or runs past `limit`.
    static func element(at offset: Int, in bytes: Span<UInt8>, limit: Int) -> BERElement? {
        let limit = min(limit, bytes.count)
        guard offset >= 0, offset < limit, let first = bytes.byte(at: offset) else { return nil }
        var cursor = offset &+ 1
        var number = UInt32(first & 0x1f)
        if number == 0x1f {
            number = 0
            var used = 0
            while true {
                guard cursor < limit, let byte = bytes.byte(at: cursor), used < maxTagNumberBytes else { return nil }
                number = number << 7 | UInt32(byte & 0x7f)
                cursor &+= 1
                used &+= 1
                if byte & 0x80 == 0 { break }
            }
        }
        guard cursor < limit, let lengthByte = bytes.byte(at: cursor) else { return nil }
        cursor &+= 1
        var length = 0
        if lengthByte & 0x80 == 0 {
            length = Int(lengthByte)
        } else {
            let count = Int(lengthByte & 0x7f)
            guard count >= 1, count <= maxLengthBytes else { return nil }
            for _ in 0..<count {
                guard cursor < limit, let byte = bytes.byte(at: cursor) else { return nil }
                length = length << 8 | Int(byte)
                cursor &+= 1
            }
        }
        guard length >= 0, length <= limit &- cursor else { return nil }
        return BERElement(
            tagClass: first >> 6, constructed: first & 0x20 != 0, number: number, start: offset,
            contentStart: cursor, end: cursor &+ length)
    }

    /// The first child of `parent` (constructed) or nil.
    static func firstChild(of parent: BERElement, in bytes: Span<UInt8>) -> BERElement? {
        guard parent.constructed else { return nil }
        return element(at: parent.contentStart, in: bytes, limit: parent.end)
    }

    /// The child after `child` inside `parent`, or nil.
    static func nextSibling(of child: BERElement, in parent: BERElement, bytes: Span<UInt8>) -> BERElement? {
        element(at: child.end, in: bytes, limit: parent.end)
    }

    /// The first child of `parent` with this class and number, among at most `maxChildren`.
    static func child(
        of parent: BERElement, tagClass: UInt8, number: UInt32, in bytes: Span<UInt8>
    ) -> BERElement? {
        var current = firstChild(of: parent, in: bytes)
        var seen = 0
        while let element = current, seen < maxChildren {
            if element.tagClass == tagClass, element.number == number { return element }
            current = nextSibling(of: element, in: parent, bytes: bytes)
            seen &+= 1
        }
        return nil
    }

    /// Children looked at per constructed element when searching (real PDUs have a handful).
    public static let maxChildren = 64

    /// An unsigned value of at most 8 content bytes (INTEGER contents, a leading 0 allowed);
    /// nil when longer or empty.
    static func unsigned(_ element: BERElement, in bytes: Span<UInt8>) -> UInt64? {
        let length = element.contentLength
        guard length >= 1, length <= 9 else { return nil }
        var value: UInt64 = 0
        for index in element.contentStart..<element.end {
            guard let byte = bytes.byte(at: index) else { return nil }
            if length == 9, index == element.contentStart {
                guard byte == 0 else { return nil }
                continue
            }
            value = value << 8 | UInt64(byte)
        }
        return value
    }

    /// A two's-complement INTEGER of at most 8 content bytes; nil when longer or empty.
    static func signed(_ element: BERElement, in bytes: Span<UInt8>) -> Int64? {
        let length = element.contentLength
        guard length >= 1, length <= 8, let first = bytes.byte(at: element.contentStart) else { return nil }
        var value: Int64 = first & 0x80 != 0 ? -1 : 0
        for index in element.contentStart..<element.end {
            guard let byte = bytes.byte(at: index) else { return nil }
            value = value << 8 | Int64(byte)
        }
        return value
    }
}
