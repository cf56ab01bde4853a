import ConvergeEngine
import ConvergeInventory
import ConvergeModel
import Foundation
import Testing

@testable import converge

/// `converge diff`, between two inventories and between two time windows of one.
@Suite struct DiffTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/inventory")

    /// The EIP firmware-change excerpt (September 2008) and the S7-1200 upload (December 2013).
    static func inventory(_ names: [String]) -> Inventory {
        let builder = InventoryBuilder()
        let analyzer = Analyzer()
        analyzer.inventorySink = { builder.add($0) }
        analyzer.flowSink = { builder.add($0) }
        _ = analyzer.run(paths: names.map { fixtures.appendingPathComponent($0).path })
        return builder.build()
    }

    @Test func twoStoresDifferInWords() {
        let old = Self.inventory(["eip-firmware-change-excerpt.pcap"])
        let new = Self.inventory(["eip-firmware-change-excerpt.pcap", "s7-1200-uploading-ob1.pcap"])
        let lines = InventoryDiff.between(old, new)
        #expect(lines.contains { $0.kind == "new_asset" && $0.text.hasPrefix("new: 192.168.1.191") })
        #expect(!lines.contains { $0.kind == "missing_asset" })
        #expect(lines.contains { $0.kind == "new_edge" && $0.text.contains("over s7comm-plus") })
        #expect(InventoryDiff.between(new, new).isEmpty)
    }

    @Test func twoWindowsOfOneStoreDifferInWords() throws {
        let whole = Self.inventory(["eip-firmware-change-excerpt.pcap", "s7-1200-uploading-ob1.pcap"])
        let earlier = try WindowText.parse("2008-09-01..2008-09-30", option: "--earlier")
        let later = try WindowText.parse("2013-12-20T00:00:00Z..", option: "--later")
        let lines = InventoryDiff.between(whole.seen(in: earlier), whole.seen(in: later))
        let new = Set(lines.filter { $0.kind == "new_asset" }.map(\.asset))
        let missing = Set(lines.filter { $0.kind == "missing_asset" }.map(\.asset))
        #expect(new.count == 2)
        #expect(missing.contains("mac:00:00:bc:3e:eb:e4"))  // the ControlLogix ENBT of 2008
        #expect(!lines.contains { $0.kind == "new_edge" && $0.text.contains("enip") })
        // Both windows of the same period: nothing differs.
        #expect(InventoryDiff.between(whole.seen(in: earlier), whole.seen(in: earlier)).isEmpty)
    }

    /// The firmware the ENBT reported at the end of the 2008 capture is not known in a window that
    /// closes before the identity read.
    @Test func identityIsAsKnownByTheWindowsEnd() throws {
        let whole = Self.inventory(["eip-firmware-change-excerpt.pcap"])
        let module = try #require(whole.assets.first { $0.id == "mac:00:00:bc:3e:eb:e4" })
        let read = try #require(module.identity["revision"]?.map(\.firstSeen).min())
        let before = whole.seen(in: TimeWindow(from: nil, to: Timestamp(nanoseconds: read.nanoseconds - 1)))
        let seen = try #require(before.assets.first { $0.id == module.id })
        #expect(seen.current(.revision) == nil && module.current(.revision) == "4.3")
    }

    @Test func windowsAreParsedOrRejectedWithTheReason() throws {
        let window = try WindowText.parse("1700000000..", option: "--later")
        #expect(window.from == Timestamp(seconds: 1_700_000_000, nanoseconds: 0) && window.to == nil)
        #expect(throws: (any Error).self) { try WindowText.parse("2024-01-02", option: "--later") }
        #expect(throws: (any Error).self) { try WindowText.parse("2024-01-02..2024-01-01", option: "--later") }
        #expect(throws: (any Error).self) { try WindowText.parse("yesterday..", option: "--later") }
    }
}
