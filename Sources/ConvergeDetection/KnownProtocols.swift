/// The protocol names the engine puts in `Message.proto` (the registry's names plus the link-layer
/// and sub-protocol names dissectors emit: `cip` inside EtherNet/IP, `arp`, `goose` …). A rule
/// naming any other protocol is rejected at load time, so a typo cannot silently match nothing.
/// A test checks this list against the engine's registry.
public enum KnownProtocols {
    public static let names: Set<String> = [
        "modbus", "iec104", "opcua", "mqtt", "dnp3", "bacnet", "enip", "enip-io", "cip", "s7comm",
        "s7comm-plus", "tls", "ssh", "http", "snmp", "ntp", "smb", "rdp", "ftp", "telnet", "dns", "dns_tcp",
        "mdns", "llmnr", "nbns", "nbdgm", "dhcp", "dhcpv6", "ssdp", "kerberos", "kerberos_tcp", "ldap", "cldap",
        "vnc", "syslog", "syslog_tcp", "radius", "tacacs", "fins", "fins_tcp", "melsec", "melsec_udp", "ads",
        "ads_udp", "hart_ip", "c37118", "fox", "srtp", "tristation", "codesys", "codesys_udp", "mms", "pn_io_cm",
        "arp", "stp", "lldp", "cdp", "goose", "sv", "profinet",
    ]
}
