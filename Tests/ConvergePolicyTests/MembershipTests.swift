import ConvergeModel
import Testing

@testable import ConvergeInventory
@testable import ConvergePolicy

@Suite struct MembershipTests {
    @Test func parsesCIDRs() throws {
        let v4 = try #require(CIDR("10.1.0.0/16"))
        #expect(v4.isV4 && v4.displayLength == 16 && v4.length == 112)
        #expect(v4.contains(IPAddress("10.1.255.3") ?? .none) && !v4.contains(IPAddress("10.2.0.1") ?? .none))
        #expect(CIDR("10.1.2.3")?.displayLength == 32)
        #expect(CIDR("0.0.0.0/0")?.contains(IPAddress("203.0.113.9") ?? .none) == true)
        // The IPv4 /0 holds IPv4 only, not IPv6.
        #expect(CIDR("0.0.0.0/0")?.contains(IPAddress("2001:db8::1") ?? .none) == false)
        let v6 = try #require(CIDR("2001:db8::/32"))
        #expect(!v6.isV4 && v6.description == "2001:db8::/32" && v6.contains(IPAddress("2001:db8:ffff::1") ?? .none))
        for bad in [
            "10.0.0.0/33", "10.0.0.1/24", "10.0.0/24", "10.0.0.0/", "10.0.0.0/-1", "/8", "x", "10.0.0.0/8/8",
            "2001:db8::/129", "10.0.0.0/ 8", "10.0.0.0/0008",
        ] {
            #expect(CIDR(bad) == nil, "\(bad)")
        }
    }

    @Test func longestPrefixWins() throws {
        var table = PrefixTable<String>()
        table.insert(try #require(CIDR("10.0.0.0/8")), "site")
        table.insert(try #require(CIDR("10.1.0.0/16")), "area")
        table.insert(try #require(CIDR("10.1.2.0/24")), "cell")
        table.insert(try #require(CIDR("10.1.2.0/24")), "late")  // the first declared keeps the block
        table.insert(try #require(CIDR("10.1.2.7")), "host")
        func lookup(_ text: String) -> String? { table.longestMatch((IPAddress(text) ?? .none).bits)?.value }
        #expect(lookup("10.9.9.9") == "site")
        #expect(lookup("10.1.9.9") == "area")
        #expect(lookup("10.1.2.8") == "cell")
        #expect(lookup("10.1.2.7") == "host")
        #expect(lookup("11.0.0.1") == nil)
        #expect(table.enclosing(try #require(CIDR("10.1.2.0/24")))?.value == "area")
    }

    @Test func assetIdBeatsBlocksWhichBeatRoles() throws {
        let zones = [
            Zone(name: "plcs", members: .init(roles: [.plc])),
            Zone(name: "cell", members: .init(cidrs: [try #require(CIDR("10.1.2.0/24"))])),
            Zone(name: "pinned", members: .init(assets: ["ip:10.1.2.9"])),
            Zone(name: "siemens", members: .init(vendors: ["siemens"])),
        ]
        let map = ZoneMap(zones)
        let inCell = PolicyTestSupport.asset("10.1.2.5", role: .plc)
        #expect(map.assign(inCell)?.zone == 1)
        #expect(map.assign(inCell)?.reason == .block(try #require(CIDR("10.1.2.0/24"))))
        #expect(map.assign(PolicyTestSupport.asset("10.1.2.9", role: .plc))?.zone == 2)
        #expect(map.assign(PolicyTestSupport.asset("10.7.0.1", role: .plc))?.reason == .role(.plc))
        #expect(map.assign(PolicyTestSupport.asset("10.7.0.2", vendor: "Siemens AG"))?.zone == 3)
        #expect(map.assign(PolicyTestSupport.asset("10.7.0.3", role: .hmi)) == nil)
        // The pinned PLC is claimed three ways; the report names the winner and the others.
        let pinned = PolicyTestSupport.asset("10.1.2.9", role: .plc, vendor: "Siemens")
        #expect(map.claims(pinned).map(\.zone) == [2, 1, 0, 3])
        let report = map.overlapReport(Inventory(assets: [pinned], communications: [], changes: [], dropped: 0))
        #expect(report.count == 1)
        let expected = "asset 10.1.2.9 is in zone pinned (named by asset id); also claimed by zone cell"
        #expect(report.first?.hasPrefix(expected) == true)
    }

    @Test func partitionResolvesOverlapsIntoDisjointRanges() throws {
        let claims: [AddressPartition.Claim] = [
            .init(cidr: try #require(CIDR("10.0.0.0/16")), zone: 0, order: 0),
            .init(cidr: try #require(CIDR("10.0.1.0/24")), zone: 1, order: 1),
            .init(cidr: try #require(CIDR("10.0.1.0/24")), zone: 2, order: 2),
            .init(cidr: try #require(CIDR("10.0.1.128/25")), zone: 0, order: 3),
            .init(cidr: try #require(CIDR("10.0.1.5")), zone: 2, host: true, order: 4),
        ]
        let ranges = AddressPartition.ranges(zoneCount: 3, claims: claims)
        #expect(ranges[0].map(\.text) == ["10.0.0.0/24", "10.0.1.128-10.0.255.255"])
        #expect(ranges[1].map(\.text) == ["10.0.1.0-10.0.1.4", "10.0.1.6-10.0.1.127"])
        #expect(ranges[2].map(\.text) == ["10.0.1.5"])
    }

    /// A policy of 5,000 zones loads, and a lookup per asset stays a few hash probes.
    @Test func fiveThousandZonesLoadAndCheckInBoundedTime() throws {
        var yaml = "zones:\n"
        for index in 0..<5_000 {
            yaml += "  - name: cell-\(index)\n    level: 1\n    cidrs: [10.\(index / 256).\(index % 256).0/24]\n"
        }
        yaml += "conduits:\n"
        for index in 0..<4_999 {
            yaml +=
                "  - from: cell-\(index)\n    to: cell-\(index + 1)\n    protocols: [{name: modbus, operations: "
                + "[read]}]\n"
        }
        let clock = ContinuousClock()
        var policy: Policy?
        let loading = try clock.measure { policy = try Policy.parse(yaml: yaml, now: PolicyTestSupport.now) }
        let loaded = try #require(policy)
        #expect(loaded.zones.count == 5_000 && loaded.conduits.count == 4_999)
        #expect(loaded.diagnostics.isEmpty)
        var assets: [Asset] = []
        var communications: [Communication] = []
        for index in 0..<5_000 {
            assets.append(PolicyTestSupport.asset("10.\(index / 256).\(index % 256).1"))
        }
        for index in 0..<4_999 {
            let ops: [String: UInt64] = index % 2 == 0 ? ["read": 3] : ["read": 3, "write": 1]
            communications.append(
                PolicyTestSupport.communication(
                    "10.\(index / 256).\(index % 256).1", "10.\((index + 1) / 256).\((index + 1) % 256).1", "modbus",
                    ops))
        }
        let inventory = Inventory(assets: assets, communications: communications, changes: [], dropped: 0)
        var result: PolicyCheckResult?
        let checking = clock.measure {
            result = PolicyChecker(policy: loaded, now: PolicyTestSupport.now).check(inventory)
        }
        #expect(result?.violations.count == 2_499)
        #expect(result?.unzoned.isEmpty == true)
        // Generous bounds for a debug build on a shared machine; the point is "not quadratic".
        #expect(loading < .seconds(60), "loading took \(loading)")
        #expect(checking < .seconds(30), "checking took \(checking)")
        print("5,000 zones: load \(loading), check \(checking)")
    }
}
