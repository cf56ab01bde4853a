import ConvergeModel

/// One value an asset was seen to have (a firmware version, a hostname), with its provenance: the
/// protocol message that said so, when it was first and last said, how often, and how far it can
/// be trusted. An asset keeps every distinct value, so conflicts stay visible.
public struct Observation: Sendable, Codable, Hashable {
    public var value: String
    /// The protocol and message that revealed it (`s7comm/szl 0x0011`, `arp/reply`).
    public var source: String
    public var confidence: AssetFact.Confidence
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    public var count: UInt64

    public init(
        value: String, source: String, confidence: AssetFact.Confidence, firstSeen: Timestamp, lastSeen: Timestamp,
        count: UInt64 = 1
    ) {
        self.value = value
        self.source = source
        self.confidence = confidence
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
    }
}

extension AssetFact.Confidence {
    var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }
}

/// Values of one kind (all firmware versions an asset reported), bounded.
struct ObservationList: Sendable, Codable {
    /// Distinct values kept per kind; a device that reports a new serial every second cannot grow
    /// the inventory without bound (the overflow is counted).
    static let capacity = 16
    /// Longest value kept, in characters: a hostile 64 KB hostname is cut, not stored whole.
    static let maxValueLength = 256

    private(set) var items: [Observation] = []
    private(set) var dropped: UInt64 = 0

    mutating func add(_ value: String, source: String, confidence: AssetFact.Confidence, time: Timestamp) {
        let value = Self.bounded(value)
        // Lengths first: a string's length sits in the string itself, so values of another length
        // (most hostnames of a host) are passed over without reading their bytes.
        let length = value.utf8.count
        if let i = items.firstIndex(where: { $0.value.utf8.count == length && $0.value == value }) {
            Self.seenAgain(&items[i], source: source, confidence: confidence, time: time)
            return
        }
        guard items.count < Self.capacity else {
            dropped &+= 1
            return
        }
        items.append(Observation(value: value, source: source, confidence: confidence, firstSeen: time, lastSeen: time))
    }

    /// One access to the item for all its changes (each `items[i].x = …` checks the array's
    /// ownership and bounds again).
    private static func seenAgain(
        _ item: inout Observation, source: String, confidence: AssetFact.Confidence, time: Timestamp
    ) {
        item.count &+= 1
        item.firstSeen = min(item.firstSeen, time)
        if time >= item.lastSeen {
            item.lastSeen = time
            item.source = source
        }
        if confidence.rank > item.confidence.rank { item.confidence = confidence }
    }

    mutating func merge(_ other: ObservationList) {
        for item in other.items {
            if let i = items.firstIndex(where: { $0.value == item.value }) {
                items[i].count &+= item.count
                items[i].firstSeen = min(items[i].firstSeen, item.firstSeen)
                if item.lastSeen >= items[i].lastSeen {
                    items[i].lastSeen = item.lastSeen
                    items[i].source = item.source
                }
                if item.confidence.rank > items[i].confidence.rank { items[i].confidence = item.confidence }
            } else if items.count < Self.capacity {
                items.append(item)
            } else {
                dropped &+= item.count
            }
        }
        dropped &+= other.dropped
    }

    /// Ordered as they appeared.
    var chronological: [Observation] {
        items.sorted { ($0.firstSeen, $0.value) < ($1.firstSeen, $1.value) }
    }

    static func bounded(_ value: String) -> String {
        // Characters never outnumber UTF-8 bytes: a short value is let through without counting
        // its characters (a walk over grapheme boundaries, for every fact).
        guard value.utf8.count > maxValueLength, value.count > maxValueLength else { return value }
        return String(value.prefix(maxValueLength)) + "…"
    }
}
