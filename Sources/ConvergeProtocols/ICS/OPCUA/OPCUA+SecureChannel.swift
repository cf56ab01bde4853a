import ConvergeWire

extension OPCUA {
    /// The security policy an OpenSecureChannel names in its asymmetric security header.
    public enum SecurityPolicy: UInt8, Sendable, Equatable {
        /// No OPN seen on this flow yet.
        case unknown = 0
        case none, basic128Rsa15, basic256, basic256Sha256, aes128Sha256RsaOaep, aes256Sha256RsaPss
        /// A URI that is none of the standard ones (vendor policy or garbage).
        case other

        /// Every standard policy's URI fragment after `#`.
        static let fragments: [(SecurityPolicy, StaticString)] = [
            (.none, "None"), (.basic128Rsa15, "Basic128Rsa15"), (.basic256, "Basic256"),
            (.basic256Sha256, "Basic256Sha256"), (.aes128Sha256RsaOaep, "Aes128_Sha256_RsaOaep"),
            (.aes256Sha256RsaPss, "Aes256_Sha256_RsaPss"),
        ]
        static let prefix: StaticString = "http://opcfoundation.org/UA/SecurityPolicy#"

        /// The policy whose URI is the `length` bytes at `offset` of `bytes`.
        static func from(_ bytes: Span<UInt8>, offset: Int, length: Int) -> SecurityPolicy {
            let prefixLength = prefix.utf8CodeUnitCount
            guard length > prefixLength, matches(bytes, offset: offset, prefix) else { return .other }
            let rest = offset &+ prefixLength
            let restLength = length &- prefixLength
            for (policy, fragment) in fragments where fragment.utf8CodeUnitCount == restLength {
                if matches(bytes, offset: rest, fragment) { return policy }
            }
            return .other
        }

        static func matches(_ bytes: Span<UInt8>, offset: Int, _ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard offset >= 0, offset &+ count <= bytes.count else { return false }
            return text.withUTF8Buffer { utf8 in
                for index in 0..<count where bytes[offset &+ index] != utf8[index] { return false }
                return true
            }
        }

        public var name: String {
            switch self {
            case .unknown: "unknown"
            case .none: "None"
            case .basic128Rsa15: "Basic128Rsa15"
            case .basic256: "Basic256"
            case .basic256Sha256: "Basic256Sha256"
            case .aes128Sha256RsaOaep: "Aes128_Sha256_RsaOaep"
            case .aes256Sha256RsaPss: "Aes256_Sha256_RsaPss"
            case .other: "other"
            }
        }

        /// Basic128Rsa15 and Basic256 are deprecated (SHA-1, PKCS#1 v1.5) by OPC 10000-7.
        public var isDeprecated: Bool { self == .basic128Rsa15 || self == .basic256 }
    }

    /// MessageSecurityMode (OPC 10000-4 §7.20): what a channel does to MSG bodies.
    public enum SecurityMode: UInt8, Sendable, Equatable {
        /// Not known: no OPN seen, or its request was encrypted and no MSG has told yet.
        case unknown = 0
        case none = 1
        case sign = 2
        case signAndEncrypt = 3

        public var name: String {
            switch self {
            case .unknown: "unknown"
            case .none: "none"
            case .sign: "sign"
            case .signAndEncrypt: "sign_and_encrypt"
            }
        }
    }

    /// The longest security policy URI accepted (standard ones are under 70 bytes).
    public static let maxPolicyURILength = 256
    /// The longest sender certificate (chain) accepted in an asymmetric security header.
    public static let maxCertificateLength = 64 << 10

    /// What an OPN chunk's asymmetric security header says; offsets relative to the chunk.
    struct AsymmetricHeader {
        var policy: SecurityPolicy
        var policyOffset: Int
        var policyLength: Int
        var certificateLength: Int
        var thumbprintLength: Int
        /// Offset of the sequence header that follows.
        var end: Int
    }

    /// Reads the asymmetric security header after the secure channel id (offset 12).
    static func asymmetricHeader(_ chunk: Span<UInt8>) -> AsymmetricHeader? {
        var r = WireReader(chunk)
        guard r.skip(headerLength &+ 4), let uri = Binary.readBytes(&r),
            let certificate = Binary.readBytes(&r), let thumbprint = Binary.readBytes(&r)
        else { return nil }
        guard uri.length <= maxPolicyURILength, certificate.length <= maxCertificateLength else { return nil }
        let policy =
            uri.isEmpty ? SecurityPolicy.other : SecurityPolicy.from(chunk, offset: uri.offset, length: uri.length)
        return AsymmetricHeader(
            policy: policy, policyOffset: uri.offset, policyLength: max(0, uri.length),
            certificateLength: max(0, certificate.length), thumbprintLength: max(0, thumbprint.length), end: r.offset)
    }

    /// The flow's secure channel as seen so far (one channel per TCP connection, OPC 10000-6 §7.1).
    public struct Channel: Sendable, Equatable {
        public var id: UInt32 = 0
        public var policy: SecurityPolicy = .unknown
        public var mode: SecurityMode = .unknown

        /// Whether MSG/CLO bodies are readable: not encrypted (None, or Sign-only).
        public var bodiesReadable: Bool { mode == .none || mode == .sign || policy == .none }
    }
}
