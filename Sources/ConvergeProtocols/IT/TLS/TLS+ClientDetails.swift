extension TLS {
    /// Server names and ALPN protocols longer than this are cut in events (a DNS name is ≤ 253).
    public static let maxNameLength = 255
    /// ALPN protocols kept per hello for events.
    public static let maxALPNProtocols = 16

    /// Everything a ClientHello offers, read for events and fingerprints (allocates: events only).
    public struct ClientDetails: Sendable, Equatable {
        public var legacyVersion: UInt16 = 0
        /// supported_versions in order, GREASE included (the fingerprints drop it).
        public var supportedVersions: [UInt16] = []
        public var cipherSuites: [UInt16] = []
        /// Extension types in the order sent, GREASE included.
        public var extensions: [UInt16] = []
        public var supportedGroups: [UInt16] = []
        public var pointFormats: [UInt8] = []
        public var signatureAlgorithms: [UInt16] = []
        /// The host_name entry of server_name, as sent (cut to `maxNameLength`).
        public var serverName: String?
        public var hasServerNameExtension = false
        /// ALPN protocols as raw bytes (JA4 needs the bytes), in order.
        public var alpn: [[UInt8]] = []

        /// The highest non-GREASE supported version, else the legacy version.
        public var version: UInt16 {
            supportedVersions.filter { !isGREASE($0) }.max() ?? legacyVersion
        }

        public var alpnNames: [String] { alpn.map { String(decoding: $0, as: UTF8.self) } }

        public init() {}

        /// Reads a ClientHello body; nil when its fixed fields do not fit.
        public init?(_ body: Span<UInt8>) {
            guard let hello = ClientHello.read(body) else { return nil }
            legacyVersion = hello.legacyVersion
            cipherSuites = Self.u16List(body, hello.cipherSuites)
            var details = self
            forEachExtension(body, hello.extensions) { type, value in
                details.extensions.append(type)
                details.read(type, value, body)
            }
            self = details
        }

        private mutating func read(_ type: UInt16, _ value: Range<Int>, _ body: Span<UInt8>) {
            switch type {
            case ExtensionType.serverName:
                hasServerNameExtension = true
                serverName = Self.hostName(body, value)
            case ExtensionType.supportedGroups:
                supportedGroups = Self.u16List(body, Self.prefixed16(body, value))
            case ExtensionType.ecPointFormats:
                if let count = body.byte(at: value.lowerBound) {
                    let end = min(value.upperBound, value.lowerBound &+ 1 &+ Int(count))
                    for index in (value.lowerBound &+ 1)..<max(end, value.lowerBound &+ 1) {
                        if let byte = body.byte(at: index) { pointFormats.append(byte) }
                    }
                }
            case ExtensionType.signatureAlgorithms:
                signatureAlgorithms = Self.u16List(body, Self.prefixed16(body, value))
            case ExtensionType.alpn:
                alpn = Self.protocols(body, Self.prefixed16(body, value))
            case ExtensionType.supportedVersions:
                if let count = body.byte(at: value.lowerBound) {
                    let start = value.lowerBound &+ 1
                    supportedVersions = Self.u16List(body, start..<min(value.upperBound, start &+ Int(count)))
                }
            default:
                break
            }
        }

        /// The range after a 2-byte length inside `value`, clipped to it.
        static func prefixed16(_ body: Span<UInt8>, _ value: Range<Int>) -> Range<Int> {
            guard let length = body.uint16BE(at: value.lowerBound) else { return value.upperBound..<value.upperBound }
            let start = min(value.lowerBound &+ 2, value.upperBound)
            return start..<min(value.upperBound, start &+ Int(length))
        }

        static func u16List(_ body: Span<UInt8>, _ range: Range<Int>) -> [UInt16] {
            var list: [UInt16] = []
            list.reserveCapacity(range.count / 2)
            var offset = range.lowerBound
            while offset &+ 2 <= range.upperBound, let value = body.uint16BE(at: offset) {
                list.append(value)
                offset &+= 2
            }
            return list
        }

        /// The first host_name (type 0) in a server_name list.
        static func hostName(_ body: Span<UInt8>, _ value: Range<Int>) -> String? {
            let list = prefixed16(body, value)
            var offset = list.lowerBound
            while offset &+ 3 <= list.upperBound, let type = body.byte(at: offset),
                let length = body.uint16BE(at: offset &+ 1)
            {
                let start = offset &+ 3
                let end = min(start &+ Int(length), list.upperBound)
                if type == 0 { return text(body, start..<end) }
                offset = start &+ Int(length)
            }
            return nil
        }

        static func protocols(_ body: Span<UInt8>, _ list: Range<Int>) -> [[UInt8]] {
            var out: [[UInt8]] = []
            var offset = list.lowerBound
            while offset < list.upperBound, out.count < maxALPNProtocols, let length = body.byte(at: offset) {
                let start = offset &+ 1
                let end = min(start &+ Int(length), list.upperBound)
                out.append(bytes(body, start..<end))
                offset = start &+ Int(length)
            }
            return out
        }

        static func bytes(_ body: Span<UInt8>, _ range: Range<Int>) -> [UInt8] {
            var out: [UInt8] = []
            let end = min(range.upperBound, range.lowerBound &+ maxNameLength, body.count)
            guard range.lowerBound < end else { return out }
            out.reserveCapacity(end &- range.lowerBound)
            for index in range.lowerBound..<end { out.append(body[index]) }
            return out
        }

        /// Wire text kept as data: decoded as UTF-8 (invalid bytes replaced), cut to `maxNameLength`.
        static func text(_ body: Span<UInt8>, _ range: Range<Int>) -> String {
            String(decoding: bytes(body, range), as: UTF8.self)
        }
    }
}
