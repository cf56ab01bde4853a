extension TLS {
    /// Record content types (RFC 8446 5.1; heartbeat RFC 6520).
    public enum ContentType: UInt8, Sendable {
        case changeCipherSpec = 20
        case alert = 21
        case handshake = 22
        case applicationData = 23
        case heartbeat = 24
    }

    /// A validated record header.
    public struct RecordHeader: Sendable, Equatable {
        public var type: ContentType
        public var version: UInt16
        public var length: Int

        /// The header at the front of `bytes`, or nil when there are fewer than 5 bytes or they
        /// cannot be a TLS record header.
        static func read(_ bytes: Span<UInt8>) -> RecordHeader? {
            guard let rawType = bytes.byte(at: 0), let type = ContentType(rawValue: rawType),
                let version = bytes.uint16BE(at: 1), let length = bytes.uint16BE(at: 3),
                version >> 8 == 3, version & 0xff <= 4, Int(length) <= maxRecordLength
            else { return nil }
            return RecordHeader(type: type, version: version, length: Int(length))
        }
    }

    /// Protocol version names (`tls1.2`), for events.
    public static func versionName(_ version: UInt16) -> String {
        switch version {
        case 0x0300: "ssl3.0"
        case 0x0301: "tls1.0"
        case 0x0302: "tls1.1"
        case 0x0303: "tls1.2"
        case 0x0304: "tls1.3"
        case 0x0002: "ssl2.0"
        default: isGREASE(version) ? "grease" : "0x" + String(version, radix: 16)
        }
    }

    /// GREASE values (RFC 8701): 0x0A0A, 0x1A1A, … 0xFAFA. Fingerprints leave them out.
    @inline(__always)
    public static func isGREASE(_ value: UInt16) -> Bool {
        value & 0x0f0f == 0x0a0a && value >> 8 == value & 0xff
    }
}
