import ConvergeWire

extension TLS {
    /// Extensions walked per hello; more are flagged `tooManyExtensions` and not read.
    public static let maxExtensions = 256
    /// Length of the hello random.
    static let randomLength = 32

    /// Extension types read here (IANA "TLS ExtensionType Values").
    public enum ExtensionType {
        public static let serverName: UInt16 = 0
        public static let supportedGroups: UInt16 = 10
        public static let ecPointFormats: UInt16 = 11
        public static let signatureAlgorithms: UInt16 = 13
        public static let alpn: UInt16 = 16
        public static let supportedVersions: UInt16 = 43
    }

    /// How an extension block walked.
    struct ExtensionWalk {
        var count = 0
        var malformed = false
        var truncated = false
    }

    /// Calls `body` with each extension's type and value range in `block` (offsets into `bytes`),
    /// at most `maxExtensions` of them.
    @discardableResult
    static func forEachExtension(
        _ bytes: Span<UInt8>, _ block: Range<Int>, _ body: (UInt16, Range<Int>) -> Void
    ) -> ExtensionWalk {
        var walk = ExtensionWalk()
        var offset = block.lowerBound
        while offset < block.upperBound {
            guard walk.count < maxExtensions else {
                walk.truncated = true
                return walk
            }
            guard offset &+ 4 <= block.upperBound, let type = bytes.uint16BE(at: offset),
                let length = bytes.uint16BE(at: offset &+ 2)
            else {
                walk.malformed = true
                return walk
            }
            let start = offset &+ 4
            let end = start &+ Int(length)
            guard end <= block.upperBound else {
                walk.malformed = true
                return walk
            }
            body(type, start..<end)
            walk.count &+= 1
            offset = end
        }
        return walk
    }

    /// A ClientHello body as offsets (RFC 8446 4.1.2; RFC 5246 7.4.1.2).
    public struct ClientHello: Sendable, Equatable {
        public var legacyVersion: UInt16
        public var sessionID: Range<Int>
        /// The cipher suite list (2 bytes each).
        public var cipherSuites: Range<Int>
        public var compressionMethods: Range<Int>
        /// The extension block without its length; empty when there are none.
        public var extensions: Range<Int>
        public var extensionsMalformed = false
        public var extensionsTruncated = false

        /// Nil when the fixed fields do not fit; extension trouble is only flagged.
        public static func read(_ body: Span<UInt8>) -> ClientHello? {
            var r = WireReader(body)
            guard let version = r.u16be(), r.skip(randomLength), let sidLength = r.u8() else { return nil }
            let sidStart = r.offset
            guard sidLength <= 32, r.skip(Int(sidLength)), let cipherLength = r.u16be(), cipherLength & 1 == 0 else {
                return nil
            }
            let cipherStart = r.offset
            guard r.skip(Int(cipherLength)), let compressionLength = r.u8() else { return nil }
            let compressionStart = r.offset
            guard r.skip(Int(compressionLength)) else { return nil }
            var hello = ClientHello(
                legacyVersion: version, sessionID: sidStart..<(sidStart &+ Int(sidLength)),
                cipherSuites: cipherStart..<(cipherStart &+ Int(cipherLength)),
                compressionMethods: compressionStart..<(compressionStart &+ Int(compressionLength)),
                extensions: r.offset..<r.offset)
            guard !r.isAtEnd else { return hello }
            guard let extensionsLength = r.u16be(), r.remaining >= Int(extensionsLength) else {
                hello.extensionsMalformed = true
                return hello
            }
            hello.extensions = r.offset..<(r.offset &+ Int(extensionsLength))
            if r.remaining != Int(extensionsLength) { hello.extensionsMalformed = true }
            let walk = forEachExtension(body, hello.extensions) { _, _ in }
            hello.extensionsMalformed = hello.extensionsMalformed || walk.malformed
            hello.extensionsTruncated = walk.truncated
            return hello
        }

        /// The highest non-GREASE version in supported_versions, else the legacy version.
        public func highestVersion(_ body: Span<UInt8>) -> UInt16 {
            var best: UInt16 = 0
            forEachExtension(body, extensions) { type, value in
                guard type == ExtensionType.supportedVersions, let count = body.byte(at: value.lowerBound) else {
                    return
                }
                var offset = value.lowerBound &+ 1
                let end = min(value.upperBound, offset &+ Int(count))
                while offset &+ 2 <= end, let version = body.uint16BE(at: offset) {
                    if !isGREASE(version) { best = max(best, version) }
                    offset &+= 2
                }
            }
            return best == 0 ? legacyVersion : best
        }
    }

    /// A ServerHello body as offsets.
    public struct ServerHello: Sendable, Equatable {
        public var legacyVersion: UInt16
        public var cipherSuite: UInt16
        public var compressionMethod: UInt8
        public var extensions: Range<Int>
        /// supported_versions when present (TLS 1.3), else the legacy version.
        public var selectedVersion: UInt16
        public var extensionsMalformed = false

        public static func read(_ body: Span<UInt8>) -> ServerHello? {
            var r = WireReader(body)
            guard let version = r.u16be(), r.skip(randomLength), let sidLength = r.u8(), sidLength <= 32,
                r.skip(Int(sidLength)), let cipher = r.u16be(), let compression = r.u8()
            else { return nil }
            var hello = ServerHello(
                legacyVersion: version, cipherSuite: cipher, compressionMethod: compression,
                extensions: r.offset..<r.offset, selectedVersion: version)
            guard !r.isAtEnd else { return hello }
            guard let extensionsLength = r.u16be(), r.remaining >= Int(extensionsLength) else {
                hello.extensionsMalformed = true
                return hello
            }
            hello.extensions = r.offset..<(r.offset &+ Int(extensionsLength))
            if r.remaining != Int(extensionsLength) { hello.extensionsMalformed = true }
            var selected: UInt16 = 0
            let walk = forEachExtension(body, hello.extensions) { type, value in
                if type == ExtensionType.supportedVersions, value.count == 2,
                    let v = body.uint16BE(at: value.lowerBound)
                {
                    selected = v
                }
            }
            if selected != 0 { hello.selectedVersion = selected }
            hello.extensionsMalformed = hello.extensionsMalformed || walk.malformed
            return hello
        }
    }
}
