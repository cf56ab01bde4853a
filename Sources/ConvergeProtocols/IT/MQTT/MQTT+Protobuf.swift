extension MQTT {
    /// The Protocol Buffers wire format (protobuf.dev, "Encoding"), as far as Sparkplug B needs it:
    /// a message is a run of fields, each a tag varint (field number << 3 | wire type) followed by
    /// a varint (type 0), 8 bytes (type 1), a varint length and that many bytes (type 2) or 4 bytes
    /// (type 5). Groups (types 3, 4) are long deprecated and never used by Sparkplug: they are
    /// malformed here. Reads borrow the packet's bytes and allocate nothing.
    public enum Protobuf {
        /// A varint is at most 10 bytes (64 bits in 7-bit groups).
        public static let maxVarintBytes = 10
        /// Fields read per message before the rest is given up as `tooManyFields`; every field
        /// takes at least 2 bytes, so this only bounds work on a huge packet.
        public static let maxFieldsPerMessage = 10_000
        /// The largest field number the format allows (29 bits).
        public static let maxFieldNumber: UInt64 = (1 << 29) - 1

        public enum WireType: UInt8, Sendable {
            case varint = 0
            case fixed64 = 1
            case lengthDelimited = 2
            case fixed32 = 5
        }

        /// Why a reader stopped before the end of its message.
        public enum Failure: Sendable, Equatable {
            /// A varint longer than 10 bytes or past 64 bits, a length past the message's end, field
            /// number 0 or too large, a group or unknown wire type, bytes cut short.
            case malformed
            /// More than `maxFieldsPerMessage` fields.
            case tooManyFields
        }

        /// One field: its number and wire type, the value of a varint or fixed field in `scalar`,
        /// the bytes of a length-delimited field in `slice` (offsets into the packet).
        public struct Field: Sendable, Equatable {
            public var number: UInt32
            public var wireType: WireType
            public var scalar: UInt64 = 0
            public var slice = Slice.none
        }

        /// Walks the fields of one message lying in `slice` of the packet. `next` returns nil at
        /// the end or on the first bad byte; `failure` then tells which.
        public struct Reader: Sendable {
            public private(set) var offset: Int
            public let end: Int
            public private(set) var fieldCount = 0
            public private(set) var failure: Failure?

            public init(_ slice: Slice) {
                offset = slice.offset
                end = slice.end
            }

            public var isAtEnd: Bool { offset >= end }

            public mutating func next(_ bytes: Span<UInt8>) -> Field? {
                guard failure == nil, offset < end else { return nil }
                guard fieldCount < maxFieldsPerMessage else { return fail(.tooManyFields) }
                guard let tag = varint(bytes), tag >> 3 != 0, tag >> 3 <= maxFieldNumber else {
                    return fail(.malformed)
                }
                guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: tag & 0x07)) else {
                    return fail(.malformed)
                }
                var field = Field(number: UInt32(truncatingIfNeeded: tag >> 3), wireType: wireType)
                switch wireType {
                case .varint:
                    guard let value = varint(bytes) else { return fail(.malformed) }
                    field.scalar = value
                case .fixed64:
                    guard let value = littleEndian(bytes, count: 8) else { return fail(.malformed) }
                    field.scalar = value
                case .fixed32:
                    guard let value = littleEndian(bytes, count: 4) else { return fail(.malformed) }
                    field.scalar = value
                case .lengthDelimited:
                    guard let length = varint(bytes), length <= UInt64(end &- offset) else { return fail(.malformed) }
                    field.slice = Slice(offset: offset, length: Int(truncatingIfNeeded: length))
                    offset &+= Int(truncatingIfNeeded: length)
                }
                fieldCount &+= 1
                return field
            }

            private mutating func fail(_ reason: Failure) -> Field? {
                failure = reason
                offset = end
                return nil
            }

            /// A base-128 varint, least significant group first; nil (no move) when cut short,
            /// longer than 10 bytes, or carrying bits past 64.
            mutating func varint(_ bytes: Span<UInt8>) -> UInt64? {
                var value: UInt64 = 0
                var position = offset
                for index in 0..<maxVarintBytes {
                    guard position < end, let byte = bytes.byte(at: position) else { return nil }
                    position &+= 1
                    // The tenth byte holds bit 63 only.
                    if index == maxVarintBytes &- 1 && byte > 1 { return nil }
                    value |= UInt64(byte & 0x7f) << UInt64(7 &* index)
                    if byte & 0x80 == 0 {
                        offset = position
                        return value
                    }
                }
                return nil
            }

            private mutating func littleEndian(_ bytes: Span<UInt8>, count: Int) -> UInt64? {
                guard end &- offset >= count else { return nil }
                var value: UInt64 = 0
                for index in 0..<count {
                    guard let byte = bytes.byte(at: offset &+ index) else { return nil }
                    value |= UInt64(byte) << UInt64(8 &* index)
                }
                offset &+= count
                return value
            }
        }
    }
}
