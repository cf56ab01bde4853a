import Crypto

extension TLS {
    /// TLS client and server fingerprints. Computed only for events (they build strings and hash).
    public enum Fingerprint {
        /// JA3 string (Salesforce): `version,ciphers,extensions,groups,point_formats`, decimal values
        /// joined by `-`, GREASE values left out.
        public static func ja3String(_ hello: ClientDetails) -> String {
            String(decoding: ja3Bytes(hello), as: UTF8.self)
        }

        /// The JA3 string's bytes. Fingerprints are built byte by byte: joining a string per number
        /// cost an allocation each, for every sampled hello of the inventory's feed.
        static func ja3Bytes(_ hello: ClientDetails) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(256)
            appendDecimal(hello.legacyVersion, to: &out)
            out.append(comma)
            appendDecimals(hello.cipherSuites, to: &out)
            out.append(comma)
            appendDecimals(hello.extensions, to: &out)
            out.append(comma)
            appendDecimals(hello.supportedGroups, to: &out)
            out.append(comma)
            for (i, format) in hello.pointFormats.enumerated() {
                if i > 0 { out.append(dash) }
                appendDecimal(UInt16(format), to: &out)
            }
            return out
        }

        /// JA3: the MD5 of the JA3 string, lowercase hex.
        public static func ja3(_ hello: ClientDetails) -> String { hex(Insecure.MD5.hash(data: ja3Bytes(hello))) }

        /// JA3S string: `version,cipher,extensions` of a ServerHello.
        public static func ja3sString(version: UInt16, cipher: UInt16, extensions: [UInt16]) -> String {
            "\(version),\(cipher),\(decimal(extensions))"
        }

        /// JA4 (FoxIO, technical_details/JA4.md) for TLS over TCP: `t13d1516h2_<12>_<12>`.
        public static func ja4(_ hello: ClientDetails) -> String {
            let ciphers = hello.cipherSuites.filter { !isGREASE($0) }
            let extensions = hello.extensions.filter { !isGREASE($0) }
            let prefix =
                "t" + ja4Version(hello.version) + (hello.hasServerNameExtension ? "d" : "i")
                + twoDigits(ciphers.count) + twoDigits(extensions.count) + ja4ALPN(hello.alpn.first)
            var cipherList: [UInt8] = []
            appendHex4List(ciphers.sorted(), to: &cipherList)
            // The sorted extensions, then `_` and the signature algorithms when there are any.
            var extensionInput: [UInt8] = []
            appendHex4List(
                extensions.filter { $0 != ExtensionType.serverName && $0 != ExtensionType.alpn }.sorted(),
                to: &extensionInput)
            let noExtensions = extensionInput.isEmpty
            let signatures = hello.signatureAlgorithms.filter { !isGREASE($0) }
            if !signatures.isEmpty {
                extensionInput.append(UInt8(ascii: "_"))
                appendHex4List(signatures, to: &extensionInput)
            }
            let b = ciphers.isEmpty ? zeroHash : sha256Prefix(cipherList)
            let c = noExtensions ? zeroHash : sha256Prefix(extensionInput)
            return prefix + "_" + b + "_" + c
        }

        static let zeroHash = "000000000000"

        static func ja4Version(_ version: UInt16) -> String {
            switch version {
            case 0x0304: "13"
            case 0x0303: "12"
            case 0x0302: "11"
            case 0x0301: "10"
            case 0x0300: "s3"
            case 0x0002: "s2"
            case 0xfeff: "d1"
            case 0xfefd: "d2"
            case 0xfefc: "d3"
            default: "00"
            }
        }

        /// First and last characters of the first ALPN value; its hex form's first and last
        /// characters when either end byte is not alphanumeric; `00` when there is none.
        static func ja4ALPN(_ value: [UInt8]?) -> String {
            guard let value, let first = value.first, let last = value.last else { return "00" }
            if isAlphanumeric(first) && isAlphanumeric(last) {
                return String(decoding: [first, last], as: UTF8.self)
            }
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(first >> 4)], digits[Int(last & 0x0f)]], as: UTF8.self)
        }

        static func isAlphanumeric(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
        }

        static func twoDigits(_ count: Int) -> String {
            let capped = min(count, 99)
            return capped < 10 ? "0\(capped)" : String(capped)
        }

        static func decimal(_ values: [UInt16]) -> String {
            var out: [UInt8] = []
            appendDecimals(values, to: &out)
            return String(decoding: out, as: UTF8.self)
        }

        static func hex4(_ value: UInt16) -> String {
            var out: [UInt8] = []
            appendHex4(value, to: &out)
            return String(decoding: out, as: UTF8.self)
        }

        static let comma = UInt8(ascii: ",")
        static let dash = UInt8(ascii: "-")
        static let hexDigits = Array("0123456789abcdef".utf8)

        /// The value in decimal, no leading zeros.
        static func appendDecimal(_ value: UInt16, to out: inout [UInt8]) {
            if value >= 10 { appendDecimal(value / 10, to: &out) }
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10))
        }

        /// The non-GREASE values in decimal, joined by `-`.
        static func appendDecimals(_ values: [UInt16], to out: inout [UInt8]) {
            var first = true
            for value in values where !isGREASE(value) {
                if !first { out.append(dash) }
                first = false
                appendDecimal(value, to: &out)
            }
        }

        /// Four lowercase hex digits.
        static func appendHex4(_ value: UInt16, to out: inout [UInt8]) {
            out.append(hexDigits[Int(value >> 12 & 0xf)])
            out.append(hexDigits[Int(value >> 8 & 0xf)])
            out.append(hexDigits[Int(value >> 4 & 0xf)])
            out.append(hexDigits[Int(value & 0xf)])
        }

        /// Each value as four hex digits, joined by `,`.
        static func appendHex4List(_ values: [UInt16], to out: inout [UInt8]) {
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(comma) }
                appendHex4(value, to: &out)
            }
        }

        static func hex(_ bytes: some Sequence<UInt8>) -> String {
            let digits = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            for byte in bytes {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
            return String(decoding: out, as: UTF8.self)
        }

        public static func md5(_ text: String) -> String { hex(Insecure.MD5.hash(data: Array(text.utf8))) }

        static func sha256Prefix(_ text: String) -> String { sha256Prefix(Array(text.utf8)) }

        /// The first 12 hex digits of the SHA-256 of `bytes`.
        static func sha256Prefix(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes).prefix(6)) }
    }
}
