import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeInventory

@Suite struct InventoryBuilderTests {
    typealias F = InventoryFixtures

    @Test func oneAssetPerDeviceWithAllItsAddresses() throws {
        let b = InventoryBuilder()
        b.add(F.binding("10.0.0.5", "00:1b:1b:00:00:05"))
        b.add(F.binding("fe80::21b:1bff:fe00:5", "00:1b:1b:00:00:05", source: "ethernet"))
        for m in F.exchange("10.0.0.9", "10.0.0.5", proto: "modbus", operation: .read) { b.add(m) }
        b.add(F.binding("10.0.0.9", "00:21:9b:00:00:09", source: "ethernet"))
        let inventory = b.build()
        #expect(inventory.assets.count == 2)
        let plc = try #require(inventory.asset("mac:00:1b:1b:00:00:05"))
        #expect(plc.addresses.map { "\($0.address)" } == ["10.0.0.5", "fe80::21b:1bff:fe00:5"])
        #expect(plc.addresses.first?.binding == "arp")
        #expect(plc.macVendor?.hasPrefix("Siemens") == true)
        #expect(plc.role == .plc && plc.level == .level1)
        #expect(plc.levelReasons.first?.contains("answers modbus from 1 client") == true)
        let hmi = try #require(inventory.asset(at: F.ip("10.0.0.9")))
        #expect(hmi.role == .hmi && hmi.level == .level2)
        let edge = try #require(inventory.communications.first)
        #expect(edge.client == hmi.id && edge.server == plc.id && edge.proto == "modbus")
        #expect(edge.operations == ["read": 1] && edge.messages == 2)
    }

    @Test func aRouterIsOneNetworkAssetAndTheHostsBehindItStayApart() throws {
        let b = InventoryBuilder()
        let router = "00:09:0f:aa:bb:cc"
        b.add(F.binding("10.0.0.1", router))
        for host in ["10.9.0.1", "10.9.0.2", "10.9.0.3", "203.0.113.7"] {
            b.add(F.binding(host, router, source: "ethernet"))
            for m in F.exchange("10.0.0.50", host, proto: "http", operation: .read) { b.add(m) }
        }
        b.add(F.binding("10.0.0.50", "00:21:9b:00:00:50", source: "ethernet"))
        let inventory = b.build()
        let gateway = try #require(inventory.asset("mac:" + router))
        #expect(gateway.addresses.map { "\($0.address)" } == ["10.0.0.1"])
        #expect(gateway.role == .networkDevice)
        #expect(gateway.roleReasons.first?.contains("one MAC behind many IPs") == true)
        for host in ["10.9.0.1", "10.9.0.2", "10.9.0.3"] {
            let asset = try #require(inventory.asset("ip:" + host))
            #expect(asset.routed && !asset.external)
        }
        let outside = try #require(inventory.asset("ip:203.0.113.7"))
        #expect(outside.external && outside.level == .level5)
    }

    @Test func broadcastMulticastAndZeroAddressesAreNoDevices() {
        let b = InventoryBuilder()
        for address in ["255.255.255.255", "224.0.0.251", "0.0.0.0", "ff02::1", "127.0.0.1"] {
            b.add(F.fact(address, .hostname, "ghost"))
            b.add(F.binding(address, "00:1b:1b:00:00:01"))
        }
        b.add(F.binding("10.0.0.7", "ff:ff:ff:ff:ff:ff"))  // a group MAC binds nothing
        #expect(b.build().assets.isEmpty)
    }

    @Test func identityChangesAreReportedInOrderWithTheirSource() throws {
        let b = InventoryBuilder()
        b.add(F.binding("10.0.0.5", "00:00:bc:00:00:05"))
        b.add(F.fact("10.0.0.5", .firmware, "20.11", source: "cip/identity", at: 10))
        b.add(F.fact("10.0.0.5", .firmware, "20.11", source: "cip/identity", at: 20))
        b.add(F.fact("10.0.0.5", .firmware, "21.3", source: "cip/identity", at: 30))
        let inventory = b.build()
        let change = try #require(inventory.changes.first { $0.kind == .identityChange })
        #expect(change.field == "firmware" && change.previous == "20.11" && change.current == "21.3")
        #expect(change.time == F.t(30) && change.source == "cip/identity")
        #expect(change.text == "10.0.0.5: firmware changed from 20.11 to 21.3 (cip/identity)")
        let asset = try #require(inventory.assets.first)
        #expect(asset.current(.firmware) == "21.3")
        #expect(asset.identity["firmware"]?.map(\.count) == [2, 1])
        #expect(asset.notes.contains { $0.hasPrefix("firmware has 2 values") })
    }

    @Test func oneAddressClaimedByTwoMACsIsNoted() throws {
        let b = InventoryBuilder()
        b.add(F.binding("10.0.0.5", "00:1b:1b:00:00:05", at: 1))
        b.add(F.binding("10.0.0.5", "00:0c:29:66:66:66", at: 2))
        let inventory = b.build()
        let asset = try #require(inventory.asset(at: F.ip("10.0.0.5")))
        #expect(asset.id == "mac:00:0c:29:66:66:66")  // the latest claim holds the address
        #expect(asset.notes.contains { $0.contains("claimed by 2 MACs") })
    }

    @Test func hostileValuesAreBoundedAndKeptAsData() throws {
        let b = InventoryBuilder()
        b.add(F.binding("10.0.0.5", "00:1b:1b:00:00:05"))
        b.add(F.fact("10.0.0.5", .hostname, String(repeating: "A", count: 65_536)))
        b.add(F.fact("10.0.0.5", .model, "<script>alert(1)</script>\u{1B}[2J\"><img onerror=x>"))
        for i in 0..<100 { b.add(F.fact("10.0.0.5", .serial, "S\(i)", at: Int64(i))) }
        let asset = try #require(b.build().assets.first)
        #expect(asset.current(.hostname)?.count == ObservationList.maxValueLength + 1)
        #expect(asset.current(.model) == "<script>alert(1)</script>\u{1B}[2J\"><img onerror=x>")
        #expect(asset.identity["serial"]?.count == ObservationList.capacity)
    }

    @Test func twoNICsWithOneSerialAreOneDevice() throws {
        let b = InventoryBuilder()
        for (ip, mac) in [("10.0.1.5", "00:00:bc:00:00:01"), ("10.0.2.5", "00:00:bc:00:00:02")] {
            b.add(F.binding(ip, mac))
            b.add(F.fact(ip, .serial, "0x0051aec3"))
            b.add(F.fact(ip, .model, "1756-L83E/B"))
        }
        let inventory = b.build()
        #expect(inventory.assets.count == 1)
        let asset = try #require(inventory.assets.first)
        #expect(asset.macs.count == 2 && asset.addresses.count == 2)
        #expect(asset.notes.contains { $0.contains("same serial number and model") })
    }

    @Test func programmingMakesAnEngineeringWorkstationAndAChange() throws {
        let b = InventoryBuilder()
        for m in F.exchange("10.0.0.9", "10.0.0.5", proto: "s7comm", operation: .program, at: 5) { b.add(m) }
        for m in F.exchange("10.0.0.9", "10.0.0.5", proto: "s7comm", operation: .read, at: 6) { b.add(m) }
        let inventory = b.build()
        #expect(inventory.asset(at: F.ip("10.0.0.9"))?.role == .engineeringWorkstation)
        #expect(inventory.asset(at: F.ip("10.0.0.5"))?.role == .plc)
        let change = try #require(inventory.changes.first { $0.kind == .programTransfer })
        #expect(change.asset == "ip:10.0.0.5" && change.time == F.t(5))
    }

    @Test func aServerReachedByITAndTalkingToOTSitsInTheDMZ() throws {
        let b = InventoryBuilder()
        for m in F.exchange("10.0.1.9", "10.0.1.5", proto: "modbus", operation: .read) { b.add(m) }  // HMI → PLC
        // The broker answers the HMI (OT) and a business workstation (IT).
        for m in F.exchange("10.0.1.9", "10.0.3.7", proto: "mqtt", operation: .write) { b.add(m) }
        for m in F.exchange("10.0.4.20", "10.0.3.7", proto: "mqtt", operation: .read) { b.add(m) }
        for m in F.exchange("10.0.4.20", "10.0.4.1", proto: "http", operation: .read) { b.add(m) }
        let inventory = b.build()
        let broker = try #require(inventory.asset(at: F.ip("10.0.3.7")))
        #expect(broker.role == .mqttBroker)
        #expect(broker.level == .dmz)
        #expect(broker.levelReasons.first?.hasPrefix("level 3.5") == true)
    }

    @Test func boundsHoldUnderRandomEvents() {
        var rng = SeededGenerator(seed: 7)
        let b = InventoryBuilder()
        for i in 0..<5_000 {
            let address = "10.\(rng.next() % 4).\(rng.next() % 256).\(rng.next() % 256)"
            let mac = MACAddress.text(0x001B_1B00_0000 | rng.next() % 0x10_0000)
            switch rng.next() % 3 {
            case 0: b.add(F.binding(address, mac, source: rng.next() % 2 == 0 ? "ethernet" : "arp/reply", at: Int64(i)))
            case 1: b.add(F.fact(address, .hostname, "h\(rng.next())", at: Int64(i)))
            default:
                for m in F.exchange(address, "10.0.0.\(rng.next() % 8)", proto: "modbus", operation: .read) { b.add(m) }
            }
        }
        let inventory = b.build()
        #expect(!inventory.assets.isEmpty)
        #expect(inventory.assets.allSatisfy { $0.identity.values.allSatisfy { $0.count <= ObservationList.capacity } })
        #expect(Set(inventory.assets.map(\.id)).count == inventory.assets.count)
    }
}

