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

/// One row of the asset list, read from `asset_list` (migration `v4_policy`, rebuilt on every
/// commit): the list never decodes an asset's JSON record.
public struct AssetListRow: Sendable, Hashable {
    public var id: String
    public var role: String
    public var level: String?
    public var vendor: String?
    public var model: String?
    public var firmware: String?
    public var hostname: String?
    public var addresses: [String]
    public var protocols: [String]
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp

    public init(
        id: String, role: String, level: String?, vendor: String?, model: String?, firmware: String?,
        hostname: String?, addresses: [String], protocols: [String], firstSeen: Timestamp, lastSeen: Timestamp
    ) {
        self.id = id
        self.role = role
        self.level = level
        self.vendor = vendor
        self.model = model
        self.firmware = firmware
        self.hostname = hostname
        self.addresses = addresses
        self.protocols = protocols
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// The row of an asset (what `asset_list` holds; the list of a store committed before that
    /// table existed is built this way from the records).
    public init(_ asset: Asset) {
        let row = try? StoreSchema.assetRow(asset)
        self.init(
            id: asset.id, role: asset.role.rawValue, level: asset.level?.rawValue, vendor: row?[3] ?? nil,
            model: row?[4] ?? nil, firmware: row?[5] ?? nil, hostname: asset.current(.hostname).map(ColumnText.of),
            addresses: asset.addresses.map { "\($0.address)" }, protocols: AssetListTable.protocols(asset),
            firstSeen: asset.firstSeen, lastSeen: asset.lastSeen)
    }
}

public struct AssetRowPage: Sendable {
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var rows: [AssetListRow]
}

/// `asset_list` (migration `v4_policy`): one narrow row per asset with just what the asset list
/// shows, sorts, filters and searches, rebuilt with `assets` on every commit. The list reads only
/// this table: no asset record is decoded, and scans and sorts move ~200-byte rows instead of
/// rows carrying each asset's whole JSON record.
enum AssetListTable {
    /// Columns in insert order. `addresses` and `protocols` are newline-separated; `search` is the
    /// lowercased text a search matches (id, MACs, MAC vendor, addresses, every identity value).
    static let columns = [
        "id", "role", "level", "vendor", "model", "firmware", "first_seen", "last_seen", "hostname", "addresses",
        "protocols", "search",
    ]

    static func migration() -> [String] {
        [
            """
            CREATE TABLE asset_list (
                id TEXT PRIMARY KEY, role TEXT NOT NULL, level TEXT, vendor TEXT, model TEXT, firmware TEXT,
                first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, hostname TEXT, addresses TEXT NOT NULL,
                protocols TEXT NOT NULL, search TEXT NOT NULL)
            """,
            // The list's sorts, id breaking ties, so a page is read off an index.
            "CREATE INDEX asset_list_role ON asset_list (role, id)",
            "CREATE INDEX asset_list_level ON asset_list (level, id)",
            "CREATE INDEX asset_list_vendor ON asset_list (vendor, id)",
            "CREATE INDEX asset_list_last_seen ON asset_list (last_seen, id)",
        ]
    }

    static func protocols(_ asset: Asset) -> [String] { Set(asset.serves.keys).union(asset.uses.keys).sorted() }

    /// One asset's row as text, in `columns` order (no NUL: PostgreSQL's TEXT cannot hold one).
    static func row(_ asset: Asset) throws -> [String?] {
        var search = asset.id + "\n" + asset.macs.joined(separator: "\n")
        if let vendor = asset.macVendor { search += "\n" + vendor }
        for address in asset.addresses { search += "\n\(address.address)" }
        for kind in asset.identity.keys.sorted() {
            for observation in asset.identity[kind] ?? [] { search += "\n" + observation.value }
        }
        let stored = try StoreSchema.assetRow(asset)
        return [
            asset.id, asset.role.rawValue, asset.level?.rawValue, stored[3].map(ColumnText.of),
            stored[4].map(ColumnText.of), stored[5].map(ColumnText.of), String(asset.firstSeen.nanoseconds),
            String(asset.lastSeen.nanoseconds), asset.current(.hostname).map(ColumnText.of),
            asset.addresses.map { "\($0.address)" }.joined(separator: "\n"), protocols(asset).joined(separator: "\n"),
            ColumnText.of(search.lowercased()),
        ]
    }
}
