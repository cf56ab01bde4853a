/// Which end of a conversation is the server when the handshake was not seen: service ports are
/// ranked and the higher rank wins. Ports are hints only; dissectors still probe the bytes.
enum ServicePorts {
    /// IT and ICS service ports that outrank the rest of the well-known range (so 502 beats a client
    /// bound to port 1000), and registered ones that are listeners in practice: Modbus 502, DNP3
    /// 20000, S7/ISO-TSAP 102, EtherNet/IP 44818 and 2222, BACnet 47808, IEC 60870-5-104 2404,
    /// OPC UA 4840, MQTT 1883/8883, SNMP 161/162, DNS 53, DHCP 67/68, NTP 123, mDNS 5353, LLMNR 5355,
    /// SSDP 1900, RDP 3389, SMB 445/139, and more below.
    @inline(__always)
    static func isNamed(_ port: UInt16) -> Bool {
        switch port {
        case 502, 20000, 102, 44818, 2222, 47808, 2404, 4840, 1883, 8883, 161, 162, 53, 67, 68, 123,
             5353, 5355, 1900, 3389, 445, 139,
             1089, 1090, 1091,          // FF Annunciation / Fieldbus Message Specification / System Management
             1911, 1962, 2455,          // Niagara Fox, PCWorx, CODESYS
             5006, 5007, 9600,          // Mitsubishi MELSEC, Omron FINS
             18245, 18246, 20547,       // GE SRTP, ProConOS
             4911, 1217, 1740, 1741, 1742, 1743,  // Niagara Fox TLS, CODESYS gateway and UDP block driver
             11740, 11741, 11742, 11743,          // CODESYS V3 TCP block driver
             5094, 5095, 4712, 4713,    // HART-IP, IEEE C37.118
             34962, 34963, 34964,       // PROFINET RT/context manager
             1433, 1521, 3306, 5432,    // databases that historians sit on
             5900, 8080, 8443, 5671, 5672, 61616, 9200:
            true
        default:
            false
        }
    }

    /// 3 named service, 2 well-known (< 1024), 1 registered (1024–49151), 0 dynamic (≥ 49152).
    @inline(__always)
    static func rank(_ port: UInt16) -> Int {
        if isNamed(port) { return 3 }
        if port < 1024 { return 2 }
        return port < 49152 ? 1 : 0
    }

    /// Whether endpoint A is the server, judged by ports alone, or nil when the ports cannot tell
    /// (then the first sender is taken as the client).
    static func aIsServer(portA: UInt16, portB: UInt16) -> Bool? {
        let rankA = rank(portA), rankB = rank(portB)
        if rankA != rankB { return rankA > rankB }
        // Two registered ports (5020 ↔ 35000): the lower one is the listener in practice. Two
        // well-known, two named or two dynamic ports say nothing.
        if rankA == 1 && portA != portB { return portA < portB }
        return nil
    }
}
