import ConvergeModel

extension STP {
    /// A bridge identifier: 4-bit priority (a multiple of 4096), 12-bit system id extension (the
    /// VLAN or MST instance, 802.1t) and the bridge's MAC.
    public struct BridgeID: Sendable, Equatable {
        public var raw: UInt64 = 0
        public init(raw: UInt64) { self.raw = raw }
        public init() {}
        /// `stp.root.prio` / `stp.bridge.prio`.
        public var priority: UInt16 { UInt16(truncatingIfNeeded: raw >> 48) & 0xF000 }
        /// `stp.root.ext` / `stp.bridge.ext`.
        public var systemIDExtension: UInt16 { UInt16(truncatingIfNeeded: raw >> 48) & 0x0FFF }
        /// `stp.root.hw` / `stp.bridge.hw`.
        public var mac: UInt64 { raw & 0xFFFF_FFFF_FFFF }
        /// `32768/00:1b:1b:aa:bb:cc`.
        public var text: String { "\(priority)/\(MACAddress.text(mac))" }
    }

    /// One BPDU as `parse` read it (all fixed fields, nothing to point at).
    public struct Frame: ParsedMessage, Sendable {
        /// Protocol version: 0 STP, 2 RSTP, 3 MSTP (`stp.version`).
        public var version: UInt8 = 0
        /// `stp.type`: 0x00 configuration, 0x80 topology change notification, 0x02 RST/MST.
        public var bpduType: UInt8 = 0
        /// Flags (config, RST, MST): `Flag`.
        public var flags: UInt8 = 0
        public var rootID = BridgeID()
        public var rootPathCost: UInt32 = 0
        public var bridgeID = BridgeID()
        public var portID: UInt16 = 0
        /// Timers in 1/256 s, as on the wire.
        public var messageAge: UInt16 = 0
        public var maxAge: UInt16 = 0
        public var helloTime: UInt16 = 0
        public var forwardDelay: UInt16 = 0
        /// MST: the CIST regional root (the bridge id after the configuration id) and the
        /// number of MSTI records that follow.
        public var cistBridgeID = BridgeID()
        public var mstiCount: UInt8 = 0
        /// Cisco PVST+: the VLAN the BPDU was sent on (its originating VLAN TLV), 0 when absent.
        public var pvstVLAN: UInt16 = 0
        public var isPVST = false
        public var anomalies: Anomalies = []

        public init() {}

        /// `stp.type`.
        public var functionCode: Int { Int(bpduType) }
        public var hasFunction: Bool { true }
        public var isTCN: Bool { bpduType == BPDUType.topologyChangeNotification }
        /// A TCN, or a config/RST BPDU with its topology change flag set.
        public var signalsTopologyChange: Bool { isTCN || flags & Flag.topologyChange != 0 }
        /// Port role from RST/MST flags bits 2–3: 0 unknown, 1 alternate/backup, 2 root, 3 designated.
        public var portRole: UInt8 { (flags >> 2) & 0x03 }
        /// `config_bpdu`, `tcn_bpdu`, `rst_bpdu`, `mst_bpdu`, or `bpdu_<type>` for other types.
        public var functionName: String {
            switch bpduType {
            case BPDUType.configuration: "config_bpdu"
            case BPDUType.topologyChangeNotification: "tcn_bpdu"
            case BPDUType.rapid: version >= 3 ? "mst_bpdu" : "rst_bpdu"
            default: "bpdu_\(bpduType)"
            }
        }
    }

    public enum BPDUType {
        public static let configuration: UInt8 = 0x00
        public static let topologyChangeNotification: UInt8 = 0x80
        public static let rapid: UInt8 = 0x02
    }

    /// Flag bits of config, RST and MST BPDUs (802.1D-2004 9.3.3).
    public enum Flag {
        public static let topologyChange: UInt8 = 0x01
        public static let proposal: UInt8 = 0x02
        public static let learning: UInt8 = 0x10
        public static let forwarding: UInt8 = 0x20
        public static let agreement: UInt8 = 0x40
        public static let topologyChangeAck: UInt8 = 0x80
    }

    /// What was wrong with a BPDU whose header was read.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// A topology change: a TCN BPDU, or the TC flag set. Not malformed, but worth a look:
        /// a port flapping or a new bridge makes every switch flush its MAC table.
        public static let topologyChange = Anomalies(rawValue: 1 << 0)
        /// The protocol identifier is not 0.
        public static let badProtocolID = Anomalies(rawValue: 1 << 1)
        /// A BPDU shorter than its type's fixed fields (the fields missing read as 0).
        public static let truncated = Anomalies(rawValue: 1 << 2)
        /// A BPDU type other than 0x00, 0x80 and 0x02.
        public static let unknownType = Anomalies(rawValue: 1 << 3)
        /// An MST BPDU whose version 3 length disagrees with the bytes or the MSTI size.
        public static let badMSTLength = Anomalies(rawValue: 1 << 4)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.topologyChange, "stp_topology_change"),
            (.badProtocolID, "stp.bad_protocol_id"),
            (.truncated, "stp.truncated"),
            (.unknownType, "stp.unknown_type"),
            (.badMSTLength, "stp.bad_mst_length"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
