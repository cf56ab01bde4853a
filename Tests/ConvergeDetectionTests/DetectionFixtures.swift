import ConvergeEngine
import ConvergeInventory
import ConvergeModel

@testable import ConvergeDetection

/// Hand-built events for detector tests (where no capture carries the case, the test says so).
enum DetectionFixtures {
    static func ip(_ text: String) -> IPAddress { IPAddress(text) ?? .none }

    static func message(
        _ proto: String = "modbus", client: String = "10.0.0.5", server: String = "10.0.0.9",
        clientPort: UInt16 = 40000,
        serverPort: UInt16 = 502, direction: Direction = .toServer, code: Int = 6,
        name: String = "write_single_register",
        operation: Operation = .write, targets: [Message.Target] = [], status: Message.Status = .ok,
        anomalies: [String] = [], unit: Int? = nil, seconds: Double = 0, frame: Int? = nil, captureIndex: Int? = 0
    ) -> Message {
        var m = Message(
            time: Timestamp(nanoseconds: Int64(seconds * 1e9)), flowID: 1,
            client: Endpoint(address: ip(client), port: clientPort),
            server: Endpoint(address: ip(server), port: serverPort),
            proto: proto, direction: direction, functionCode: code, functionName: name, operation: operation,
            targets: targets, status: status, anomalies: anomalies)
        m.unit = unit
        m.frame = frame
        m.captureIndex = frame == nil ? nil : captureIndex
        return m
    }

    static func flow(
        client: String = "10.0.0.5", server: String = "10.0.0.9", serverPort: UInt16 = 502, transport: Transport = .tcp,
        application: String? = nil, state: String? = "established", seconds: Double = 0, packetsToClient: UInt64 = 3
    ) -> FlowRecord {
        FlowRecord(
            id: 1, transport: transport, ipProtocol: transport.rawValue, vlan: 0,
            client: Endpoint(address: ip(client), port: 40000), server: Endpoint(address: ip(server), port: serverPort),
            firstSeen: Timestamp(nanoseconds: Int64(seconds * 1e9)),
            lastSeen: Timestamp(nanoseconds: Int64(seconds * 1e9) + 1000), packetsToServer: 3,
            packetsToClient: packetsToClient, bytesToServer: 180, bytesToClient: 120, application: application,
            tcpState: state, endReason: "end")
    }

    static func rules(_ yaml: String) throws -> [Rule] { try RuleLoader.load(text: yaml, file: "test.yaml") }

    /// One message rule with the given `match:` body (indented 4 spaces) and optional extra lines.
    static func rule(_ match: String, extra: String = "", on: String = "message") throws -> [Rule] {
        try rules("- id: r\n  title: t\n  severity: high\n  on: \(on)\n  match:\n" + match + extra)
    }

    static func context(_ role: Role, _ level: PurdueLevel?, vendor: String? = nil, zone: String? = nil) -> AssetContext
    {
        AssetContext(assetID: "a", role: role, level: level, vendor: vendor, zone: zone)
    }

    /// Every event of a capture, as `converge events` gives them, with flow records, and the asset
    /// directory of the capture's own inventory (what `converge analyze` hands detection).
    static func events(_ path: String) -> (events: [Event], assets: AssetDirectory) {
        let builder = InventoryBuilder()
        var events: [Event] = []
        let analyzer = Analyzer()
        analyzer.eventSink = {
            events.append($0)
            builder.add($0)
        }
        analyzer.flowSink = {
            events.append(.flow($0))
            builder.add($0)
        }
        _ = analyzer.run(paths: [path])
        return (events, AssetDirectory(builder.build()))
    }

    /// Alerts after feeding the events.
    static func alerts(
        _ rules: [Rule], _ events: [Event], assets: AssetDirectory = .init(), baseline: any BaselineView = NoBaseline()
    ) -> [Alert] {
        let d = Detector(rules: rules, assets: assets, baseline: baseline, captures: ["a.pcap", "b.pcap"])
        for e in events { d.observe(e) }
        return d.finish()
    }
}

/// A baseline that knows exactly the listed pairs/writers/functions/assets.
struct FixedBaseline: BaselineView {
    var pairs: Set<String> = []
    var writers: Set<String> = []
    var functions: Set<String> = []
    var assets: Set<IPAddress> = []
    var learned: Bool { true }
    func knowsPair(client: IPAddress, server: IPAddress, proto: String) -> Bool {
        pairs.contains("\(client)>\(server)")
    }
    func knowsFunction(client: IPAddress, server: IPAddress, proto: String, function: Int) -> Bool {
        functions.contains("\(client)>\(server)/\(function)")
    }
    func knowsWriter(client: IPAddress, server: IPAddress, proto: String) -> Bool {
        writers.contains("\(client)>\(server)")
    }
    func knowsAsset(_ address: IPAddress) -> Bool { assets.contains(address) }
}
