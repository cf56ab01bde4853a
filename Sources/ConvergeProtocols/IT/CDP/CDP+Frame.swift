import ConvergeModel

extension CDP {
    /// One CDP announcement as `parse` found it: header, where the identifying TLVs sit (first of
    /// each), the small numbers, and what was wrong. Text is not built here.
    public struct Frame: ParsedMessage, Sendable {
        /// `cdp.version`: 1 or 2.
        public var version: UInt8 = 0
        /// Seconds the receiver keeps this information.
        public var timeToLive: UInt8 = 0
        public var checksum: UInt16 = 0
        public var deviceID = LinkField()
        /// The Addresses TLV's value (count, then addresses): the interface's own addresses.
        public var addresses = LinkField()
        public var portID = LinkField()
        /// Capability bits (`capabilityNames`); `hasCapabilities` when present.
        public var capabilities: UInt32 = 0
        public var hasCapabilities = false
        public var softwareVersion = LinkField()
        public var platform = LinkField()
        public var vtpDomain = LinkField()
        /// Native VLAN, 0 when absent.
        public var nativeVLAN: UInt16 = 0
        /// Duplex byte (0 half, 1 full) when `hasDuplex`.
        public var duplex: UInt8 = 0
        public var hasDuplex = false
        /// The Management Addresses TLV's value (same layout as `addresses`).
        public var managementAddresses = LinkField()
        /// TLVs walked.
        public var tlvCount: UInt16 = 0
        public var anomalies: Anomalies = []

        public init() {}

        /// `cdp.version`.
        public var functionCode: Int { Int(version) }
        public var hasFunction: Bool { true }
    }

    /// What was wrong with a CDP frame whose header was read.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// A TLV's length runs past the end of the frame.
        public static let truncatedTLV = Anomalies(rawValue: 1 << 0)
        /// A TLV length under its 4-byte header, or a fixed-size TLV of the wrong size.
        public static let badTLVLength = Anomalies(rawValue: 1 << 1)
        /// More than `maxTLVs` TLVs: the rest were not read.
        public static let tooManyTLVs = Anomalies(rawValue: 1 << 2)
        /// A version other than 1 or 2.
        public static let unknownVersion = Anomalies(rawValue: 1 << 3)
        /// No Device ID TLV.
        public static let missingDeviceID = Anomalies(rawValue: 1 << 4)
        /// An address list whose count or entries run past its TLV.
        public static let badAddressList = Anomalies(rawValue: 1 << 5)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.truncatedTLV, "cdp.truncated_tlv"),
            (.badTLVLength, "cdp.bad_tlv_length"),
            (.tooManyTLVs, "cdp.too_many_tlvs"),
            (.unknownVersion, "cdp.unknown_version"),
            (.missingDeviceID, "cdp.missing_device_id"),
            (.badAddressList, "cdp.bad_address_list"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }

    /// TLV types read here.
    public enum TLVType {
        public static let deviceID: UInt16 = 0x0001
        public static let addresses: UInt16 = 0x0002
        public static let portID: UInt16 = 0x0003
        public static let capabilities: UInt16 = 0x0004
        public static let softwareVersion: UInt16 = 0x0005
        public static let platform: UInt16 = 0x0006
        public static let vtpDomain: UInt16 = 0x0009
        public static let nativeVLAN: UInt16 = 0x000A
        public static let duplex: UInt16 = 0x000B
        public static let managementAddresses: UInt16 = 0x0016
    }
}
