extension SMB.NTLMSSP {
    /// AV pairs read from a CHALLENGE; the rest are skipped.
    public static let maxAvPairs = 32

    /// An NTLMSSP message's names, decoded for events and facts (this allocates; `parse` never
    /// builds one). Hashes and challenge responses are never read.
    public struct Info: Sendable, Equatable {
        public var type: UInt8 = 0
        public var flags: UInt32 = 0
        /// CHALLENGE: the server's target name and AV pairs (id and text).
        public var targetName = ""
        public var avPairs: [(id: UInt16, value: String)] = []
        /// AUTHENTICATE: names only.
        public var domain = ""
        public var user = ""
        public var workstation = ""
        /// The Version field (major, minor, build) when the flags say it is there.
        public var version: (major: UInt8, minor: UInt8, build: UInt16)?

        public static func == (a: Info, b: Info) -> Bool {
            a.type == b.type && a.flags == b.flags && a.targetName == b.targetName && a.domain == b.domain
                && a.user == b.user && a.workstation == b.workstation
                && a.avPairs.map(\.id) == b.avPairs.map(\.id) && a.avPairs.map(\.value) == b.avPairs.map(\.value)
                && a.version?.major == b.version?.major && a.version?.minor == b.version?.minor
                && a.version?.build == b.version?.build
        }

        /// The AV pair text with this id, if present.
        public func av(_ id: UInt16) -> String? { avPairs.first { $0.id == id }?.value }

        /// "Windows 10.0 build 19041" from the Version field.
        public var osName: String? {
            guard let version else { return nil }
            return "Windows \(version.major).\(version.minor) build \(version.build)"
        }
    }

    /// Decodes the NTLMSSP message a parsed SMB message points at.
    public static func info(_ message: SMB.Message, bytes: Span<UInt8>) -> Info? {
        let start = message.ntlmOffset
        let stop = start &+ message.ntlmLength
        guard message.ntlmType != 0, start >= 0, stop <= bytes.count, start < stop else { return nil }
        let ntlm = bytes.extracting(start..<stop)
        var info = Info(type: message.ntlmType, flags: message.ntlmFlags)
        let unicode = info.flags & flagUnicode != 0
        func string(_ at: Int) -> String {
            guard let range = field(ntlm, at: at) else { return "" }
            return SMB.text(ntlm, range, unicode: unicode)
        }
        let versionAt: Int
        switch message.ntlmType {
        case challenge:
            info.targetName = string(12)
            if let range = field(ntlm, at: 40) { info.avPairs = avPairs(ntlm, range) }
            versionAt = 48
        case authenticate:
            info.domain = string(28)
            info.user = string(36)
            info.workstation = string(44)
            versionAt = 64
        default:
            versionAt = 32
        }
        if info.flags & flagVersion != 0, let major = ntlm.byte(at: versionAt),
            let minor = ntlm.byte(at: versionAt &+ 1),
            let build = SMB.LE.u16(ntlm, versionAt &+ 2), major > 0
        {
            info.version = (major, minor, build)
        }
        return info
    }

    /// The name-bearing AV pairs (ids 1…5, 9) of a CHALLENGE's target info, up to `maxAvPairs`.
    static func avPairs(_ ntlm: Span<UInt8>, _ range: Range<Int>) -> [(id: UInt16, value: String)] {
        var pairs: [(id: UInt16, value: String)] = []
        var index = range.lowerBound
        var seen = 0
        while seen < maxAvPairs, let id = SMB.LE.u16(ntlm, index), let length = SMB.LE.u16(ntlm, index &+ 2) {
            seen &+= 1
            let valueStart = index &+ 4
            let valueEnd = valueStart &+ Int(length)
            guard id != AvID.end, valueEnd <= range.upperBound else { break }
            if (id >= AvID.netBIOSComputer && id <= AvID.dnsTree) || id == 9 {
                pairs.append((id, SMB.text(ntlm, valueStart..<valueEnd, unicode: true)))
            }
            index = valueEnd
        }
        return pairs
    }
}
