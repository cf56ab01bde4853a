import ConvergeEngine
import ConvergeModel
import Foundation
import Testing

@testable import ConvergeInventory

/// Flows summed by key and folded in once give the same inventory as folding each flow.
@Suite struct PendingFlowsTests {
    static func inventories(_ capture: String) throws -> (summed: String, oneByOne: String) {
        var events: [Event] = []
        var flows: [FlowRecord] = []
        let analyzer = Analyzer()
        analyzer.inventorySink = { events.append($0) }
        analyzer.flowSink = { flows.append($0) }
        _ = analyzer.run(paths: [InventoryFixtures.directory.appendingPathComponent(capture).path])
        let summed = InventoryBuilder()
        let oneByOne = InventoryBuilder()
        for event in events {
            summed.add(event)
            oneByOne.add(event)
        }
        for flow in flows {
            summed.add(flow)
            oneByOne.fold(flow)
        }
        // The EIP excerpt has flows that share a key (repeated connections to one service).
        if capture.contains("eip") { #expect(flows.count > summed.pendingFlows.sums.count) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (
            String(decoding: try encoder.encode(summed.build()), as: UTF8.self),
            String(decoding: try encoder.encode(oneByOne.build()), as: UTF8.self)
        )
    }

    @Test(arguments: ["inventory/eip-firmware-change-excerpt.pcap", "inventory/s7-1200-uploading-ob1.pcap"])
    func theSameInventory(capture: String) throws {
        let (summed, oneByOne) = try Self.inventories(capture)
        #expect(summed == oneByOne)
    }

    @Test func aFullTableIsFoldedAndGoesOn() {
        var pending = PendingFlows()
        let base = FlowRecord(
            id: 1, transport: .tcp, ipProtocol: 6, vlan: 0,
            client: Endpoint(address: IPAddress("10.0.0.1") ?? .none, port: 40_000),
            server: Endpoint(address: IPAddress("10.0.0.2") ?? .none, port: 1),
            firstSeen: .zero, lastSeen: .zero, packetsToServer: 1, packetsToClient: 1, bytesToServer: 60,
            bytesToClient: 60, application: nil, tcpState: nil, endReason: "end")
        for port in 0..<PendingFlows.capacity {
            var flow = base
            flow.server.port = UInt16(truncatingIfNeeded: port)
            let added = pending.add(flow)
            #expect(added)
        }
        var another = base
        another.server.address = IPAddress("10.0.0.3") ?? .none
        let full = pending.add(another)
        #expect(!full)
        let summed = pending.add(base)  // an existing key still sums
        #expect(summed)
        let taken = pending.take()
        #expect(taken.count == PendingFlows.capacity && pending.sums.isEmpty)
    }
}
