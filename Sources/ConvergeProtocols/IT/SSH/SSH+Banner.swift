extension SSH {
    /// An identification line split into its parts (events only: allocates).
    public struct Banner: Sendable, Equatable {
        /// `2.0`, `1.99`, …
        public var protocolVersion: String
        /// `OpenSSH_9.2p1`, `dropbear_2020.81`, `Cisco-1.25`, …
        public var software: String
        /// What follows the first space: often the distribution's package version.
        public var comment: String?

        /// Reads `SSH-protoversion-softwareversion[ SP comments]` from a line (CR LF dropped);
        /// nil when it is not one. Non-UTF-8 bytes are replaced; the line is at most 255 bytes.
        public init?(_ line: Span<UInt8>) {
            var bytes: [UInt8] = []
            for index in 0..<min(line.count, maxLineLength) {
                let byte = line[index]
                if byte == 0x0d || byte == 0x0a { break }
                bytes.append(byte)
            }
            guard bytes.starts(with: prefix) else { return nil }
            let rest = bytes.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: 0x2d) else { return nil }
            protocolVersion = String(decoding: rest[..<dash], as: UTF8.self)
            let tail = rest[(dash + 1)...]
            if let space = tail.firstIndex(of: 0x20) {
                software = String(decoding: tail[..<space], as: UTF8.self)
                comment = String(decoding: tail[(space + 1)...], as: UTF8.self)
            } else {
                software = String(decoding: tail, as: UTF8.self)
            }
        }

        /// The operating system the banner names, from distributions' package suffixes
        /// (`Ubuntu-3ubuntu0.1`, `Debian-2+deb12u10`, `FreeBSD-20230316`) and Windows' OpenSSH.
        public var osHint: String? {
            let text = (software + " " + (comment ?? "")).lowercased()
            let known: [(String, String)] = [
                ("ubuntu", "Ubuntu"), ("debian", "Debian"), ("raspbian", "Raspbian"), ("freebsd", "FreeBSD"),
                ("openbsd", "OpenBSD"), ("netbsd", "NetBSD"), ("for_windows", "Windows"), ("centos", "CentOS"),
                ("fedora", "Fedora"), ("red hat", "Red Hat"), ("rhel", "Red Hat"), ("suse", "SUSE"),
            ]
            return known.first { text.contains($0.0) }?.1
        }

        /// Vendors whose network gear names itself in the software field.
        public var vendorHint: String? {
            let text = software.lowercased()
            let known: [(String, String)] = [
                ("cisco", "Cisco"), ("rosssh", "MikroTik"), ("hpe", "HPE"), ("comware", "HPE"), ("huawei", "Huawei"),
                ("juniper", "Juniper"), ("fortissh", "Fortinet"), ("mocana", "Mocana"), ("siemens", "Siemens"),
                ("moxa", "Moxa"),
            ]
            return known.first { text.contains($0.0) }?.1
        }
    }
}
