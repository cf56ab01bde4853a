import ConvergeModel

/// Every application protocol Converge dissects. The engine switches over this enum and calls
/// the concrete dissector's static functions, so no existential is called per packet.
/// Adding a protocol: one case here, one line in `Registry.entries`, one line in each switch below.
public enum AppProtocol: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case modbus = 1
    case iec104 = 2
    case opcua = 3
    case mqtt = 4
    case dnp3 = 5
    case bacnet = 6
    case enip = 7
    case enipIO = 8
    case s7comm = 9
    case s7commPlus = 10
    case tls = 11
    case ssh = 12
    case http = 13
    case snmp = 14
    case ntp = 15
    case smb = 16
    case rdp = 17
    case ftp = 18
    case telnet = 19
    case dns = 20
    case dnsTCP = 21
    case mdns = 22
    case llmnr = 23
    case nbns = 24
    case nbdgm = 25
    case dhcp = 26
    case dhcpv6 = 27
    case ssdp = 28
    case kerberos = 29
    case kerberosTCP = 30
    case ldap = 31
    case cldap = 32
    case vnc = 33
    case syslog = 34
    case syslogTCP = 35
    case radius = 36
    case tacacs = 37
    case fins = 38
    case finsTCP = 39
    case melsec = 40
    case melsecUDP = 41
    case ads = 42
    case adsUDP = 43
    case hartIP = 44
    case c37118 = 45
    case fox = 46
    case srtp = 47
    case tristation = 48
    case codesys = 49
    case codesysUDP = 50
    case mms = 51
    case pnioCM = 52

    public var description: String { Registry.names[Int(rawValue)] }

    /// The summary key of one of this protocol's function codes (`Dissector.functionKey`).
    public func functionKey(_ code: Int) -> String {
        switch self {
        case .bacnet: BACnetIP.functionKey(code)
        case .vnc: VNC.functionKey(code)
        case .codesys: Codesys.functionKey(code)
        case .codesysUDP: CodesysUDP.functionKey(code)
        default: String(code)
        }
    }

    /// Whether the first bytes of a flow look like this protocol (the dissector's `probe`).
    public func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        switch self {
        case .modbus: ModbusTCP.probe(bytes, direction: direction)
        case .iec104: IEC104.probe(bytes, direction: direction)
        case .opcua: OPCUA.probe(bytes, direction: direction)
        case .mqtt: MQTT.probe(bytes, direction: direction)
        case .dnp3: DNP3.probe(bytes, direction: direction)
        case .bacnet: BACnetIP.probe(bytes, direction: direction)
        case .enip: EtherNetIP.probe(bytes, direction: direction)
        case .enipIO: EtherNetIPIO.probe(bytes, direction: direction)
        case .s7comm: S7Comm.probe(bytes, direction: direction)
        case .s7commPlus: S7CommPlus.probe(bytes, direction: direction)
        case .tls: TLS.probe(bytes, direction: direction)
        case .ssh: SSH.probe(bytes, direction: direction)
        case .http: HTTP.probe(bytes, direction: direction)
        case .snmp: SNMP.probe(bytes, direction: direction)
        case .ntp: NTP.probe(bytes, direction: direction)
        case .smb: SMB.probe(bytes, direction: direction)
        case .rdp: RDP.probe(bytes, direction: direction)
        case .ftp: FTP.probe(bytes, direction: direction)
        case .telnet: Telnet.probe(bytes, direction: direction)
        case .dns: DNS.probe(bytes, direction: direction)
        case .dnsTCP: DNSOverTCP.probe(bytes, direction: direction)
        case .mdns: MDNS.probe(bytes, direction: direction)
        case .llmnr: LLMNR.probe(bytes, direction: direction)
        case .nbns: NetBIOSNS.probe(bytes, direction: direction)
        case .nbdgm: NetBIOSDatagram.probe(bytes, direction: direction)
        case .dhcp: DHCP.probe(bytes, direction: direction)
        case .dhcpv6: DHCPv6.probe(bytes, direction: direction)
        case .ssdp: SSDP.probe(bytes, direction: direction)
        case .kerberos: Kerberos.probe(bytes, direction: direction)
        case .kerberosTCP: KerberosOverTCP.probe(bytes, direction: direction)
        case .ldap: LDAP.probe(bytes, direction: direction)
        case .cldap: CLDAP.probe(bytes, direction: direction)
        case .vnc: VNC.probe(bytes, direction: direction)
        case .syslog: Syslog.probe(bytes, direction: direction)
        case .syslogTCP: SyslogTCP.probe(bytes, direction: direction)
        case .radius: RADIUS.probe(bytes, direction: direction)
        case .tacacs: TACACS.probe(bytes, direction: direction)
        case .fins: FINS.probe(bytes, direction: direction)
        case .finsTCP: FINSTCP.probe(bytes, direction: direction)
        case .melsec: MELSEC.probe(bytes, direction: direction)
        case .melsecUDP: MELSECUDP.probe(bytes, direction: direction)
        case .ads: ADS.probe(bytes, direction: direction)
        case .adsUDP: ADSUDP.probe(bytes, direction: direction)
        case .hartIP: HARTIP.probe(bytes, direction: direction)
        case .c37118: C37118.probe(bytes, direction: direction)
        case .fox: Fox.probe(bytes, direction: direction)
        case .srtp: SRTP.probe(bytes, direction: direction)
        case .tristation: TriStation.probe(bytes, direction: direction)
        case .codesys: Codesys.probe(bytes, direction: direction)
        case .codesysUDP: CodesysUDP.probe(bytes, direction: direction)
        case .mms: MMS.probe(bytes, direction: direction)
        case .pnioCM: PNIOCM.probe(bytes, direction: direction)
        }
    }
}

/// The one-line-per-protocol registry (STYLE.md): names, transports and port hints, so the
/// engine can pick a candidate by port and confirm it with `AppProtocol.probe`.
public enum Registry {
    public struct Entry: Sendable {
        public let proto: AppProtocol
        public let name: String
        public let ports: PortHints
        /// Whether the dissector wants a reassembled byte stream (TCP) rather than datagrams.
        public let wantsStream: Bool
        /// Counted sub-functions go under this protocol name too (`Dissector.subFunctionsName`:
        /// EtherNet/IP messages carry CIP services counted under `cip`).
        public let subFunctionsName: String?
        /// `Dissector.eventProtocols`.
        public let eventProtocols: [String]

        public init<D: Dissector>(_ proto: AppProtocol, _ dissector: D.Type, wantsStream: Bool) {
            self.proto = proto
            self.name = D.name
            self.ports = D.portHints
            self.wantsStream = wantsStream
            self.subFunctionsName = D.subFunctionsName
            self.eventProtocols = D.eventProtocols
        }
    }

    /// One line per protocol, in `AppProtocol` order.
    public static let entries: [Entry] = [
        Entry(.modbus, ModbusTCP.self, wantsStream: true),
        Entry(.iec104, IEC104.self, wantsStream: true),
        Entry(.opcua, OPCUA.self, wantsStream: true),
        Entry(.mqtt, MQTT.self, wantsStream: true),
        Entry(.dnp3, DNP3.self, wantsStream: true),
        Entry(.bacnet, BACnetIP.self, wantsStream: false),
        Entry(.enip, EtherNetIP.self, wantsStream: true),
        Entry(.enipIO, EtherNetIPIO.self, wantsStream: false),
        Entry(.s7comm, S7Comm.self, wantsStream: true),
        Entry(.s7commPlus, S7CommPlus.self, wantsStream: true),
        Entry(.tls, TLS.self, wantsStream: true),
        Entry(.ssh, SSH.self, wantsStream: true),
        Entry(.http, HTTP.self, wantsStream: true),
        Entry(.snmp, SNMP.self, wantsStream: false),
        Entry(.ntp, NTP.self, wantsStream: false),
        Entry(.smb, SMB.self, wantsStream: true),
        Entry(.rdp, RDP.self, wantsStream: true),
        Entry(.ftp, FTP.self, wantsStream: true),
        Entry(.telnet, Telnet.self, wantsStream: true),
        Entry(.dns, DNS.self, wantsStream: false),
        Entry(.dnsTCP, DNSOverTCP.self, wantsStream: true),
        Entry(.mdns, MDNS.self, wantsStream: false),
        Entry(.llmnr, LLMNR.self, wantsStream: false),
        Entry(.nbns, NetBIOSNS.self, wantsStream: false),
        Entry(.nbdgm, NetBIOSDatagram.self, wantsStream: false),
        Entry(.dhcp, DHCP.self, wantsStream: false),
        Entry(.dhcpv6, DHCPv6.self, wantsStream: false),
        Entry(.ssdp, SSDP.self, wantsStream: false),
        Entry(.kerberos, Kerberos.self, wantsStream: false),
        Entry(.kerberosTCP, KerberosOverTCP.self, wantsStream: true),
        Entry(.ldap, LDAP.self, wantsStream: true),
        Entry(.cldap, CLDAP.self, wantsStream: false),
        Entry(.vnc, VNC.self, wantsStream: true),
        Entry(.syslog, Syslog.self, wantsStream: false),
        Entry(.syslogTCP, SyslogTCP.self, wantsStream: true),
        Entry(.radius, RADIUS.self, wantsStream: false),
        Entry(.tacacs, TACACS.self, wantsStream: true),
        Entry(.fins, FINS.self, wantsStream: false),
        Entry(.finsTCP, FINSTCP.self, wantsStream: true),
        Entry(.melsec, MELSEC.self, wantsStream: true),
        Entry(.melsecUDP, MELSECUDP.self, wantsStream: false),
        Entry(.ads, ADS.self, wantsStream: true),
        Entry(.adsUDP, ADSUDP.self, wantsStream: false),
        Entry(.hartIP, HARTIP.self, wantsStream: true),
        Entry(.c37118, C37118.self, wantsStream: true),
        Entry(.fox, Fox.self, wantsStream: true),
        Entry(.srtp, SRTP.self, wantsStream: true),
        Entry(.tristation, TriStation.self, wantsStream: false),
        Entry(.codesys, Codesys.self, wantsStream: true),
        Entry(.codesysUDP, CodesysUDP.self, wantsStream: false),
        Entry(.mms, MMS.self, wantsStream: true),
        Entry(.pnioCM, PNIOCM.self, wantsStream: false),
    ]

    public static func entry(_ proto: AppProtocol) -> Entry {
        entries.first { $0.proto == proto } ?? entries[0]
    }

    /// Each protocol's summary name indexed by its raw value: flows ask for it whenever they end,
    /// and searching `entries` copies each entry it passes (strings, arrays: retains and releases).
    public static let names: [String] = {
        var names = [String](repeating: "", count: Int(AppProtocol.allCases.map(\.rawValue).max() ?? 0) + 1)
        for entry in entries { names[Int(entry.proto.rawValue)] = entry.name }
        return names
    }()

    /// The protocol with this summary name (`modbus`), if any.
    public static func proto(named name: String) -> AppProtocol? {
        entries.first { $0.name == name }?.proto
    }

    /// The protocol whose port hints contain `port` on `transport`, if any. Cheap enough per flow
    /// (a handful of entries); the answer is only a candidate for `probe` to confirm.
    public static func candidate(transport: Transport, port: UInt16) -> AppProtocol? {
        for entry in entries {
            let ports = transport == .tcp ? entry.ports.tcp : transport == .udp ? entry.ports.udp : []
            if ports.contains(port) { return entry.proto }
        }
        return nil
    }

    /// A candidate for a flow: the server port first, then the client port (for flows whose
    /// direction was guessed wrong mid-stream).
    public static func candidate(transport: Transport, serverPort: UInt16, clientPort: UInt16) -> AppProtocol? {
        candidate(transport: transport, port: serverPort) ?? candidate(transport: transport, port: clientPort)
    }
}
