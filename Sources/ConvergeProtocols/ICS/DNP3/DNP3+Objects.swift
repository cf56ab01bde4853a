extension DNP3 {
    /// Object headers (IEEE 1815 clause 4.2.2.7): group, variation, qualifier (prefix code in
    /// bits 4–6, range specifier in bits 0–3), the range or count, then the objects, each with
    /// an index or size prefix when the qualifier says so.
    public enum Objects {
        /// Object headers walked in one fragment; more are flagged and left unwalked.
        public static let maxHeaders = 256
        /// Points an event lists for one message; more are flagged and left out.
        public static let maxPoints = 2048

        /// How big the objects of one group and variation are.
        public enum Size: Sendable, Equatable {
            /// Bytes per object.
            case fixed(Int)
            /// Bits per object, packed without prefixes.
            case packed(bits: Int)
            /// Group 0 device attributes: data type, length, value.
            case attribute
            /// Only with a size prefix (free-format qualifier 0x5B): files, authentication.
            case freeFormat
            case unknown
        }

        /// One object header as offsets into the fragment, so walking allocates nothing.
        public struct Header: Sendable, Equatable {
            public var group: UInt8
            public var variation: UInt8
            public var qualifier: UInt8
            /// First index of a start–stop range, 0 otherwise.
            public var start: UInt32 = 0
            /// Objects the header announces (the range's span or the count); 0 for "all".
            public var count: UInt64 = 0
            /// Offset of the header within the fragment.
            public var offset: Int
            /// Where its objects start and end (equal when it carries none).
            public var dataOffset: Int = 0
            public var dataEnd: Int = 0
            public var size: Size = .unknown
            /// Whether its objects carry data (false in read-style requests).
            public var carriesData = true

            public var prefixCode: UInt8 { (qualifier >> 4) & 0x07 }
            public var rangeCode: UInt8 { qualifier & 0x0f }
            /// Whether the range is a start–stop range (indexes are start…start+count-1).
            public var isRange: Bool { rangeCode <= 5 }
            /// Qualifier 0x06: every point of the group, no range.
            public var isAll: Bool { rangeCode == 6 }
            /// Bytes of the index prefix of each object (0, 1, 2 or 4).
            public var indexPrefixLength: Int { Objects.width(prefixCode) }
            /// Bytes of the size prefix of each object (0, 1, 2 or 4).
            public var sizePrefixLength: Int { prefixCode >= 4 ? Objects.width(prefixCode &- 3) : 0 }
        }

        /// 0 → 0, 1 → 1, 2 → 2, 3 → 4 bytes (prefix and range widths).
        static func width(_ code: UInt8) -> Int {
            switch code {
            case 1: 1
            case 2: 2
            case 3: 4
            default: 0
            }
        }

        /// What walking a fragment found.
        public struct Walk: Sendable, Equatable {
            public var headers = 0
            public var touched = Touched(rawValue: 0)
            public var anomalies = Anomalies(rawValue: 0)
        }

        /// Walks the object headers from `start`, calling `body` for each whole header. Stops at
        /// the first header it cannot size or that runs past the end (an anomaly), or after
        /// `maxHeaders`.
        static func walk(
            _ fragment: Span<UInt8>, from start: Int, headersOnly: Bool, _ body: (Header) -> Void
        ) -> Walk {
            var result = Walk()
            var offset = start
            while offset < fragment.count {
                guard result.headers < maxHeaders else {
                    result.anomalies.insert(.tooManyObjectHeaders)
                    break
                }
                guard var header = readHeader(fragment, at: offset, anomalies: &result.anomalies) else { break }
                result.touched.formUnion(touched(group: header.group))
                header.carriesData = !headersOnly
                header.size = size(group: header.group, variation: header.variation)
                guard let end = objectsEnd(fragment, header: header, anomalies: &result.anomalies) else { break }
                header.dataEnd = end
                result.headers &+= 1
                body(header)
                offset = end
            }
            return result
        }

        /// Reads group, variation, qualifier and range at `offset`; nil (with an anomaly) when
        /// they do not fit or the qualifier is reserved.
        static func readHeader(_ fragment: Span<UInt8>, at offset: Int, anomalies: inout Anomalies) -> Header? {
            guard offset &+ 3 <= fragment.count else {
                anomalies.insert(.objectsTruncated)
                return nil
            }
            var header = Header(
                group: fragment[offset], variation: fragment[offset &+ 1], qualifier: fragment[offset &+ 2],
                offset: offset)
            let rangeOffset = offset &+ 3
            let range = header.rangeCode
            let rangeWidth: Int
            switch range {
            case 0...5: rangeWidth = width(range % 3 &+ 1) &* 2
            case 6: rangeWidth = 0
            case 7...9: rangeWidth = width(range &- 6)
            case 0x0b: rangeWidth = 1
            default:
                anomalies.insert(.invalidQualifier)
                return nil
            }
            guard header.qualifier & 0x80 == 0, header.prefixCode != 7 else {
                anomalies.insert(.invalidQualifier)
                return nil
            }
            guard rangeOffset &+ rangeWidth <= fragment.count else {
                anomalies.insert(.objectsTruncated)
                return nil
            }
            switch range {
            case 0...5:
                let half = rangeWidth / 2
                let first = littleEndian(fragment, at: rangeOffset, width: half)
                let last = littleEndian(fragment, at: rangeOffset &+ half, width: half)
                guard last >= first else {
                    anomalies.insert(.invalidRange)
                    return nil
                }
                header.start = first
                header.count = UInt64(last) &- UInt64(first) &+ 1
            case 6:
                header.count = 0
            default:
                header.count = UInt64(littleEndian(fragment, at: rangeOffset, width: rangeWidth))
            }
            header.dataOffset = rangeOffset &+ rangeWidth
            return header
        }

        /// Where the header's objects end, or nil (with an anomaly) when they cannot be sized or
        /// run past the fragment.
        static func objectsEnd(_ fragment: Span<UInt8>, header: Header, anomalies: inout Anomalies) -> Int? {
            if header.isAll { return header.dataOffset }
            let indexLength = header.indexPrefixLength
            let sizeLength = header.sizePrefixLength
            var end = header.dataOffset
            let limit = fragment.count
            // Objects whose length is read from the wire one by one: each takes at least one byte,
            // so the loop ends within the fragment whatever the count says.
            func walkEach(_ objectLength: (Int) -> Int?) -> Int? {
                var remaining = header.count
                while remaining > 0 {
                    guard let length = objectLength(end), length > 0, end &+ length <= limit else {
                        anomalies.insert(.objectsTruncated)
                        return nil
                    }
                    end &+= length
                    remaining &-= 1
                }
                return end
            }
            if sizeLength > 0 {
                return walkEach { at in
                    guard at &+ sizeLength <= limit else { return nil }
                    return sizeLength &+ Int(littleEndian(fragment, at: at, width: sizeLength))
                }
            }
            guard header.carriesData else {
                return fixedEnd(header, objectLength: indexLength, limit: limit, anomalies: &anomalies)
            }
            switch header.size {
            case .fixed(let bytes):
                return fixedEnd(header, objectLength: indexLength &+ bytes, limit: limit, anomalies: &anomalies)
            case .packed(let bits):
                guard indexLength == 0 else {
                    anomalies.insert(.invalidQualifier)
                    return nil
                }
                let (totalBits, overflow) = header.count.multipliedReportingOverflow(by: UInt64(bits))
                let bytes = (totalBits &+ 7) / 8
                guard !overflow, bytes <= UInt64(limit &- end) else {
                    anomalies.insert(.objectsTruncated)
                    return nil
                }
                return end &+ Int(bytes)
            case .attribute:
                return walkEach { at in
                    let lengthAt = at &+ indexLength &+ 1
                    guard lengthAt < limit else { return nil }
                    return indexLength &+ 2 &+ Int(fragment[lengthAt])
                }
            case .freeFormat, .unknown:
                anomalies.insert(.unknownObject)
                return nil
            }
        }

        /// End of `count` objects of `objectLength` bytes each, checked against `limit`.
        static func fixedEnd(_ header: Header, objectLength: Int, limit: Int, anomalies: inout Anomalies) -> Int? {
            let (bytes, overflow) = header.count.multipliedReportingOverflow(by: UInt64(objectLength))
            guard !overflow, bytes <= UInt64(max(0, limit &- header.dataOffset)) else {
                anomalies.insert(.objectsTruncated)
                return nil
            }
            return header.dataOffset &+ Int(bytes)
        }

        /// An unsigned little-endian value of 1, 2 or 4 bytes; the caller checked the bounds.
        static func littleEndian(_ bytes: Span<UInt8>, at offset: Int, width: Int) -> UInt32 {
            var value: UInt32 = 0
            var index = 0
            while index < width, offset &+ index < bytes.count {
                value |= UInt32(bytes[offset &+ index]) << UInt32(8 &* index)
                index &+= 1
            }
            return value
        }

        static func touched(group: UInt8) -> Touched {
            switch group {
            case 0: .deviceAttributes
            case 12: .crob
            case 41: .analogOutput
            case 50: .time
            case 60: .classData
            case 70: .file
            case 80: .internalIndications
            case 120: .authentication
            default: []
            }
        }
    }
}
