extension HTTP {
    /// What a Server header says about the device behind it. Embedded web servers of industrial
    /// and network devices name the vendor or the embedded stack (public product documentation and
    /// common banner lists); general-purpose servers hint at the OS.
    public enum DeviceBanner {
        public struct Match: Sendable, Equatable {
            public var vendor: String?
            public var os: String?
            public var role: String?
        }

        /// Lowercase substring → vendor.
        static let vendors: [(String, String)] = [
            ("siemens", "Siemens"), ("simatic", "Siemens"), ("schneider", "Schneider Electric"),
            ("modicon", "Schneider Electric"), ("rockwell", "Rockwell Automation"),
            ("allen-bradley", "Rockwell Automation"),
            ("wago", "WAGO"), ("phoenix contact", "Phoenix Contact"), ("moxahttp", "Moxa"), ("moxa", "Moxa"),
            ("hms ", "HMS"), ("anybus", "HMS"), ("codesys", "CODESYS"), ("beckhoff", "Beckhoff"),
            ("yokogawa", "Yokogawa"), ("honeywell", "Honeywell"), ("abb ", "ABB"), ("omron", "Omron"),
            ("mitsubishi", "Mitsubishi Electric"), ("hikvision", "Hikvision"), ("dnvrs-webs", "Hikvision"),
            ("axis", "Axis"), ("cisco", "Cisco"), ("mikrotik", "MikroTik"), ("hirschmann", "Hirschmann"),
            ("westermo", "Westermo"), ("digi ", "Digi"), ("lantronix", "Lantronix"), ("emerson", "Emerson"),
            ("ge ", "GE"), ("sel ", "SEL"),
        ]

        /// Lowercase substring → operating system.
        static let systems: [(String, String)] = [
            ("microsoft-iis", "Windows"), ("win64", "Windows"), ("win32", "Windows"), ("(ubuntu)", "Ubuntu"),
            ("(debian)", "Debian"), ("(centos)", "CentOS"), ("(red hat)", "Red Hat"), ("(fedora)", "Fedora"),
            ("freebsd", "FreeBSD"), ("vxworks", "VxWorks"), ("windriver", "VxWorks"),
        ]

        /// Embedded web servers that mark a device (not a general-purpose host).
        static let embedded = [
            "goahead", "boa/", "rompager", "allegro", "mbedthis", "appweb", "thttpd", "mini_httpd", "lwip",
            "embedthis", "micro_httpd", "webs", "emweb", "httpd/1.0", "z-world", "rabbit", "hydra",
        ]

        public static func match(_ banner: String) -> Match {
            let text = banner.lowercased() + " "
            // An ASCII banner (nearly all) is searched byte by byte: the same answer as the string
            // search, whose Foundation implementation cost more than the rest of the inventory's
            // HTTP work. Anything else keeps that search, with its Unicode equivalences.
            let bytes = Array(text.utf8)
            let ascii = bytes.allSatisfy { $0 < 0x80 }
            func has(_ needle: String) -> Bool { ascii ? contains(bytes, needle) : text.contains(needle) }
            var result = Match()
            result.vendor = vendors.first { has($0.0) }?.1
            result.os = systems.first { has($0.0) }?.1
            if result.vendor != nil || embedded.contains(where: { has($0) }) {
                result.role = "embedded_web_server"
            }
            return result
        }

        /// Whether `needle`'s UTF-8 bytes occur in `haystack`.
        static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
            var needle = needle
            return needle.withUTF8 { pattern in
                guard let first = pattern.first else { return true }
                guard pattern.count <= haystack.count else { return false }
                var start = 0
                let last = haystack.count &- pattern.count
                while start <= last {
                    if haystack[start] == first {
                        var matched = 1
                        while matched < pattern.count, haystack[start &+ matched] == pattern[matched] { matched &+= 1 }
                        if matched == pattern.count { return true }
                    }
                    start &+= 1
                }
                return false
            }
        }
    }
}
