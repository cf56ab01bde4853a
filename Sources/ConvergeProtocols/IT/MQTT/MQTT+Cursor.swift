extension MQTT {
    /// A read position inside one packet, bounded by `end` (the packet's last byte + 1). The bytes
    /// are passed to each read, since a `Span` cannot be stored; every read checks `end` and moves
    /// the position only on success.
    struct Cursor {
        var offset: Int
        let end: Int

        var remaining: Int { end &- offset }
        var isAtEnd: Bool { offset >= end }

        mutating func u8(_ bytes: Span<UInt8>) -> UInt8? {
            guard offset < end, let byte = bytes.byte(at: offset) else { return nil }
            offset &+= 1
            return byte
        }

        mutating func u16(_ bytes: Span<UInt8>) -> UInt16? {
            guard remaining >= 2, let value = bytes.uint16BE(at: offset) else { return nil }
            offset &+= 2
            return value
        }

        mutating func u32(_ bytes: Span<UInt8>) -> UInt32? {
            guard remaining >= 4, let high = bytes.uint16BE(at: offset), let low = bytes.uint16BE(at: offset &+ 2)
            else { return nil }
            offset &+= 4
            return UInt32(high) << 16 | UInt32(low)
        }

        /// A variable-length integer (MQTT 5 §1.5.5): at most 4 bytes; nil when cut short or longer.
        mutating func variableInteger(_ bytes: Span<UInt8>) -> Int? {
            var value = 0
            var position = offset
            for index in 0..<MQTT.maxVariableIntegerBytes {
                guard position < end, let byte = bytes.byte(at: position) else { return nil }
                position &+= 1
                value |= Int(byte & 0x7f) << (7 &* index)
                if byte & 0x80 == 0 {
                    offset = position
                    return value
                }
            }
            return nil
        }

        /// A length-prefixed string or binary field (2-byte length, then the bytes).
        mutating func lengthPrefixed(_ bytes: Span<UInt8>) -> Slice? {
            guard remaining >= 2, let length = bytes.uint16BE(at: offset), remaining &- 2 >= Int(length) else {
                return nil
            }
            let slice = Slice(offset: offset &+ 2, length: Int(length))
            offset &+= 2 &+ Int(length)
            return slice
        }

        /// Skips `count` bytes; false (and no move) when fewer remain.
        mutating func skip(_ count: Int) -> Bool {
            guard count >= 0, remaining >= count else { return false }
            offset &+= count
            return true
        }
    }

    /// Byte comparisons on the wire (no allocation) and text for events (allocates).
    enum Text {
        /// Whether the bytes of `slice` are exactly `text`.
        static func equals(_ bytes: Span<UInt8>, _ slice: Slice, _ text: StaticString) -> Bool {
            guard slice.length == text.utf8CodeUnitCount else { return false }
            return hasPrefix(bytes, slice, text)
        }

        /// Whether the bytes of `slice` start with `text`.
        static func hasPrefix(_ bytes: Span<UInt8>, _ slice: Slice, _ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard slice.length >= count else { return false }
            let start = text.utf8Start
            for index in 0..<count where bytes.byte(at: slice.offset &+ index) != start[index] { return false }
            return true
        }

        /// The text of `slice`, cut to `limit` bytes, control characters dropped and invalid UTF-8
        /// repaired. For events only.
        static func string(_ bytes: Span<UInt8>, _ slice: Slice, limit: Int) -> String {
            guard slice.isPresent else { return "" }
            let length = min(slice.length, limit)
            var kept: [UInt8] = []
            kept.reserveCapacity(length)
            for index in slice.offset..<(slice.offset &+ length) {
                guard let byte = bytes.byte(at: index) else { break }
                if byte >= 0x20 && byte != 0x7f { kept.append(byte) }
            }
            return String(decoding: kept, as: UTF8.self)
        }
    }
}
