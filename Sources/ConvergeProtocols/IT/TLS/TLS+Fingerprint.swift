import Crypto

extension TLS {
    /// TLS client and server fingerprints. Computed only for events (they build strings and hash).
    public enum Fingerprint {
        /// JA3 string (Salesforce): `version,ciphers,extensions,groups,point_formats`, decimal values
        /// joined by `-`, GREASE values left out.
        public static func ja3String(_ hello: ClientDetails) -> String {
            [
                String(hello.legacyVersion),
                decimal(hello.cipherSuites),
                decimal(hello.extensions),
                decimal(hello.supportedGroups),
                hello.pointFormats.map { String($0) }.joined(separator: "-"),
            ].joined(separator: ",")
        }

        /// JA3: the MD5 of the JA3 string, lowercase hex.
        public static func ja3(_ hello: ClientDetails) -> String { md5(ja3String(hello)) }

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
            let cipherList = ciphers.sorted().map(hex4).joined(separator: ",")
            let sortedExtensions =
                extensions
                .filter { $0 != ExtensionType.serverName && $0 != ExtensionType.alpn }
                .sorted().map(hex4).joined(separator: ",")
            let signatures = hello.signatureAlgorithms.filter { !isGREASE($0) }.map(hex4).joined(separator: ",")
            let b = ciphers.isEmpty ? zeroHash : sha256Prefix(cipherList)
            let extensionInput = signatures.isEmpty ? sortedExtensions : sortedExtensions + "_" + signatures
            let c = sortedExtensions.isEmpty ? zeroHash : sha256Prefix(extensionInput)
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
            values.filter { !isGREASE($0) }.map { String($0) }.joined(separator: "-")
        }

        static func hex4(_ value: UInt16) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 4 &- text.count) + text
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

        static func sha256Prefix(_ text: String) -> String {
            String(hex(SHA256.hash(data: Array(text.utf8))).prefix(12))
        }
    }
}
