import ConvergeEngine
import ConvergeModel
import Foundation

@testable import ConvergeInventory

/// Builds events by hand, and inventories from the repository's captures.
enum InventoryFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `feed`: the analysis's cheap inventory feed instead of every event.
    static func inventory(of capture: String, feed: Bool = false) -> Inventory {
        let builder = InventoryBuilder()
        let analyzer = Analyzer()
        if feed { analyzer.inventorySink = { builder.add($0) } } else { analyzer.eventSink = { builder.add($0) } }
        analyzer.flowSink = { builder.add($0) }
        _ = analyzer.run(paths: [directory.appendingPathComponent(capture).path])
        return builder.build()
    }

    static func ip(_ text: String) -> IPAddress { IPAddress(text) ?? .none }
    static func t(_ seconds: Int64) -> Timestamp { Timestamp(seconds: seconds, nanoseconds: 0) }

    static func binding(_ address: String, _ mac: String, source: String = "arp/reply", at time: Int64 = 1)
        -> AssetFact
    {
        var fact = AssetFact(time: t(time), address: ip(address), kind: .macAddress, value: mac, source: source)
        if source == "ethernet" { fact.confidence = .low }
        return fact
    }

    static func fact(_ address: String, _ kind: AssetFact.Kind, _ value: String, source: String = "test", at time: Int64 = 1)
        -> AssetFact
    {
        AssetFact(time: t(time), address: ip(address), kind: kind, value: value, source: source)
    }

    /// A request from `client` and its paired response.
    static func exchange(
        _ client: String, _ server: String, proto: String, operation: ConvergeModel.Operation, at time: Int64 = 1
    ) -> [Message] {
        let c = Endpoint(address: ip(client), port: 40_000)
        let s = Endpoint(address: ip(server), port: 502)
        var request = Message(
            time: t(time), flowID: 1, client: c, server: s, proto: proto, direction: .toServer, functionCode: 3,
            functionName: "f", operation: operation, status: .pending)
        request.roundTripNanoseconds = nil
        var response = Message(
            time: t(time), flowID: 1, client: c, server: s, proto: proto, direction: .toClient, functionCode: 3,
            functionName: "f", operation: operation)
        response.roundTripNanoseconds = 1000
        return [request, response]
    }
}
