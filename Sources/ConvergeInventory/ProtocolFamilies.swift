/// Which protocols say what about the device that answers them or asks them. Names are the
/// engine's protocol names (`Registry` entries and link-layer dissectors).
enum ProtocolFamilies {
    /// The answering device is a controller (it runs logic and owns the registers).
    static let controller: Set<String> = [
        "modbus", "s7comm", "s7comm-plus", "enip", "cip", "fins", "fins_tcp", "melsec", "melsec_udp", "ads", "ads_udp",
        "srtp", "codesys", "codesys_gateway",
    ]
    /// The answering device is a remote terminal unit / outstation.
    static let telecontrol: Set<String> = ["dnp3", "iec104"]
    /// Substation and grid devices: IEC 61850 MMS servers, synchrophasor PMUs.
    static let substation: Set<String> = ["mms", "c37118", "c37.118", "synchrophasor"]
    /// Link-layer protocols whose speaker is an IED (publishers of GOOSE and sampled values).
    static let substationLink: Set<String> = ["goose", "sv"]
    static let safety: Set<String> = ["tristation"]
    /// The answering device is an I/O adapter or field instrument.
    static let fieldIO: Set<String> = ["enip-io", "hart_ip", "hartip", "hart-ip"]
    static let buildingAutomation: Set<String> = ["bacnet"]
    static let opcServer: Set<String> = ["opcua", "fox", "niagara_fox"]
    static let broker: Set<String> = ["mqtt"]
    /// Directory, naming, addressing, time and AAA services.
    static let infrastructure: Set<String> = [
        "dns", "dns_tcp", "dhcp", "dhcpv6", "kerberos", "kerberos_tcp", "ldap", "cldap", "ntp", "radius", "tacacs",
    ]
    static let itService: Set<String> = [
        "http", "tls", "smb", "ssh", "rdp", "ftp", "telnet", "vnc", "syslog", "syslog_tcp",
    ]
    /// Makers whose registered MACs are (nearly) only on network and security gear; with an SNMP
    /// agent answering, such a device is taken for a switch, router or firewall.
    static let networkVendors = [
        "fortinet", "palo alto", "juniper", "check point", "hirschmann", "sonicwall", "watchguard", "arista",
        "extreme networks", "aruba", "ruggedcom", "westermo", "brocade",
    ]
    /// Link-layer protocols only network gear originates.
    static let networkLink: Set<String> = ["stp", "cdp"]

    /// Every protocol whose server is an OT device.
    static let ot: Set<String> = controller.union(telecontrol).union(substation).union(safety).union(fieldIO)
        .union(buildingAutomation)
}
