import ConvergeInventory
import ConvergeModel

/// How the asset list can be ordered; each maps to an indexed column of `assets`.
public enum AssetSort: String, Sendable, CaseIterable, Codable {
    case id, role, level, vendor
    case lastSeen = "last_seen"

    var column: String {
        switch self {
        case .id: "id"
        case .role: "role"
        case .level: "level"
        case .vendor: "vendor"
        case .lastSeen: "last_seen"
        }
    }

    /// Level and vendor may be NULL; the backends order NULLs differently, so those sorts say where.
    var nullable: Bool { self == .level || self == .vendor }
}

/// One page of the asset list as the console asks for it. Every field comes from a user.
public struct AssetQuery: Sendable, Hashable {
    public static let maxPageSize = 200
    /// Pages past this are refused rather than scanned (10 million rows at the largest page).
    public static let maxPage = 50_000
    public static let maxSearchLength = 200

    public var page = 1
    public var pageSize = 50
    public var sort = AssetSort.id
    public var descending = false
    public var level: String?
    public var role: String?
    public var vendor: String?
    public var proto: String?
    public var search: String?

    public init() {}

    /// The same query with every number inside its bounds.
    public var clamped: AssetQuery {
        var q = self
        q.page = min(max(page, 1), Self.maxPage)
        q.pageSize = min(max(pageSize, 1), Self.maxPageSize)
        if let s = search { q.search = String(s.prefix(Self.maxSearchLength)) }
        return q
    }
}

public struct AssetPage: Sendable {
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var assets: [Asset]
}

/// A search of conversations: by asset (either end), protocol, operation and time range.
public struct CommunicationQuery: Sendable, Hashable {
    public static let maxPageSize = 500
    /// The most conversations one search reads before filtering; a bound on work per request.
    public static let maxScanned = 200_000

    public var asset: String?
    public var proto: String?
    public var operation: String?
    public var from: Timestamp?
    public var to: Timestamp?
    public var page = 1
    public var pageSize = 100

    public init() {}
}

public struct CommunicationPage: Sendable {
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var items: [Communication]
    /// True when the search stopped at `CommunicationQuery.maxScanned` rows.
    public var truncated: Bool
}

/// A value and how many rows carry it.
public struct CountedValue: Sendable, Codable, Hashable {
    public var value: String
    public var count: Int
    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}

/// Activity in one bucket of time (a day, starting at `start`).
public struct ActivityBucket: Sendable, Codable, Hashable {
    public var start: Timestamp
    public var firstSeen: Int
    public var lastSeen: Int
    public var changes: Int
}

public struct Overview: Sendable {
    public var assets: Int
    public var communications: Int
    public var byLevel: [CountedValue]
    public var byRole: [CountedValue]
    public var byVendor: [CountedValue]
    /// Protocols by the number of client→server pairs that used them.
    public var protocols: [CountedValue]
    public var activity: [ActivityBucket]
    public var captures: [CaptureRecord]
}

/// A change as stored, with its place in the log (`seq` only grows).
public struct StoredChange: Sendable {
    public var seq: Int64
    public var change: AssetChange
}

public struct ChangeQuery: Sendable, Hashable {
    public static let maxLimit = 1000
    public var asset: String?
    /// Only changes logged after this sequence number (for live updates).
    public var afterSeq: Int64?
    public var limit = 200
    /// Newest first (the pages) or oldest first (live updates after `afterSeq`).
    public var newestFirst = true
    public init() {}
}
