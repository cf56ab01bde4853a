import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures through the dissector, per-packet-type counts compared with tshark's
/// `mqtt.msgtype` (golden files written by Tests/Fixtures/mqtt/regenerate-golden.sh).
@Suite struct MQTTCaptureTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mqtt")
    static let packageRoot = fixtures.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sharedCaptures = packageRoot.appendingPathComponent("../shared/captures").standardized
    static let goldenFolder = fixtures.appendingPathComponent("shared-golden")

    static func run(_ name: String) -> MQTTCaptureRunner.Result {
        MQTTCaptureRunner.run(path: fixtures.appendingPathComponent(name).path)
    }

    static func golden(_ url: URL) throws -> [Int: Int] {
        MQTTCaptureRunner.golden(text: try String(contentsOf: url, encoding: .utf8))
    }

    static let copied = [
        "generated-mqtt", "sv-invalid-qos", "sv-unassigned-msgtype", "sv-excessiveproplen", "sv-frames-truncated",
        "sv-midstream-split", "sv-mqtt5-sub-mosquittoprops",
    ]

    @Test(arguments: copied)
    func functionCountsMatchTshark(capture: String) throws {
        let result = Self.run(capture + ".pcap")
        let expected = try Self.golden(Self.fixtures.appendingPathComponent(capture + ".tshark.txt"))
        #expect(!expected.isEmpty)
        #expect(result.errors.isEmpty)
        #expect(result.functions == expected)
        #expect(result.malformed == 0)
    }

    /// Golden file names: the capture's path under captures/ with "/" written as "__".
    static var sharedGoldenFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: goldenFolder.path)) ?? []
        return names.filter { $0.hasSuffix(".tshark.txt") }.sorted()
    }

    @Test func sharedGoldenFilesExist() {
        #expect(Self.sharedGoldenFiles.count >= 40)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedCaptures.path),
        "../shared/captures is missing: shared-capture checks skipped"),
        arguments: sharedGoldenFiles)
    func sharedCountsMatchTshark(golden: String) throws {
        let path = golden.replacingOccurrences(of: "__", with: "/")
            .replacingOccurrences(of: ".tshark.txt", with: ".pcap")
        let result = MQTTCaptureRunner.run(path: Self.sharedCaptures.appendingPathComponent(path).path)
        let expected = try Self.golden(Self.goldenFolder.appendingPathComponent(golden))
        #expect(result.errors.isEmpty, "\(path)")
        #expect(result.functions == expected, "\(path)")
    }

    @Test func generatedCaptureEventsAndIdentity() throws {
        let result = Self.run("generated-mqtt.pcap")
        let messages = result.messages
        // Every acknowledgement with an id was paired, except those whose request predates the capture.
        let acks = messages.filter { [4, 5, 6, 7, 9, 11].contains($0.functionCode) }
        #expect(acks.filter { $0.roundTripNanoseconds == nil }.count <= 2)
        // Sparkplug commands are controls, their PUBACKs too.
        let commands = messages.filter { $0.functionName.hasSuffix("cmd") }
        #expect(commands.count == 8)
        #expect(commands.allSatisfy { $0.operation == .control })
        // They are QoS 0 here (no acknowledgement); the pairing of a command's PUBACK is unit-tested.
        #expect(commands.allSatisfy { $0.targets.first?.values.first == 0 })
        // The historian connects with MQTT 5; the others with 3.1.1.
        let levels = messages.filter { $0.functionCode == 1 }.compactMap { $0.targets.first?.address }
        #expect(levels.sorted() == [4, 4, 4, 4, 5])
        let clientIDs = Set(messages.flatMap(\.targets).filter { $0.kind == "client_id" }.compactMap(\.name))
        #expect(clientIDs == [
            "historian-mqtt-ingest", "hmi-station-2", "iotgw-line1-01", "line1-edge-node", "scada-primary-host",
        ])
        let passwords = messages.filter { $0.anomalies.contains("mqtt.cleartext_password") }
        #expect(passwords.count == 4)  // hmi-station-2 sends neither user name nor password
        let facts = Set(result.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value)" })
        #expect(facts.isSuperset(of: [
            "10.10.3.10 role=mqtt_broker", "10.10.2.30 role=sparkplug_host_application",
            "10.10.2.30 module_name=SCADA-Primary", "10.10.1.50 role=sparkplug_edge_node",
            "10.10.1.50 module_name=Plant1/Line1-Edge", "10.10.1.50 module_name=Plant1/Line1-Edge/Filler01",
        ]))
        // Anomalies other than the passwords: list them so a change is seen.
        let other = messages.flatMap(\.anomalies).filter { $0 != "mqtt.cleartext_password" }
        #expect(other.isEmpty, "\(other)")
    }

    /// The Sparkplug B payloads of the generated capture (pysparkplug 0.6.1 through mosquitto):
    /// the edge node's identity from its NBIRTH, device values from DBIRTH/DDATA, and the
    /// commands the host wrote. Each message is seen twice (to the broker and from it).
    @Test func generatedCaptureSparkplugPayloads() throws {
        let result = Self.run("generated-mqtt.pcap")
        let sparkplugAnomalies = result.messages.flatMap(\.anomalies).filter { $0.contains("sparkplug") }
        #expect(sparkplugAnomalies.isEmpty, "\(sparkplugAnomalies)")
        let facts = Set(result.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value) \($0.source)" })
        #expect(facts.isSuperset(of: [
            "10.10.1.50 model=Siemens IOT2050 mqtt/sparkplug.nbirth",
            "10.10.1.50 os=Industrial OS 1.5 mqtt/sparkplug.nbirth",
        ]))
        // The NBIRTH names its metrics with their types and values.
        let birth = try #require(result.messages.first { $0.functionName == "publish.sparkplug_nbirth" })
        let metrics = birth.targets.filter { $0.kind == "sparkplug_metric" }
        #expect(metrics.map { "\($0.name ?? "?")=\($0.value ?? "")" } == [
            "Node Control/Rebirth=false", "Properties/Hardware=Siemens IOT2050", "Properties/OS=Industrial OS 1.5",
            "bdSeq=0",
        ])
        // DBIRTH values at the metric's own time (ms 1795621206710), the first one exactly.
        let speed = result.processValues.filter { $0.tag == "sparkplug://Plant1/Line1-Edge/Filler01/Speed_bpm" }
        #expect(speed.first == ProcessValue(
            time: Timestamp(nanoseconds: 1_795_621_206_710_000_000),
            tag: "sparkplug://Plant1/Line1-Edge/Filler01/Speed_bpm", value: 120, written: false))
        let temperature = result.processValues.filter { $0.tag.hasSuffix("/Temperature_C") }
        #expect(temperature.first?.value == 31.5)
        // The host's commands: a rebirth request to the node, a new speed (110) to the filler.
        let writes = Set(result.processValues.filter(\.written).map { "\($0.tag)=\($0.value)" })
        #expect(writes.isSuperset(of: [
            "sparkplug://Plant1/Line1-Edge/Node Control/Rebirth=1.0",
            "sparkplug://Plant1/Line1-Edge/Filler01/Speed_bpm=110.0",
        ]))
        let written = result.processValues.filter(\.written)
        #expect(written.allSatisfy { $0.tag.contains("Rebirth") || $0.tag.contains("Speed") })
    }

    @Test func badInputCaptures() throws {
        let qos = Self.run("sv-invalid-qos.pcap").messages
        #expect(qos.filter { $0.anomalies.contains("mqtt.invalid_qos_level") }.map(\.functionCode) == [3])
        let unassigned = Self.run("sv-unassigned-msgtype.pcap").messages
        #expect(unassigned.filter { $0.anomalies.contains("mqtt.unassigned_msg_type") }.map(\.functionCode) == [0])
        let excessive = Self.run("sv-excessiveproplen.pcap").messages
        #expect(excessive.filter { $0.anomalies.contains("mqtt.invalid_properties_length") }.map(\.functionCode) == [1])
        // The broker's CONNACK alone tells the mid-stream flow is MQTT 5; the 35,771-byte PUBLISH
        // spliced from three segments is read with its properties.
        let split = Self.run("sv-midstream-split.pcap").messages
        let publish = try #require(split.first { $0.functionCode == 3 })
        #expect(publish.anomalies.isEmpty)
        #expect(publish.targets.first?.kind == "topic")
    }
}
