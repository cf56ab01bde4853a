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
