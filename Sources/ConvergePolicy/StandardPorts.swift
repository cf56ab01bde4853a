/// The ports a protocol's servers listen on by default, by the engine's protocol name: what an
/// exported rule opens when the conduit does not name ports itself. IANA registrations and the
/// vendors' documentation; the same hints the dissectors use to pick a flow's protocol.
public enum StandardPorts {
    public static let table: [String: [PortSpec]] = [
        "modbus": [.init(502, .tcp)],
        "s7comm": [.init(102, .tcp)],
        "s7comm-plus": [.init(102, .tcp)],
        "mms": [.init(102, .tcp)],
        "enip": [.init(44818, .tcp), .init(44818, .udp), .init(2222, .udp)],
        "cip": [.init(44818, .tcp), .init(2222, .udp)],
        "enip-io": [.init(2222, .udp)],
        "dnp3": [.init(20000, .tcp), .init(20000, .udp)],
        "iec104": [.init(2404, .tcp)],
        "opcua": [.init(4840, .tcp)],
        "mqtt": [.init(1883, .tcp), .init(8883, .tcp)],
        "bacnet": [.init(47808, .udp)],
        "fins": [.init(9600, .udp)],
        "fins_tcp": [.init(9600, .tcp)],
        "melsec": [.init(5006, .tcp), .init(5007, .tcp), .init(5562, .tcp)],
        "melsec_udp": [.init(5006, .udp), .init(5007, .udp), .init(5560, .udp)],
        "ads": [.init(48898, .tcp)],
        "ads_udp": [.init(48899, .udp)],
        "hart_ip": [.init(5094, .tcp), .init(5094, .udp)],
        "c37118": [.init(4712, .tcp), .init(4713, .udp)],
        "fox": [.init(1911, .tcp), .init(4911, .tcp)],
        "srtp": [.init(18245, .tcp)],
        "tristation": [.init(1502, .udp)],
        "codesys": [.init(1217, .tcp), .init(11740, .tcp)],
        "codesys_udp": [.init(1740, .udp), .init(1741, .udp), .init(1742, .udp), .init(1743, .udp)],
        "pn_io_cm": [.init(34964, .udp)],
        "http": [.init(80, .tcp)],
        "tls": [.init(443, .tcp)],
        "ssh": [.init(22, .tcp)],
        "rdp": [.init(3389, .tcp)],
        "vnc": [.init(5900, .tcp)],
        "smb": [.init(445, .tcp)],
        "ftp": [.init(21, .tcp)],
        "telnet": [.init(23, .tcp)],
        "dns": [.init(53, .udp)],
        "dns_tcp": [.init(53, .tcp)],
        "ntp": [.init(123, .udp)],
        "snmp": [.init(161, .udp)],
        "syslog": [.init(514, .udp)],
        "syslog_tcp": [.init(514, .tcp), .init(6514, .tcp)],
        "dhcp": [.init(67, .udp)],
        "dhcpv6": [.init(547, .udp)],
        "kerberos": [.init(88, .udp)],
        "kerberos_tcp": [.init(88, .tcp)],
        "ldap": [.init(389, .tcp), .init(636, .tcp)],
        "cldap": [.init(389, .udp)],
        "radius": [.init(1812, .udp), .init(1813, .udp)],
        "tacacs": [.init(49, .tcp)],
        "mdns": [.init(5353, .udp)],
        "llmnr": [.init(5355, .udp)],
        "nbns": [.init(137, .udp)],
        "nbdgm": [.init(138, .udp)],
        "ssdp": [.init(1900, .udp)],
    ]

    /// The ports to open for a permission: its own, else `tcp/8080`-style names, else the table.
    public static func ports(for permission: Conduit.Permission) -> [PortSpec] {
        if !permission.ports.isEmpty { return permission.ports.sorted() }
        let parts = permission.name.split(separator: "/")
        if parts.count == 2, let transport = PortSpec.Transport(rawValue: String(parts[0])),
            let port = UInt16(parts[1]), port > 0
        {
            return [PortSpec(port, transport)]
        }
        return table[permission.name] ?? []
    }
}
