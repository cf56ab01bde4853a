import ConvergeModel

extension LLDP {
    /// One LLDPDU as `parse` found it: the mandatory TLVs, where the identifying optional TLVs sit
    /// (first occurrence of each), and what was wrong. Text is not built here.
    public struct Frame: ParsedMessage, Sendable {
        /// Chassis id subtype (1 chassis component … 4 MAC address, 5 network address, 7 local).
        public var chassisSubtype: UInt8 = 0
        /// The chassis id after its subtype byte.
        public var chassisID = LinkField()
        public var portSubtype: UInt8 = 0
        public var portID = LinkField()
        /// Seconds the receiver keeps this information; 0 is a shutdown LLDPDU.
        public var timeToLive: UInt16 = 0
        public var hasTimeToLive = false
        public var portDescription = LinkField()
        public var systemName = LinkField()
        public var systemDescription = LinkField()
        /// System capabilities TLV (bits: `capabilityNames`); `hasCapabilities` when present.
        public var capabilitiesSupported: UInt16 = 0
        public var capabilitiesEnabled: UInt16 = 0
        public var hasCapabilities = false
        /// The first management address TLV's value (all of them are read again for events).
        public var managementAddress = LinkField()
        public var managementAddressCount: UInt8 = 0
        /// IEEE 802.1 port VLAN id (subtype 1), 0 when absent.
        public var portVLAN: UInt16 = 0
        /// IEEE 802.1 VLAN name (subtype 3): the first one's id and name.
        public var vlanNameID: UInt16 = 0
        public var vlanName = LinkField()
        /// IEEE 802.3 MAC/PHY configuration/status (subtype 1).
        public var hasMACPHY = false
        public var autoNegotiation: UInt8 = 0
        public var operationalMAUType: UInt16 = 0
        /// Any PROFINET (OUI 00-0E-CF) TLV present: the chassis id is then the station's name.
        public var isPROFINET = false
        /// PROFINET chassis MAC (subtype 5), 0 when absent.
        public var profinetChassisMAC: UInt64 = 0
        /// TLVs walked, End included.
        public var tlvCount: UInt16 = 0
        public var anomalies: Anomalies = []

        public init() {}

        /// 1 for an LLDPDU, 0 for a shutdown LLDPDU (TTL 0): LLDP has no function field, so the
        /// two kinds 802.1AB distinguishes are counted as functions.
        public var functionCode: Int { timeToLive == 0 ? 0 : 1 }
        public var hasFunction: Bool { true }
        public var isShutdown: Bool { timeToLive == 0 }
    }

    /// What was wrong with an LLDPDU whose mandatory TLVs were read.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// A TLV's length runs past the end of the frame.
        public static let truncatedTLV = Anomalies(rawValue: 1 << 0)
        /// The TLVs ended without End of LLDPDU.
        public static let missingEnd = Anomalies(rawValue: 1 << 1)
        /// More than `maxTLVs` TLVs: the rest were not read.
        public static let tooManyTLVs = Anomalies(rawValue: 1 << 2)
        /// A mandatory TLV (chassis id, port id, TTL) again after the first three.
        public static let duplicateMandatory = Anomalies(rawValue: 1 << 3)
        /// A TLV shorter than its type's fixed fields (TTL not 2 bytes, an id with no value, …).
        public static let badTLVLength = Anomalies(rawValue: 1 << 4)
        /// A reserved TLV type (9–126).
        public static let reservedTLV = Anomalies(rawValue: 1 << 5)
        /// Capabilities enabled that are not supported.
        public static let enabledNotSupported = Anomalies(rawValue: 1 << 6)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.truncatedTLV, "lldp.truncated_tlv"),
            (.missingEnd, "lldp.missing_end"),
            (.tooManyTLVs, "lldp.too_many_tlvs"),
            (.duplicateMandatory, "lldp.duplicate_mandatory_tlv"),
            (.badTLVLength, "lldp.bad_tlv_length"),
            (.reservedTLV, "lldp.reserved_tlv"),
            (.enabledNotSupported, "lldp.enabled_not_supported"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }

    /// TLV types (IEEE 802.1AB-2016 table 8-1).
    public enum TLVType {
        public static let end: UInt8 = 0
        public static let chassisID: UInt8 = 1
        public static let portID: UInt8 = 2
        public static let timeToLive: UInt8 = 3
        public static let portDescription: UInt8 = 4
        public static let systemName: UInt8 = 5
        public static let systemDescription: UInt8 = 6
        public static let systemCapabilities: UInt8 = 7
        public static let managementAddress: UInt8 = 8
        public static let organizationSpecific: UInt8 = 127
    }

    /// Organizationally unique identifiers of the org-specific TLVs read here.
    public enum OUI {
        public static let ieee8021: UInt32 = 0x0080C2
        public static let ieee8023: UInt32 = 0x00120F
        public static let profinet: UInt32 = 0x000ECF
    }
}
