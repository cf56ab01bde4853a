extension DNP3.Objects {
    /// One object within a header: its point index and where its data lies in the fragment.
    public struct Point: Sendable, Equatable {
        public var index: UInt32
        public var offset: Int
        public var length: Int
        /// For packed variations: the object's position in the bit string.
        public var bitPosition: Int = -1
    }

    /// Calls `body` for each object of a header that carries data, at most `limit` times;
    /// returns how many objects there were in all (capped by what the bytes hold).
    @discardableResult
    static func forEachPoint(
        _ fragment: Span<UInt8>, _ header: Header, limit: Int, _ body: (Point) -> Void
    ) -> Int {
        guard header.carriesData, !header.isAll else { return 0 }
        let indexLength = header.indexPrefixLength
        let sizeLength = header.sizePrefixLength
        var offset = header.dataOffset
        var position: UInt64 = 0
        var delivered = 0
        while position < header.count, offset < header.dataEnd {
            let implicit = header.start &+ UInt32(truncatingIfNeeded: position)
            var point = Point(index: implicit, offset: offset, length: 0)
            if case .packed(let bits) = header.size, sizeLength == 0 {
                point.bitPosition = Int(truncatingIfNeeded: position) &* bits
                point.offset = header.dataOffset &+ point.bitPosition / 8
                point.length = 1
            } else {
                var cursor = offset
                if indexLength > 0 {
                    point.index = littleEndian(fragment, at: cursor, width: indexLength)
                    cursor &+= indexLength
                }
                let length: Int
                if sizeLength > 0 {
                    length = Int(littleEndian(fragment, at: cursor, width: sizeLength))
                    cursor &+= sizeLength
                } else {
                    switch header.size {
                    case .fixed(let bytes): length = bytes
                    case .attribute: length = 2 &+ Int(fragment.byte(at: cursor &+ 1) ?? 0)
                    default: return delivered
                    }
                }
                guard cursor &+ length <= header.dataEnd else { return delivered }
                point.offset = cursor
                point.length = length
                offset = cursor &+ length
            }
            if delivered < limit { body(point) }
            delivered &+= 1
            position &+= 1
        }
        return delivered
    }

    /// Values of one object, as integers: the state of a binary, the value of a counter or an
    /// analog (floats rounded), the fields of a control block. Allocates: for events only.
    static func values(_ fragment: Span<UInt8>, _ header: Header, _ point: Point) -> [Int] {
        if point.bitPosition >= 0, case .packed(let bits) = header.size {
            guard let byte = fragment.byte(at: point.offset) else { return [] }
            let shift = UInt8(truncatingIfNeeded: point.bitPosition % 8)
            let mask: UInt8 = bits == 2 ? 0x03 : 0x01
            return [Int((byte >> shift) & mask)]
        }
        var reader = FieldReader(offset: point.offset, end: min(point.offset &+ point.length, fragment.count))
        switch (header.group, header.variation) {
        case (1, 2), (2, _), (10, 2), (11, _), (13, _):
            return [reader.u8(fragment).map { Int($0 >> 7) } ?? 0]
        case (3, 2), (4, _):
            return [reader.u8(fragment).map { Int(($0 >> 6) & 0x03) } ?? 0]
        case (12, 1), (12, 2):
            // Control code, count, on-time, off-time, status.
            let fields = [
                reader.u8(fragment), reader.u8(fragment), reader.u32(fragment), reader.u32(fragment),
                reader.u8(fragment),
            ]
            return fields.map { Int($0 ?? 0) }
        case (20, 1), (20, 3), (21, 1), (21, 3), (21, 5), (21, 7), (22, 1), (22, 3), (22, 5), (22, 7),
            (23, 1), (23, 3), (23, 5), (23, 7):
            reader.skip(1)
            return [reader.u32(fragment).map { Int($0) } ?? 0]
        case (20, 2), (20, 4), (21, 2), (21, 4), (21, 6), (21, 8), (22, 2), (22, 4), (22, 6), (22, 8),
            (23, 2), (23, 4), (23, 6), (23, 8):
            reader.skip(1)
            return [reader.u16(fragment).map { Int($0) } ?? 0]
        case (20, 5), (20, 7), (21, 9), (21, 11):
            return [reader.u32(fragment).map { Int($0) } ?? 0]
        case (20, 6), (20, 8), (21, 10), (21, 12), (52, _), (34, 1):
            return [reader.u16(fragment).map { Int($0) } ?? 0]
        case (30, 1), (31, 1), (31, 3), (32, 1), (32, 3), (33, 1), (33, 3), (40, 1), (42, 1), (42, 3),
            (43, 1), (43, 3):
            reader.skip(1)
            return [reader.i32(fragment)]
        case (30, 2), (31, 2), (31, 4), (32, 2), (32, 4), (33, 2), (33, 4), (40, 2), (42, 2), (42, 4),
            (43, 2), (43, 4):
            reader.skip(1)
            return [reader.i16(fragment)]
        case (30, 3), (31, 5), (34, 2):
            return [reader.i32(fragment)]
        case (30, 4), (31, 6):
            return [reader.i16(fragment)]
        case (30, 5), (31, 7), (32, 5), (32, 7), (33, 5), (33, 7), (40, 3), (42, 5), (42, 7), (43, 5), (43, 7):
            reader.skip(1)
            return [reader.float32(fragment)]
        case (34, 3):
            return [reader.float32(fragment)]
        case (30, 6), (31, 8), (32, 6), (32, 8), (33, 6), (33, 8), (40, 4), (42, 6), (42, 8), (43, 6), (43, 8):
            reader.skip(1)
            return [reader.float64(fragment)]
        // Analog output blocks: value, then the control status.
        case (41, 1): return [reader.i32(fragment), Int(reader.u8(fragment) ?? 0)]
        case (41, 2): return [reader.i16(fragment), Int(reader.u8(fragment) ?? 0)]
        case (41, 3): return [reader.float32(fragment), Int(reader.u8(fragment) ?? 0)]
        case (41, 4): return [reader.float64(fragment), Int(reader.u8(fragment) ?? 0)]
        // Milliseconds since 1970 (48 bits).
        case (50, _), (51, _):
            return [reader.u48(fragment).map { Int($0) } ?? 0]
        default:
            return []
        }
    }

    /// Little-endian fields of one object, bounded by the object's end.
    struct FieldReader {
        var offset: Int
        let end: Int

        mutating func skip(_ count: Int) { offset &+= count }

        mutating func unsigned(_ fragment: Span<UInt8>, _ width: Int) -> UInt64? {
            guard offset >= 0, offset &+ width <= end, end <= fragment.count else { return nil }
            var value: UInt64 = 0
            for index in 0..<width { value |= UInt64(fragment[offset &+ index]) << UInt64(8 &* index) }
            offset &+= width
            return value
        }

        mutating func u8(_ f: Span<UInt8>) -> UInt32? { unsigned(f, 1).map { UInt32(truncatingIfNeeded: $0) } }
        mutating func u16(_ f: Span<UInt8>) -> UInt32? { unsigned(f, 2).map { UInt32(truncatingIfNeeded: $0) } }
        mutating func u32(_ f: Span<UInt8>) -> UInt32? { unsigned(f, 4).map { UInt32(truncatingIfNeeded: $0) } }
        mutating func u48(_ f: Span<UInt8>) -> UInt64? { unsigned(f, 6) }
        mutating func i16(_ f: Span<UInt8>) -> Int { unsigned(f, 2).map { Int(Int16(truncatingIfNeeded: $0)) } ?? 0 }
        mutating func i32(_ f: Span<UInt8>) -> Int { unsigned(f, 4).map { Int(Int32(truncatingIfNeeded: $0)) } ?? 0 }
        mutating func float32(_ f: Span<UInt8>) -> Int {
            unsigned(f, 4).map { Self.rounded(Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0)))) } ?? 0
        }
        mutating func float64(_ f: Span<UInt8>) -> Int {
            unsigned(f, 8).map { Self.rounded(Double(bitPattern: $0)) } ?? 0
        }

        /// A float as the nearest integer; NaN, infinities and values out of range as 0.
        static func rounded(_ value: Double) -> Int {
            guard value.isFinite, abs(value) < 9.0e18 else { return 0 }
            return Int(value.rounded())
        }
    }
}
