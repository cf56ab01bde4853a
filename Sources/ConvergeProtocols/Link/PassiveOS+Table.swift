extension PassiveOS {
    /// The signature table, most specific first; the first match wins.
    ///
    /// Written here from public facts, not copied from any database:
    /// - the fields and quirks p0f v3 documents (its README, "TCP signatures") and the layouts and
    ///   window habits it describes (Linux windows that are multiples of the MSS, Windows' 8192 and
    ///   65535, macOS's trailing EOL, OpenBSD's NOP-padded order);
    /// - initial TTLs: 64 for Linux, BSDs and macOS, 128 for Windows (Microsoft's `DefaultTTL`),
    ///   255 for Cisco IOS and many appliances, 32 or 30 for old Windows and some controllers;
    /// - Linux history: 4 MSS before 2.6.39, 10 MSS after RFC 6928's initial window, 20 MSS from 3.11,
    ///   a SYN window of about 64 KiB (`44 * 1460 = 64240`) since 4.19 (commit a337531b942b);
    ///   Windows 10/11 and Server 2016+ SYNs carry 64240 with scale 8, Vista to 8.1 carry 8192;
    /// - lwIP's defaults (`IP_DEFAULT_TTL` 255, `TCP_WND` 4 × `TCP_MSS`, only the MSS option) and
    ///   Cisco IOS's default TCP window of 4128 bytes;
    /// - the captures in ../shared/captures: a Siemens S7-1200 (ITI `S7-1200-Uploading-OB1-TIAV12`)
    ///   answers with TTL 30, window 4096 and only an MSS option, an Omron PLC (ITI `omron_test`) with
    ///   TTL 32 and MSS 536, so a TTL-32 MSS-only stack is some controller, not one vendor.
    static let table: [Rule] = linuxRules + windowsRules + unixRules + embeddedRules + ttlOnlyRules

    static let linuxRules: [Rule] = {
        let linux = layout("M,S,T,N,W")
        return [
            Rule(family: .linux, label: "Linux (loopback)", confidence: .medium, initialTTL: 64, layout: linux,
                 mss: .atLeast(16000)),
            Rule(family: .linux, label: "Linux 4.19+", confidence: .medium, initialTTL: 64, layout: linux,
                 window: .mssMultiple(44...45)),
            Rule(family: .linux, label: "Linux 3.11-4.18", confidence: .medium, initialTTL: 64, layout: linux,
                 window: .mssMultiple(20...20)),
            Rule(family: .linux, label: "Linux 2.6.39-3.10", confidence: .medium, initialTTL: 64, layout: linux,
                 window: .mssMultiple(10...10)),
            Rule(family: .linux, label: "Linux 2.4-2.6", confidence: .medium, initialTTL: 64, layout: linux,
                 window: .mssMultiple(4...4)),
            Rule(family: .linux, label: "Linux", confidence: .low, initialTTL: 64, layout: linux),
            // A Linux SYN+ACK to a client that sent no timestamps, or a Linux with timestamps off.
            Rule(family: .linux, label: "Linux (no timestamps)", confidence: .low, initialTTL: 64,
                 layout: layout("M,N,N,S,N,W")),
        ]
    }()

    static let windowsRules: [Rule] = {
        let modern = layout("M,N,W,N,N,S")
        let noScale = layout("M,N,N,S")
        return [
            Rule(family: .windows, label: "Windows Vista+ (loopback)", confidence: .medium, initialTTL: 128,
                 layout: modern, mss: .atLeast(16000)),
            Rule(family: .windows, label: "Windows 10/11 or Server 2016+", confidence: .medium, initialTTL: 128,
                 layout: modern, window: .exact(64240)),
            Rule(family: .windows, label: "Windows 10/11 or Server 2016+", confidence: .medium, initialTTL: 128,
                 layout: modern, window: .mssMultiple(44...44), scale: .within(8...8)),
            Rule(family: .windows, label: "Windows Vista-8.1 or Server 2008-2012", confidence: .medium,
                 initialTTL: 128, layout: modern, window: .exact(8192)),
            Rule(family: .windows, label: "Windows 2000/XP/2003", confidence: .medium, initialTTL: 128,
                 layout: modern, window: .exact(65535), scale: .within(0...2), direction: .syn),
            Rule(family: .windows, label: "Windows 2000/XP/2003", confidence: .medium, initialTTL: 128,
                 layout: noScale, window: .exact(65535), direction: .syn),
            Rule(family: .windows, label: "Windows 2000/XP/2003", confidence: .medium, initialTTL: 128,
                 layout: noScale, window: .exact(16384), direction: .syn),
            Rule(family: .windows, label: "Windows 2000/XP/2003", confidence: .medium, initialTTL: 128,
                 layout: noScale, window: .mssMultiple(44...44), direction: .syn),
            Rule(family: .windows, label: "Windows Vista-8.1 (no window scaling)", confidence: .low,
                 initialTTL: 128, layout: noScale, window: .exact(8192), direction: .syn),
            Rule(family: .windows, label: "Windows Vista+ (timestamps on)", confidence: .low, initialTTL: 128,
                 layout: layout("M,N,W,N,N,T,N,N,S")),
            Rule(family: .windows, label: "Windows Vista-8.1", confidence: .low, initialTTL: 128,
                 layout: layout("M,N,W,S,T"), window: .exact(8192)),
            Rule(family: .windows, label: "Windows Vista+", confidence: .low, initialTTL: 128, layout: modern),
            // A server answering a client that offered no window scaling drops it too: any Windows.
            Rule(family: .windows, label: "Windows", confidence: .low, initialTTL: 128, layout: noScale),
        ]
    }()

    static let unixRules: [Rule] = [
        Rule(family: .apple, label: "macOS/iOS", confidence: .medium, initialTTL: 64,
             layout: layout("M,N,W,N,N,T,S,E")),
        Rule(family: .freeBSD, label: "FreeBSD", confidence: .medium, initialTTL: 64, layout: layout("M,N,W,S,T"),
             window: .exact(65535)),
        Rule(family: .unix, label: "BSD-derived stack", confidence: .low, initialTTL: 64,
             layout: layout("M,N,W,S,T")),
        Rule(family: .openBSD, label: "OpenBSD", confidence: .medium, initialTTL: 64,
             layout: layout("M,N,N,S,N,W,N,N,T"), window: .exact(16384)),
        Rule(family: .unix, label: "OpenBSD/NetBSD-like stack", confidence: .low, initialTTL: 64,
             layout: layout("M,N,N,S,N,W,N,N,T")),
        Rule(family: .solaris, label: "Solaris 8-9", confidence: .low, initialTTL: 64,
             layout: layout("N,W,N,N,T,N,N,S,M")),
        Rule(family: .solaris, label: "Solaris 10+", confidence: .low, initialTTL: 64,
             layout: layout("M,N,W,N,N,S"), window: .mssMultiple(34...34)),
    ]

    static let embeddedRules: [Rule] = [
        Rule(family: .networkDevice, label: "Cisco IOS", confidence: .medium, initialTTL: 255, layout: layout("M"),
             window: .exact(4128)),
        Rule(family: .embedded, label: "Embedded stack (lwIP-like)", confidence: .low, initialTTL: 255,
             layout: layout("M"), mss: .windowIsMultiple(4)),
        Rule(family: .embedded, label: "Embedded stack (TTL 32, MSS only)", confidence: .low,
             initialTTL: 32, layout: layout("M")),
        Rule(family: .embedded, label: "Embedded stack (MSS only)", confidence: .low, initialTTL: 64,
             layout: layout("M")),
        Rule(family: .embedded, label: "Embedded stack (MSS and window scale only)", confidence: .low,
             initialTTL: 64, layout: layout("M,N,W")),
        Rule(family: .embedded, label: "Embedded stack or crafted packet (no TCP options)", confidence: .low,
             initialTTL: 64, layout: layout("")),
    ]

    /// What the initial TTL alone suggests, when no layout above matched.
    static let ttlOnlyRules: [Rule] = [
        Rule(family: .windows, label: "Windows", confidence: .low, initialTTL: 128, layout: nil),
        Rule(family: .unix, label: "Unix-like", confidence: .low, initialTTL: 64, layout: nil),
        Rule(family: .networkDevice, label: "Network device or embedded stack (TTL 255)", confidence: .low,
             initialTTL: 255, layout: nil),
        Rule(family: .embedded, label: "Embedded or legacy stack (TTL 32)", confidence: .low, initialTTL: 32,
             layout: nil),
    ]
}
