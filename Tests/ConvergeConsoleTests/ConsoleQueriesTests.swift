import ConvergeConsole
import ConvergeInventory
import ConvergeModel
import ConvergeStore
import Foundation
import Testing

/// The console's queries give the same answers on SQLite and PostgreSQL.
@Suite("Console queries")
struct ConsoleQueriesTests {
    @Test("pages cover every asset once, in order", arguments: ConsoleBackend.available)
    func pagination(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            var q = AssetQuery()
            q.pageSize = 7
            var seen: [String] = []
            for page in 1...5 {
                q.page = page
                let result = try await store.assetPage(q)
                #expect(result.total == 33)
                seen += result.assets.map(\.id)
            }
            #expect(seen.count == 33)
            #expect(Set(seen).count == 33)
            #expect(seen == seen.sorted())
            q.page = 99
            #expect(try await store.assetPage(q).assets.isEmpty)
        }
    }

    @Test("sorts by each key, both ways", arguments: ConsoleBackend.available)
    func sorting(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            for sort in AssetSort.allCases {
                for descending in [false, true] {
                    var q = AssetQuery()
                    q.sort = sort
                    q.descending = descending
                    q.pageSize = 200
                    let assets = try await store.assetPage(q).assets
                    #expect(assets.count == 33)
                    if sort == .lastSeen {
                        let times = assets.map(\.lastSeen)
                        #expect(times == (descending ? times.sorted(by: >) : times.sorted()))
                    }
                }
            }
        }
    }

    @Test("filters by level, role, vendor and protocol; searches text", arguments: ConsoleBackend.available)
    func filters(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            var q = AssetQuery()
            q.proto = "modbus"
            #expect(try await store.assetPage(q).total == 4)
            q = AssetQuery()
            q.search = "PLC-1"  // case-insensitive: plc-10 … plc-19
            #expect(try await store.assetPage(q).total == 10)
            q.search = "100%_m"
            let like = try await store.assetPage(q)
            #expect(like.total == 1)
            #expect(like.assets.first?.current(.hostname) == Hostile.like)
            q.search = "%"  // a literal percent sign, not a wildcard
            #expect(try await store.assetPage(q).total == 1)
            q.search = "'; DROP TABLE assets; --"
            #expect(try await store.assetPage(q).total == 0)
            #expect(try await store.assetPage(AssetQuery()).total == 33)
            let all = try await store.assetPage(AssetQuery().with { $0.pageSize = 200 }).assets
            if let plc = all.first(where: { $0.role != .unknown }) {
                q = AssetQuery()
                q.role = plc.role.rawValue
                #expect(try await store.assetPage(q).total == all.filter { $0.role == plc.role }.count)
            }
            q = AssetQuery()
            q.level = "unknown"
            #expect(try await store.assetPage(q).total == all.filter { $0.level == nil }.count)
            q = AssetQuery()
            q.vendor = "no such vendor"
            #expect(try await store.assetPage(q).total == 0)
        }
    }

    @Test("asset by id, and an unknown id", arguments: ConsoleBackend.available)
    func assetByID(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            let first = try await store.assetPage(AssetQuery()).assets[0]
            #expect(try await store.asset(id: first.id)?.id == first.id)
            #expect(try await store.asset(id: "mac:no") == nil)
        }
    }

    @Test("communications by asset, protocol, operation and time", arguments: ConsoleBackend.available)
    func communications(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            #expect(try await store.communications(CommunicationQuery()).total == 2)
            var q = CommunicationQuery()
            q.operation = "write"
            #expect(try await store.communications(q).total == 1)
            q = CommunicationQuery()
            q.from = Timestamp(nanoseconds: ConsoleFixtures.base + 43_200_000_000_000)
            #expect(try await store.communications(q).total == 1)
            q = CommunicationQuery()
            q.to = Timestamp(nanoseconds: ConsoleFixtures.base + 1000)
            #expect(try await store.communications(q).total == 1)
            let server = try await store.communications(CommunicationQuery()).items[0].server
            q = CommunicationQuery()
            q.asset = server
            #expect(try await store.communications(q).items.allSatisfy { $0.client == server || $0.server == server })
            q = CommunicationQuery()
            q.proto = "s7comm"
            #expect(try await store.communications(q).total == 0)
        }
    }

    @Test("overview counts and day buckets", arguments: ConsoleBackend.available)
    func overview(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            let o = try await store.overview()
            #expect(o.assets == 33)
            #expect(o.communications == 2)
            #expect(o.byLevel.map(\.count).reduce(0, +) == 33)
            #expect(o.byRole.map(\.count).reduce(0, +) == 33)
            #expect(o.protocols == [CountedValue(value: "modbus", count: 2)])
            #expect(o.captures.map(\.path) == ["crafted<script>.pcap"])
            #expect(o.activity.first?.start.nanoseconds == ConsoleFixtures.base)
            #expect(o.activity.map(\.firstSeen).reduce(0, +) == 33)
        }
    }

    @Test("the change log newest first, and after a sequence number", arguments: ConsoleBackend.available)
    func changes(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore { store in
            var q = ChangeQuery()
            q.limit = 1000
            let all = try await store.changes(q)
            #expect(all.count >= 33)
            #expect(all.map(\.seq) == all.map(\.seq).sorted(by: >))
            q.afterSeq = all[2].seq
            q.newestFirst = false
            #expect(try await store.changes(q).map(\.seq) == [all[1].seq, all[0].seq])
            var mine = ChangeQuery()
            mine.asset = all[0].change.asset
            #expect(try await store.changes(mine).allSatisfy { $0.change.asset == all[0].change.asset })
        }
    }

    @Test("users and the audit log", arguments: ConsoleBackend.available)
    func users(backend: ConsoleBackend) async throws {
        try await backend.withFilledStore(plain: 0) { store in
            let user = ConsoleUser(name: "ada", role: .admin, passwordHash: "h1", createdAt: Timestamp(nanoseconds: 5))
            #expect(try await store.addUser(user))
            #expect(try await !store.addUser(ConsoleUser(name: "ada", role: .viewer, passwordHash: "h2", createdAt: .zero)))
            #expect(try await store.user(named: "ada") == user)
            #expect(try await store.setPasswordHash("h3", forUser: "ada"))
            #expect(try await store.setRole(.analyst, forUser: "ada"))
            #expect(try await store.user(named: "ada")?.passwordHash == "h3")
            #expect(try await store.user(named: "ada")?.role == .analyst)
            #expect(try await !store.setPasswordHash("h", forUser: "nobody"))
            #expect(try await store.users().map(\.name) == ["ada"])
            #expect(try await store.removeUser(named: "ada"))
            #expect(try await !store.removeUser(named: "ada"))
            #expect(try await store.users().isEmpty)
            let entry = AuditEntry(time: Timestamp(nanoseconds: 9), user: "ada", action: "login", target: "<x>", detail: "d", client: "127.0.0.1")
            try await store.appendAudit(entry)
            try await store.appendAudit(AuditEntry(time: Timestamp(nanoseconds: 10), user: "b", action: "logout", target: "", detail: "", client: "c"))
            let log = try await store.auditLog(limit: 10)
            #expect(log.count == 2)
            #expect(log.last == entry)
            #expect(log.first?.action == "logout")
        }
    }

    @Test("user names are checked", arguments: ["", "a b", "<script>", String(repeating: "a", count: 65), "ü"])
    func badNames(name: String) {
        #expect(!ConsoleUser.isValidName(name))
    }

    @Test("good user names pass", arguments: ["ada", "j.doe-2_x", String(repeating: "a", count: 64)])
    func goodNames(name: String) {
        #expect(ConsoleUser.isValidName(name))
    }

    @Test("LIKE patterns escape their wildcards")
    func likePattern() {
        #expect(ConsoleSQL.containsPattern("a%b_c\\d") == "%a\\%b\\_c\\\\d%")
        #expect(ConsoleSQL("a = ? AND b = ?").numbered == "a = $1 AND b = $2")
    }
}

extension AssetQuery {
    func with(_ change: (inout AssetQuery) -> Void) -> AssetQuery {
        var q = self
        change(&q)
        return q
    }
}
