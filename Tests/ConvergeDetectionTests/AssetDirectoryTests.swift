import ConvergeEngine
import ConvergeInventory
import ConvergeModel
import Foundation
import Testing

@testable import ConvergeDetection

@Suite struct AssetDirectoryTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The S7-1200 upload fixture: the PLC and the TIA Portal workstation, each found by address.
    @Test func rulesSeeTheAssetBehindAnAddress() throws {
        let builder = InventoryBuilder()
        let analyzer = Analyzer()
        analyzer.eventSink = { builder.add($0) }
        analyzer.flowSink = { builder.add($0) }
        _ = analyzer.run(paths: [Self.fixtures.appendingPathComponent("inventory/s7-1200-uploading-ob1.pcap").path])
        let directory = AssetDirectory(builder.build())
        let plc = try #require(directory[IPAddress("192.168.1.191") ?? .none])
        #expect(plc.role == .plc && plc.level == .level1 && !plc.external)
        #expect(directory[IPAddress("10.9.9.9") ?? .none] == nil)
        #expect(directory.count == 2)
    }
}
