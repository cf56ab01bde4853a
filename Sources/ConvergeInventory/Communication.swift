import ConvergeModel

/// Client → server traffic between two assets over one protocol.
public struct Communication: Sendable, Codable, Hashable {
    public var client: String
    public var server: String
    /// The application protocol (`modbus`), or the transport and port when none was recognised
    /// (`tcp/8080`).
    public var proto: String
    public var messages: UInt64
    /// Requests by operation kind.
    public var operations: [String: UInt64]
    public var packets: UInt64
    public var bytes: UInt64
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
}

/// Something that changed about the inventory, in words and in fields detection can match on.
public struct AssetChange: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case newAsset = "new_asset"
        case newAddress = "new_address"
        case identityChange = "identity_change"
        case roleChange = "role_change"
        case levelChange = "level_change"
        /// Firmware operations sent to the device (an update, or an attempt).
        case firmwareUpdate = "firmware_update"
        /// Logic uploaded, downloaded or deleted.
        case programTransfer = "program_transfer"
    }

    public var time: Timestamp
    public var asset: String
    public var kind: Kind
    /// For an identity change, the fact kind (`firmware`); for an address, `address`.
    public var field: String?
    public var previous: String?
    public var current: String?
    /// Where the new value was learned (`enip/list_identity`).
    public var source: String?
    public var text: String

    public init(
        time: Timestamp, asset: String, kind: Kind, field: String?, previous: String?, current: String?,
        source: String?, text: String
    ) {
        self.time = time
        self.asset = asset
        self.kind = kind
        self.field = field
        self.previous = previous
        self.current = current
        self.source = source
        self.text = text
    }
}
