/// One application message, normalised across protocols (DESIGN.md, "Events").
public struct Message: Sendable, Codable {
    public var time: Timestamp
    public var flowID: UInt64
    public var client: Endpoint
    public var server: Endpoint
    public var proto: String
    public var direction: Direction
    public var functionCode: Int
    public var functionName: String
    public var operation: Operation
    public var targets: [Target]
    public var status: Status
    public var anomalies: [String]
    /// The addressed unit inside the server where the protocol has one (Modbus unit id), else nil.
    public var unit: Int? = nil
    /// For a response paired with its request: the time between them, in nanoseconds.
    public var roundTripNanoseconds: Int64? = nil
    /// For link-layer messages (ARP, LLDP, CDP, STP), which carry no IP endpoints: the sender's and
    /// receiver's Ethernet addresses (`00:1b:1b:aa:bb:cc`); nil for IP messages.
    public var sourceMAC: String? = nil
    public var destinationMAC: String? = nil
    /// Where the message was read: the 1-based frame number (as Wireshark numbers it) of the packet
    /// that completed it, and the index of its capture among the run's inputs. Alerts cite them as
    /// evidence and `converge carve` cuts them out; nil for messages not read from a capture.
    public var frame: Int? = nil
    public var captureIndex: Int? = nil

    public init(
        time: Timestamp, flowID: UInt64, client: Endpoint, server: Endpoint, proto: String,
        direction: Direction, functionCode: Int, functionName: String, operation: Operation,
        targets: [Target] = [], status: Status = .ok, anomalies: [String] = []
    ) {
        self.time = time
        self.flowID = flowID
        self.client = client
        self.server = server
        self.proto = proto
        self.direction = direction
        self.functionCode = functionCode
        self.functionName = functionName
        self.operation = operation
        self.targets = targets
        self.status = status
        self.anomalies = anomalies
    }

    /// Something a message touches: a register range, a point, an object, a tag.
    public struct Target: Sendable, Codable, Hashable {
        public var kind: String
        public var address: Int
        public var count: Int
        public var values: [Int]
        /// The target's symbolic address where the protocol names it (an OPC UA NodeId such as
        /// `ns=2;s=Temperature`, a tag name, an MQTT topic); nil where the numeric address says it all.
        public var name: String? = nil
        /// The carried value as text where it is not an integer (a float, a string, a
        /// structure's summary); nil when `values` says it all.
        public var value: String? = nil
        public init(
            kind: String, address: Int, count: Int = 1, values: [Int] = [], name: String? = nil, value: String? = nil
        ) {
            self.kind = kind
            self.address = address
            self.count = count
            self.values = values
            self.name = name
            self.value = value
        }
    }

    /// In JSON: `{"state": "ok"}`, `{"state": "pending"}` (a request not yet answered) or
    /// `{"state": "exception", "code": 2, "name": "illegal_data_address"}`.
    public enum Status: Sendable, Codable, Hashable {
        case ok
        case exception(code: Int, name: String)
        case pending

        /// The kind alone, without an exception's code and name: 0 ok, 1 exception, 2 pending.
        public var kindIndex: Int {
            switch self {
            case .ok: 0
            case .exception: 1
            case .pending: 2
            }
        }

        enum CodingKeys: String, CodingKey { case state, code, name }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            switch try c.decode(String.self, forKey: .state) {
            case "ok": self = .ok
            case "pending": self = .pending
            default:
                self = .exception(code: try c.decode(Int.self, forKey: .code), name: try c.decode(String.self, forKey: .name))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .ok: try c.encode("ok", forKey: .state)
            case .pending: try c.encode("pending", forKey: .state)
            case .exception(let code, let name):
                try c.encode("exception", forKey: .state)
                try c.encode(code, forKey: .code)
                try c.encode(name, forKey: .name)
            }
        }
    }
}

/// Something learned about an endpoint, with where it was learned.
public struct AssetFact: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case hostname, vendor, model, productCode = "product_code", firmware, revision, serial, os
        case moduleName = "module_name", role, macAddress = "mac_address"
        /// Plant designation and copyright entry a device reports about itself (S7 SZL 0x001C).
        case plantID = "plant_id", copyright
        /// Software a host runs, as it announces itself (an SSH, FTP or Telnet banner, an HTTP
        /// Server or User-Agent header, a UPnP SERVER product token).
        case software
        /// A fingerprint of a host's protocol stack, prefixed by its method (`ja3=…`, `ja4=…`,
        /// `ja3s=…`, `hassh=…`).
        case fingerprint
        /// A certificate a server presented (`CN=…, O=…; issuer CN=…; not_after=…`).
        case certificate
        /// The Windows or DNS domain or workgroup a host belongs to (NTLM, SMB, NetBIOS).
        case domain
        /// A login name seen on the wire, as the host's user (never a password).
        case userName = "user_name"
        /// A network service a host offers: a DNS-SD type (`_ipp._tcp`), a UPnP device or service type.
        case service
        /// The DHCP vendor class a client sends (option 60: `MSFT 5.0`, `android-dhcp-13`, `udhcp 1.30.1`).
        case vendorClass = "vendor_class"
        /// A DHCP client's parameter request list (option 55, DHCPv6 ORO) as `1,3,6,15,…`: it
        /// tells operating systems apart.
        case dhcpFingerprint = "dhcp_fingerprint"
        /// What a device says it can be (LLDP/CDP capabilities: `bridge,router`).
        case capabilities
        /// A port or interface of the device (LLDP port id and description, CDP port id).
        case interface
        /// A VLAN the device or its port belongs to (LLDP port VLAN id, CDP native VLAN).
        case vlan
        /// An address the device says it is managed at (LLDP/CDP management address).
        case managementAddress = "management_address"
        /// An IP address a device uses, learned at the link layer (an ARP binding: fact on the MAC).
        case ipAddress = "ip_address"
        /// The bridge a switch takes as the spanning-tree root (`32768/00:1b:…`).
        case stpRoot = "stp_root"
    }
    public var time: Timestamp
    public var address: IPAddress
    public var kind: Kind
    public var value: String
    /// The protocol and message that revealed it, e.g. "modbus/43.14".
    public var source: String
    /// The device's Ethernet address when the fact was learned at the link layer (LLDP, CDP, STP,
    /// ARP); `address` is then the device's IP when the frame named one, else unset (0.0.0.0).
    public var mac: String? = nil
    /// How far the fact can be trusted; nil means the device said so itself (high). Inferences
    /// (a passive OS guess from a TTL and TCP options) say `low` or `medium`.
    public var confidence: Confidence? = nil

    public enum Confidence: String, Sendable, Codable { case low, medium, high }

    private enum CodingKeys: String, CodingKey { case time, address, kind, value, source, mac, confidence }

    /// `address` is left out when unset (a switch known only by its MAC), rather than written as
    /// `::`, which is a real (unspecified) IPv6 address.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time, forKey: .time)
        if address.bits != 0 { try c.encode(address, forKey: .address) }
        try c.encode(kind, forKey: .kind)
        try c.encode(value, forKey: .value)
        try c.encode(source, forKey: .source)
        try c.encodeIfPresent(mac, forKey: .mac)
        try c.encodeIfPresent(confidence, forKey: .confidence)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        time = try c.decode(Timestamp.self, forKey: .time)
        address = try c.decodeIfPresent(IPAddress.self, forKey: .address) ?? IPAddress(bits: 0)
        kind = try c.decode(Kind.self, forKey: .kind)
        value = try c.decode(String.self, forKey: .value)
        source = try c.decode(String.self, forKey: .source)
        mac = try c.decodeIfPresent(String.self, forKey: .mac)
        confidence = try c.decodeIfPresent(Confidence.self, forKey: .confidence)
    }
    public init(time: Timestamp, address: IPAddress, kind: Kind, value: String, source: String) {
        self.time = time
        self.address = address
        self.kind = kind
        self.value = value
        self.source = source
    }
}

/// A process value read or written on the wire, tied to a tag such as `modbus://10.1.1.5/1/hr/40`.
public struct ProcessValue: Sendable, Codable, Hashable {
    public var time: Timestamp
    public var tag: String
    public var value: Double
    public var written: Bool
    /// The quality the wire gives the value, as the protocol encodes it (a DNP3 flags octet, an
    /// IEC 104 quality descriptor, an OPC UA status code); nil where the wire carries none.
    public var quality: UInt32? = nil
    public init(time: Timestamp, tag: String, value: Double, written: Bool, quality: UInt32? = nil) {
        self.time = time
        self.tag = tag
        self.value = value
        self.written = written
        self.quality = quality
    }
}
