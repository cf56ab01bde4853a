import ConvergeEngine
import ConvergeModel
import ConvergeTestSupport
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

/// Seeded random flows (shared keys, both sides asking, transfers, unclaimed flows): summed as
/// the first summing did, and folded once per key, give the same inventory. (Not always the same
/// as folding each flow: an edge's first and last times come from the sum's.)
@Suite struct PendingFlowsRandomTests {
    static func flows(seed: UInt64, count: Int) -> [FlowRecord] {
        var random = SeededGenerator(seed: seed)
        let addresses = (1...6).map { IPAddress(v4: 0x0A00_0000 | UInt32($0)) }
        let names: [String?] = [nil, "modbus", "s7comm", "dns", "bacnet"]
        var out: [FlowRecord] = []
        for i in 0..<count {
            let client = addresses[Int.random(in: 0..<addresses.count, using: &random)]
            let server = addresses[Int.random(in: 0..<addresses.count, using: &random)]
            let first = Int64.random(in: 1...1_000_000, using: &random)
            var flow = FlowRecord(
                id: UInt64(i), transport: Bool.random(using: &random) ? .tcp : .udp, ipProtocol: 6, vlan: 0,
                client: Endpoint(address: client, port: UInt16.random(in: 1024...1030, using: &random)),
                server: Endpoint(address: server, port: UInt16.random(in: 500...503, using: &random)),
                firstSeen: Timestamp(nanoseconds: first),
                lastSeen: Timestamp(nanoseconds: first &+ Int64.random(in: 0...1000, using: &random)),
                packetsToServer: UInt64.random(in: 0...3, using: &random),
                packetsToClient: UInt64.random(in: 0...3, using: &random),
                bytesToServer: UInt64.random(in: 0...300, using: &random),
                bytesToClient: UInt64.random(in: 0...300, using: &random),
                application: names[Int.random(in: 0..<names.count, using: &random)], tcpState: nil, endReason: "end")
            if Int.random(in: 0..<4, using: &random) > 0 {
                var operations = FlowOperations()
                operations.messages = UInt64.random(in: 0...20, using: &random)
                for operation in Operation.allCases where Int.random(in: 0..<3, using: &random) == 0 {
                    operations.fromClient[operation] = UInt64.random(in: 1...5, using: &random)
                }
                for operation in Operation.allCases where Int.random(in: 0..<4, using: &random) == 0 {
                    operations.fromServer[operation] = UInt64.random(in: 1...5, using: &random)
                }
                for operation in [Operation.program, .firmware] where Int.random(in: 0..<3, using: &random) == 0 {
                    let start = Timestamp(nanoseconds: first &+ Int64.random(in: 0...100, using: &random))
                    operations.transfers[operation] = [start, Timestamp(nanoseconds: start.nanoseconds &+ 50)]
                }
                flow.operations = operations
            }
            out.append(flow)
        }
        return out
    }

    static func json(_ builder: InventoryBuilder) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(builder.build()), as: UTF8.self)
    }

    /// The summing as it was first written (flow records summed in a dictionary by client,
    /// server, application, transport, port and roles), kept here as the reference.
    static func referenceSums(_ flows: [FlowRecord]) -> [FlowRecord] {
        struct Key: Hashable {
            var client: IPAddress
            var server: IPAddress
            var application: String?
            var transport: Transport
            var ipProtocol: UInt8
            var serverPort: UInt16
            var swapped: Bool
        }
        var sums: [Key: FlowRecord] = [:]
        var order: [Key] = []
        for flow in flows {
            let operations = flow.application == nil ? nil : flow.operations
            let swapped = operations.map {
                $0.fromServer.values.reduce(0, &+) > $0.fromClient.values.reduce(0, &+)
            } ?? false
            let key = Key(
                client: flow.client.address, server: flow.server.address, application: flow.application,
                transport: flow.transport, ipProtocol: flow.ipProtocol,
                serverPort: flow.application == nil ? flow.server.port : 0, swapped: swapped)
            guard var sum = sums[key] else {
                var first = flow
                first.operations = operations
                sums[key] = first
                order.append(key)
                continue
            }
            sum.firstSeen = min(sum.firstSeen, flow.firstSeen)
            sum.lastSeen = max(sum.lastSeen, flow.lastSeen)
            sum.packetsToServer &+= flow.packetsToServer
            sum.packetsToClient &+= flow.packetsToClient
            sum.bytesToServer &+= flow.bytesToServer
            sum.bytesToClient &+= flow.bytesToClient
            if let operations {
                var total = sum.operations ?? FlowOperations()
                total.messages &+= operations.messages
                for (operation, n) in operations.fromClient { total.fromClient[operation, default: 0] &+= n }
                for (operation, n) in operations.fromServer { total.fromServer[operation, default: 0] &+= n }
                for (operation, span) in operations.transfers {
                    guard let first = span.first, let last = span.last, first <= last else { continue }
                    let known = total.transfers[operation]
                    total.transfers[operation] = [min(known?.first ?? first, first), max(known?.last ?? last, last)]
                }
                sum.operations = total
            }
            sums[key] = sum
        }
        return order.compactMap { sums[$0] }
    }

    @Test(arguments: 0..<20)
    func summedAsTheReferenceSums(seed: Int) throws {
        let flows = Self.flows(seed: UInt64(seed), count: 300)
        let summed = InventoryBuilder()
        let reference = InventoryBuilder()
        for flow in flows { summed.add(flow) }
        let sums = Self.referenceSums(flows)
        for sum in sums { reference.fold(sum) }
        #expect(summed.pendingFlows.count == sums.count && sums.count < flows.count)
        #expect(try Self.json(summed) == Self.json(reference))
    }

    @Test func tooManyApplicationNamesFoldEarlyAndGoOn() throws {
        var pending = PendingFlows()
        var flow = Self.flows(seed: 1, count: 1)[0]
        for i in 0..<PendingFlows.maxNames {
            flow.application = "app\(i)"
            let added = pending.add(flow)
            #expect(added)
        }
        flow.application = "one-more"
        let full = pending.add(flow)
        #expect(!full)
        flow.application = "app7"  // a known name still sums
        let summed = pending.add(flow)
        #expect(summed)
        let taken = pending.take()
        #expect(taken.count == PendingFlows.maxNames)
        flow.application = "one-more"
        let again = pending.add(flow)
        #expect(again)
    }
}
