import ConvergeModel

/// What a device does in the plant, as the traffic and its identity show it.
public enum Role: String, Sendable, Codable, CaseIterable {
    case plc, rtu, ied
    case safetyController = "safety_controller"
    case hmi
    case engineeringWorkstation = "engineering_workstation"
    case historian
    case scadaServer = "scada_server"
    case mqttBroker = "mqtt_broker"
    case fieldDevice = "field_device"
    case networkDevice = "network_device"
    case infrastructureServer = "infrastructure_server"
    case itServer = "it_server"
    case itWorkstation = "it_workstation"
    case iotController = "iot_controller"
    case unknown

    /// The words a person reads (`engineering workstation`, `domain/DNS/DHCP server`).
    public var label: String {
        switch self {
        case .plc: "PLC"
        case .rtu: "RTU"
        case .ied: "IED"
        case .safetyController: "safety controller"
        case .hmi: "HMI"
        case .engineeringWorkstation: "engineering workstation"
        case .historian: "historian"
        case .scadaServer: "SCADA/OPC server"
        case .mqttBroker: "MQTT broker"
        case .fieldDevice: "field device/IO"
        case .networkDevice: "switch/router/firewall"
        case .infrastructureServer: "domain/DNS/DHCP server"
        case .itServer: "IT server"
        case .itWorkstation: "IT workstation"
        case .iotController: "IoT/BMS controller"
        case .unknown: "unknown"
        }
    }
}

/// A level of the Purdue model: 0 process, 1 basic control, 2 supervisory, 3 operations, 3.5 the
/// IT/OT DMZ, 4 business, 5 enterprise and the internet.
public enum PurdueLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case level0 = "0", level1 = "1", level2 = "2", level3 = "3", dmz = "3.5", level4 = "4", level5 = "5"

    public var value: Double { Double(rawValue) ?? 0 }
    public static func < (a: PurdueLevel, b: PurdueLevel) -> Bool { a.value < b.value }
    /// Levels 0–3: the operational (OT) side.
    public var isOT: Bool { self <= .level3 }
}

/// An address an asset used, and how it was tied to the asset.
public struct AssetAddress: Sendable, Codable, Hashable {
    public var address: IPAddress
    public var scope: AddressScope
    /// `arp`, `dhcp` (the device's own binding), `ethernet` (frames carried it with the asset's
    /// MAC) or `ip` (only the IP address is known: a routed or external host).
    public var binding: String
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
}

/// How an asset used one protocol, as a server or as a client.
public struct ProtocolUse: Sendable, Codable, Hashable {
    public var messages: UInt64 = 0
    public var peers: Int = 0
    /// Requests by operation (`read`, `write`, `program` …).
    public var operations: [String: UInt64] = [:]
}

/// One device: its addresses, its identity with provenance, what it does and where it sits.
public struct Asset: Sendable, Codable {
    /// Stable across captures: `mac:00:1b:1b:aa:bb:cc` for a device seen on a local segment,
    /// `ip:203.0.113.9` for one known only by its IP (routed or external).
    public var id: String
    public var macs: [String]
    /// The IEEE registry's organisation for the first MAC (nil for randomised or unknown MACs).
    public var macVendor: String?
    public var addresses: [AssetAddress]
    /// Identity by fact kind (`vendor`, `model`, `firmware`, `hostname` …), every value kept.
    public var identity: [String: [Observation]]
    public var role: Role
    public var roleReasons: [String]
    public var level: PurdueLevel?
    public var levelReasons: [String]
    /// Seen only through a router's MAC: a host of another subnet or outside the plant.
    public var routed: Bool
    /// A public address outside the plant.
    public var external: Bool
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    /// Protocols the asset answered (it is the server) and used (it is the client), by name.
    public var serves: [String: ProtocolUse]
    public var uses: [String: ProtocolUse]
    /// Things a person should look at: one IP answered from two MACs, conflicting identities.
    public var notes: [String]

    /// The value most worth showing for `kind`: the most trusted, then the latest.
    public func current(_ kind: AssetFact.Kind) -> String? {
        identity[kind.rawValue]?.max { a, b in
            (a.confidence.rank, a.lastSeen, a.count) < (b.confidence.rank, b.lastSeen, b.count)
        }?.value
    }
}
