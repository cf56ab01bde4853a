import ConvergeModel
import Testing

@testable import ConvergeInventory

/// Inventories of real captures, with roles, levels and identities checked by hand against
/// Wireshark's view of each file.
@Suite struct CaptureInventoryTests {
    typealias F = InventoryFixtures

    /// openics EIP-FirmwareChange (excerpt): a Dell workstation (192.168.10.105) sends firmware to a
    /// ControlLogix 1756-ENBT/A (192.168.10.120; CIP class 0xA1 services 0x4B, 0x4D, 0x51),
    /// resets it, then reads its identity: revision 4.3, serial 0x0051aec3.
    @Test func theFirmwareChangeShows() throws {
        let inventory = F.inventory(of: "inventory/eip-firmware-change-excerpt.pcap")
        let module = try #require(inventory.asset("mac:00:00:bc:3e:eb:e4"))
        #expect(module.addresses.map { "\($0.address)" } == ["192.168.10.120"])
        #expect(module.current(.model) == "1756-ENBT/A")
        #expect(module.current(.revision) == "4.3")
        #expect(module.current(.serial) == "0x0051aec3")
        #expect(module.macVendor == "Rockwell Automation")
        #expect(module.role == .fieldDevice && module.level == .level1)
        let workstation = try #require(inventory.asset(at: F.ip("192.168.10.105")))
        #expect(workstation.role == .engineeringWorkstation && workstation.level == .level2)
        let update = try #require(inventory.changes.first { $0.kind == .firmwareUpdate })
        #expect(update.asset == module.id && update.current == "4.3")
        #expect(update.text.hasPrefix("192.168.10.120 received firmware operations from 192.168.10.105 over enip"))
        // The Cisco switch is known by CDP; the D-Link beyond it only by LLDP and its MAC.
        let sw = try #require(inventory.asset(at: F.ip("192.168.10.253")))
        #expect(sw.role == .networkDevice && sw.current(.model) == "cisco WS-CE500-24TT")
        #expect(inventory.asset(at: F.ip("192.168.10.255")) == nil)  // a broadcast address, not a device
    }

    /// TIA Portal V12 uploads OB1 from an S7-1200 (6ES7 214-1HE30-0XB0, V2.2) over S7comm-plus.
    @Test func theS7ProgramUploadShows() throws {
        let inventory = F.inventory(of: "inventory/s7-1200-uploading-ob1.pcap")
        #expect(inventory.assets.count == 2)
        let plc = try #require(inventory.asset(at: F.ip("192.168.1.191")))
        #expect(plc.role == .plc && plc.level == .level1)
        #expect(plc.current(.productCode) == "6ES7 214-1HE30-0XB0" && plc.current(.firmware) == "V2.2")
        #expect(plc.levelReasons.first?.contains("identified as Siemens 6ES7 214-1HE30-0XB0 (firmware V2.2)") == true)
        let ews = try #require(inventory.asset(at: F.ip("192.168.1.10")))
        #expect(ews.role == .engineeringWorkstation)
        #expect(inventory.changes.contains { $0.kind == .programTransfer && $0.asset == plc.id })
    }

    /// The bundled sample plant: every device's role and level as a person reads the capture.
    @Test func theSamplePlant() throws {
        let inventory = F.inventory(of: "sample/plant.pcap")
        let expected: [(String, Role, PurdueLevel)] = [
            ("10.10.1.10", .plc, .level1),  // Schneider BMX P34 (Modbus device identification)
            ("10.10.1.20", .rtu, .level1),  // IEC 104 outstation
            ("10.10.1.40", .scadaServer, .level2),  // TwinCAT OPC UA server
        ]
        for (address, role, level) in expected {
            let asset = try #require(inventory.asset(at: F.ip(address)), "no asset at \(address)")
            #expect(asset.role == role, "\(address): \(asset.role)")
            #expect(asset.level == level, "\(address): \(String(describing: asset.level))")
        }
        let plc = try #require(inventory.asset(at: F.ip("10.10.1.10")))
        #expect(plc.current(.vendor) == "Schneider Electric" && plc.current(.revision) == "3.20")
        #expect(inventory.assets.filter { $0.role == .unknown }.isEmpty)
    }
}

/// Names learned at the link layer and from DHCP, on captures checked in Wireshark.
@Suite struct CaptureNameTests {
    typealias F = InventoryFixtures

    /// it_mix: ENG-LAPTOP-07 (00:12:fe:3b:10:99) leases 192.168.10.146 from 192.168.10.10
    /// (DHCPREQUEST option 12, ACK); the server answers from 67, so it, not the laptop, serves DHCP.
    @Test func dhcpHostnamesAndTheServer() throws {
        let inventory = F.inventory(of: "dhcp/it_mix-dhcp.pcap")
        let laptop = try #require(inventory.asset("mac:00:12:fe:3b:10:99"))
        #expect(laptop.current(.hostname) == "ENG-LAPTOP-07")
        #expect(laptop.addresses.map { "\($0.address)" } == ["192.168.10.146"])
        #expect(laptop.addresses.first?.binding == "dhcp")
        #expect(laptop.role == .itWorkstation)
        let server = try #require(inventory.asset(at: F.ip("192.168.10.10")))
        #expect(server.role == .infrastructureServer && server.serves["dhcp"] != nil)
    }

    /// iti-lldp: a switch announcing capability `bridge` (system name MAR-EA392E), and a Siemens
    /// station named Switch1 (capability station_only, management address 141.81.0.190).
    @Test func lldpSystemNames() throws {
        let inventory = F.inventory(of: "lldp/iti-lldp.pcap")
        let bridge = try #require(inventory.assets.first { $0.current(.hostname) == "MAR-EA392E" })
        #expect(bridge.role == .networkDevice)
        #expect(bridge.roleReasons.first == "announces capabilities bridge (lldp/lldpdu)")
        let station = try #require(inventory.assets.first { $0.current(.hostname) == "Switch1" })
        #expect(station.macVendor?.hasPrefix("Siemens") == true)
        #expect(station.role != .networkDevice)  // it says station_only
        #expect(inventory.asset(at: F.ip("141.81.0.190")) != nil)
    }

    /// The inventory's cheap feed (operations counted per flow, facts only) and the full event
    /// stream give the same devices, roles, levels and identities.
    @Test(arguments: ["sample/plant.pcap", "inventory/eip-firmware-change-excerpt.pcap", "dhcp/it_mix-dhcp.pcap"])
    func theFeedAndTheEventsAgree(_ capture: String) {
        let byEvents = F.inventory(of: capture)
        let byFeed = F.inventory(of: capture, feed: true)
        func key(_ inventory: Inventory) -> [String] {
            inventory.assets.map {
                "\($0.id) \($0.role) \($0.level?.rawValue ?? "-") \($0.current(.model) ?? "") \($0.current(.hostname) ?? "")"
            }
        }
        #expect(key(byFeed) == key(byEvents))
        // The feed samples the facts that may come with any message (names, banners, Sparkplug
        // node names: the first 16 messages of each sender), so changes of those can differ; device
        // identity (vendor, model, firmware, serial), addresses and transfers must not.
        let sampledKinds: Set<String> = ["hostname", "module_name"]
        func changes(_ inventory: Inventory) -> Set<String> {
            Set(inventory.changes.filter { !sampledKinds.contains($0.field ?? "") }.map {
                "\($0.asset) \($0.kind.rawValue) \($0.field ?? "") \($0.current ?? "")"
            })
        }
        #expect(changes(byFeed) == changes(byEvents))
    }
}
