import ConvergeModel
import Testing

@testable import ConvergeInventory

@Suite struct OUITests {
    @Test func namesTheRegisteredOrganisation() {
        // 00:1b:1b is one of Siemens' MA-L blocks; 00:0e:8c another.
        #expect(OUI.vendor(of: 0x001B_1B12_3456)?.hasPrefix("Siemens") == true)
        #expect(OUI.vendor(of: 0x000E_8C00_0001)?.hasPrefix("Siemens") == true)
    }

    /// Every line of the generated text is indexed, in order, with its name cut at the tab.
    @Test func theWholeRegistryIsIndexed() {
        let table = OUI.Table.shared
        let lines = OUI.text.split(separator: "\n").count
        #expect(table.blocks24.count + table.blocks28.count + table.blocks36.count == lines)
        #expect(table.name(0x00000C, in: table.blocks24) == "Cisco Systems, Inc")
        #expect(zip(table.blocks24, table.blocks24.dropFirst()).allSatisfy { $0.prefix < $1.prefix })
    }

    @Test func namesNoVendorForGroupLocalOrUnknownAddresses() {
        #expect(OUI.vendor(of: 0x0100_5E00_0001) == nil)  // IPv4 multicast
        #expect(OUI.vendor(of: 0xFFFF_FFFF_FFFF) == nil)  // broadcast
        #expect(OUI.vendor(of: 0x0200_0000_0001) == nil)  // locally administered (randomised)
        #expect(OUI.vendor(of: 0) == nil)
    }

    @Test func aSmallerBlockInsideALargeOneNamesTheSmallerOrganisation() throws {
        // 70:B3:D5 is the IEEE's own MA-L for its MA-S (36-bit) assignments.
        let table = OUI.Table.shared
        let small = try #require(table.blocks36.first { $0.prefix >> 12 == 0x70B3D5 })
        let mac = small.prefix << 12 | 0x001
        let name = try #require(table.name(small.prefix, in: table.blocks36))
        #expect(OUI.vendor(of: mac) == name)
        #expect(table.blocks24.count > 30_000 && table.blocks36.count > 1_000)
    }
}
