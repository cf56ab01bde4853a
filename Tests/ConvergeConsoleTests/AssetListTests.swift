@testable import ConvergeConsole
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation
import Testing

/// The asset list read from `asset_list` (`assetRows`) shows exactly what the assets' full records
/// say, pages and sorts them like the record path, and still works on a store committed before
/// that table existed. On SQLite and PostgreSQL.
@Suite("Asset list rows")
struct AssetListTests {
    static func query(_ change: (inout AssetQuery) -> Void) -> AssetQuery {
        var q = AssetQuery()
        change(&q)
        return q
    }

    /// Queries and how many assets of the crafted store each matches.
    static let queries: [(query: AssetQuery, total: Int)] = [
        (AssetQuery(), 33),
        (query { $0.pageSize = 200 }, 33),
        (query { $0.search = "plc-1" }, 10),
        (query { $0.search = "<SCRIPT>" }, 1),
        (query { $0.search = "100%_match\\" }, 1),
        (query { $0.search = "100%_matc_" }, 0),
        (query { $0.search = "10.0.1." }, 30),
        (query { $0.search = "00:0c:29" }, 2),
        (query { $0.proto = "modbus"; $0.pageSize = 200 }, 4),
        (query { $0.level = "unknown"; $0.pageSize = 200 }, -1),
        (query { $0.role = "plc"; $0.sort = .vendor; $0.descending = true }, -1),
        (query { $0.level = "unknown"; $0.sort = .level; $0.pageSize = 200 }, -1),
        (query { $0.level = "1"; $0.sort = .level; $0.descending = true; $0.pageSize = 5; $0.page = 2 }, -1),
        (query { $0.vendor = Hostile.control; $0.sort = .vendor }, 1),
    ]

    @Test("rows equal the rows of the full records, for every filter", arguments: ConsoleBackend.available)
    func rowsMatchRecords(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            for (q, total) in Self.queries {
                let rows = try await store.assetRows(q)
                if total >= 0 { #expect(rows.total == total, "\(q)") }
                #expect(rows.rows.count == min(rows.total, q.pageSize), "\(q)")
                if q.search == nil {
                    // Without a search the filters are the record path's: the same page.
                    let records = try await store.assetPage(q)
                    #expect(rows.total == records.total, "\(q)")
                    #expect(rows.rows == records.assets.map(AssetListRow.init), "\(q)")
                }
                for row in rows.rows {
                    let asset = try #require(try await store.asset(id: row.id))
                    #expect(row == AssetListRow(asset), "\(row.id)")
                }
            }
            for sort in [AssetSort.id, .vendor] {
                let past = try await store.assetRows(Self.query { $0.page = 99; $0.sort = sort })
                #expect(past.total == 33 && past.rows.isEmpty && past.page == 99)
            }
            let hostile = try await store.assetRows(Self.query { $0.search = "<script>" }).rows
            #expect(hostile.count == 1 && hostile.first?.hostname == Hostile.script)
        }
    }

    @Test("every sort, both ways: pages concatenate to the whole list; NULLs last", arguments: ConsoleBackend.available)
    func sortsAndPages(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            for sort in AssetSort.allCases {
                for descending in [false, true] {
                    let whole = try await store.assetRows(Self.query {
                        $0.sort = sort
                        $0.descending = descending
                        $0.pageSize = 200
                    }).rows
                    #expect(whole.count == 33)
                    var paged: [AssetListRow] = []
                    for page in 1...5 {
                        paged += try await store.assetRows(Self.query {
                            $0.sort = sort
                            $0.descending = descending
                            $0.pageSize = 7
                            $0.page = page
                        }).rows
                    }
                    #expect(paged.map(\.id) == whole.map(\.id), "\(sort) \(descending)")
                    let keys: [String?] = whole.map {
                        switch sort {
                        case .id: $0.id
                        case .role: $0.role
                        case .level: $0.level
                        case .vendor: $0.vendor
                        case .lastSeen: String(format: "%020lld", $0.lastSeen.nanoseconds)
                        }
                    }
                    // NULLs come after every value, whichever the direction.
                    if let firstNull = keys.firstIndex(where: { $0 == nil }) {
                        #expect(keys[firstNull...].allSatisfy { $0 == nil }, "\(sort) \(descending)")
                    }
                    let values = keys.compactMap { $0 }
                    if backend == .sqlite || sort == .level || sort == .lastSeen {
                        #expect(values == (descending ? values.sorted(by: >) : values.sorted()), "\(sort) \(descending)")
                    }
                }
            }
        }
    }

    @Test("a store committed before asset_list existed is listed from its records", arguments: ConsoleBackend.available)
    func storeWithoutTheListTable(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            let queries = [Self.query { $0.pageSize = 200 }, Self.query { $0.search = "plc-2" }]
            var before: [AssetRowPage] = []
            for q in queries { before.append(try await store.assetRows(q)) }
            let database = try #require(store as? any ConsoleDatabase)
            try await database.consoleExecute(ConsoleSQL("DELETE FROM asset_list"))
            for (q, expected) in zip(queries, before) {
                let after = try await store.assetRows(q)
                #expect(after.rows == expected.rows && after.total == expected.total)
            }
            let found = try await store.assetRows(Self.query { $0.search = "plc-2" })
            #expect(found.total == 10 && found.rows.allSatisfy { $0.hostname?.hasPrefix("plc-2") == true })
        }
    }

    @Test("/api/assets and the page show the rows", arguments: ConsoleBackend.available)
    func summaries(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            let records = try await store.assetPage(Self.query { $0.pageSize = 200 }).assets
            let rows = try await store.assetRows(Self.query { $0.pageSize = 200 }).rows
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            #expect(
                try encoder.encode(rows.map(AssetSummary.init)) == encoder.encode(records.map(AssetSummary.init)))
        }
    }

    @Test("the list's ISO 8601 text is Foundation's, for any time")
    func isoMatchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        var times: [Int64] = [
            0, 1, -1, 499_999_999, 500_000_000, -500_000_000, 1_500_000_000, -1_500_000_000, 999_999_999, 1_000_000_000, -1_000_000_000, -999_999_999, ConsoleFixtures.base,
            1_709_251_209_999_999_999, 951_782_400_000_000_000, 4_107_542_400_000_000_000, Int64.max, Int64.min,
        ]
        for _ in 0..<3_000 { times.append(Int64.random(in: Int64.min...Int64.max, using: &generator)) }
        for _ in 0..<3_000 { times.append(Int64.random(in: 0...4_102_444_800_000_000_000, using: &generator)) }
        for time in times {
            let ours = AssetSummary.iso(Timestamp(nanoseconds: time))
            let foundation = Timestamp(nanoseconds: time).iso
            #expect(ours == foundation, "\(time)")
            if ours != foundation { break }
        }
    }

    @Test("/api/assets' hand-written JSON reads back as the encoder's", arguments: ConsoleBackend.available)
    func listJSONMatchesTheEncoder(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            let page = try await store.assetRows(Self.query { $0.pageSize = 200 })
            let summaries = page.rows.map(AssetSummary.init)
            let ours = AssetListJSON.encode(total: page.total, page: 1, perPage: 200, assets: summaries)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let theirs = try encoder.encode(
                APIRoutes.AssetList(total: page.total, page: 1, perPage: 200, assets: summaries))
            let a = try JSONSerialization.jsonObject(with: Data(ours)) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: theirs) as? NSDictionary
            #expect(a != nil && a == b)
            // Control characters, quotes and backslashes from the wire are escaped, not raw.
            #expect(!ours.contains { $0 < 0x20 })
            var escaped: [UInt8] = []
            AssetListJSON.string("a\"b\\c\u{1}\n/é", &escaped)
            #expect(String(decoding: escaped, as: UTF8.self) == #""a\"b\\c\u0001\n/é""#)
        }
    }
}

