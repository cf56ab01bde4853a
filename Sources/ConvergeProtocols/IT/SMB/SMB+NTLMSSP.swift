import ConvergeModel

extension SMB {
    /// NTLM authentication messages ([MS-NLMP] 2.2.1), as SMB carries them inside SPNEGO.
    ///
    /// The SPNEGO wrapping is not decoded: the NTLMSSP signature is looked for within the first
    /// `maxScan` bytes of the security buffer, which is where every SPNEGO token puts it.
    public enum NTLMSSP {
        /// "NTLMSSP\0" as two big-endian words, and its length.
        static let signatureHigh: UInt32 = 0x4E54_4C4D
        static let signatureLow: UInt32 = 0x5353_5000
        static let signatureLength = 8
        /// How far into a security buffer the signature is looked for.
        public static let maxScan = 256
        public static let negotiate: UInt8 = 1
        public static let challenge: UInt8 = 2
        public static let authenticate: UInt8 = 3
        /// NTLMSSP_NEGOTIATE_UNICODE: strings are UTF-16LE, else OEM (read as ASCII).
        public static let flagUnicode: UInt32 = 0x0000_0001
        /// NTLMSSP_NEGOTIATE_VERSION: the Version field is present.
        public static let flagVersion: UInt32 = 0x0200_0000
        /// An NT challenge response of this length is NTLMv1.
        static let ntlmV1ResponseLength: UInt16 = 24

        /// AV pair ids ([MS-NLMP] 2.2.2.1).
        public enum AvID {
            public static let end: UInt16 = 0
            public static let netBIOSComputer: UInt16 = 1
            public static let netBIOSDomain: UInt16 = 2
            public static let dnsComputer: UInt16 = 3
            public static let dnsDomain: UInt16 = 4
            public static let dnsTree: UInt16 = 5
        }

        /// Finds an NTLMSSP message in `range` of `frame`, records where it is, its type and
        /// flags, and flags NTLMv1 and anonymous logins.
        static func locate(_ frame: Span<UInt8>, in range: Range<Int>, message: inout Message) {
            guard range.lowerBound >= 0, range.upperBound <= frame.count else { return }
            let lastStart = min(range.upperBound &- signatureLength, range.lowerBound &+ maxScan)
            var start = range.lowerBound
            while start <= lastStart {
                if matches(frame, at: start) { break }
                start &+= 1
            }
            guard start <= lastStart, let type = LE.u32(frame, start &+ 8), type >= 1, type <= 3 else { return }
            message.ntlmOffset = start
            message.ntlmLength = range.upperBound &- start
            message.ntlmType = UInt8(truncatingIfNeeded: type)
            let ntlm = frame.extracting(start..<range.upperBound)
            let flagsAt = type == 1 ? 12 : type == 2 ? 20 : 60
            message.ntlmFlags = LE.u32(ntlm, flagsAt) ?? 0
            if type == 3 {
                if let ntLength = LE.u16(ntlm, 20), ntLength == ntlmV1ResponseLength {
                    message.anomalies.insert(.ntlmV1)
                }
                if let userLength = LE.u16(ntlm, 36), userLength == 0 { message.anomalies.insert(.anonymousLogin) }
            }
        }

        static func matches(_ frame: Span<UInt8>, at start: Int) -> Bool {
            guard start >= 0, start &+ signatureLength <= frame.count else { return false }
            return frame.loadUInt32BE(at: start) == signatureHigh && frame.loadUInt32BE(at: start &+ 4) == signatureLow
        }

        /// A security buffer (length, max length, 32-bit offset from the NTLMSSP start) at `field`,
        /// as a range of `ntlm`; nil when absent or out of bounds.
        static func field(_ ntlm: Span<UInt8>, at field: Int) -> Range<Int>? {
            guard let length = LE.u16(ntlm, field), let offset = LE.u32(ntlm, field &+ 4), length > 0 else {
                return nil
            }
            let start = Int(offset)
            let stop = start &+ Int(length)
            guard stop <= ntlm.count else { return nil }
            return start..<stop
        }
    }
}
