import ConvergeCapture
import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures against tshark 4.0.17's `synphasor.frtype` counts (Tests/Fixtures/c37118/regenerate-golden.sh).
@Suite struct C37118CaptureTests {
    /// Messages and frame types of a capture: TCP streams to 4712, or UDP datagrams on 4712/4713.
    static func run(_ path: String) -> (messages: Int, functions: [Int: Int], malformed: Int, facts: [AssetFact],
        events: [Message]) {
        if path.contains("UDP") {
            let result = ITUDPCaptureHarness.run(C37118.self, url: URL(fileURLWithPath: path), ports: [4712, 4713])
            return (result.messages, result.functions, result.malformed, result.facts, result.events)
        }
        let result = ITStreamRunner.run(C37118.self, path: path, ports: [4712])
        return (result.parsed, result.functions, result.malformed, result.facts, result.messages)
    }

    @Test(arguments: ["C37.118_1PMU_TCP", "C37.118_1PMU_UDP"])
    func fixtureMatchesTshark(_ name: String) throws {
        let folder = ITUDPCaptureHarness.fixtures("c37118")
        let golden = try ITUDPCaptureHarness.golden(folder.appendingPathComponent(name + ".tshark.txt"))
        let result = Self.run(folder.appendingPathComponent(name + ".pcap").path)
        #expect(result.messages == golden.messages && result.functions == golden.functions && result.malformed == 0,
            "\(name): \(result.messages) \(result.functions) \(result.malformed)")
        #expect(result.facts.contains { $0.kind == .moduleName })
        // Data frames were checked against the configuration and carry their PMU's STAT.
        #expect(result.events.contains { $0.functionName == "data" && $0.targets.contains { $0.kind == "pmu" } })
        #expect(result.events.allSatisfy { !$0.anomalies.contains("c37118.bad_checksum") })
        #expect(result.events.allSatisfy { !$0.anomalies.contains("c37118.configuration_mismatch") })
    }

    /// Frame-type count differences from tshark, read frame by frame and explained:
    /// - the 1100 captures' frame 6 is a valid header frame with an empty body (16 bytes, CRC
    ///   0x5105 checks); tshark leaves it undissected, Converge counts it (+1 header);
    /// - c37_pmu_*: frame 3893 retransmits, after frame 3891, the segment missing before 3891;
    ///   tshark reorders it, the harness (like the engine) does not reorder a stream (-1 data).
    static let knownDifferences: [String: [Int: Int]] = [
        "C37118/c37118_1100_unclean.pcap": [1: 1],
        "C37118/c37_1100_clean_tcp.pcap": [1: 1],
        "C37118/c37_pmu_clean.pcap": [0: -1],
        "C37118/c37_pmu_unclean.pcap": [0: -1],
    ]

    @Test func sharedCapturesMatchTshark() throws {
        guard let folder = ITStreamRunner.shared("public/iti/C37.118") else {
            print("skipped: ../shared/captures/public/iti/C37.118 is missing")
            return
        }
        let paths = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".pcap") }.sorted()
        #expect(paths.count >= 9)
        for path in paths {
            let goldenName = path.replacingOccurrences(of: ".pcap", with: "").replacingOccurrences(of: "/", with: "_")
            let golden = try ITUDPCaptureHarness.golden(
                ITUDPCaptureHarness.fixtures("c37118").appendingPathComponent("shared-golden/\(goldenName).tshark.txt"))
            let result = Self.run(folder + "/" + path)
            var expected = golden
            for (type, delta) in Self.knownDifferences[path] ?? [:] {
                expected.functions[type, default: 0] += delta
                expected.messages += delta
            }
            #expect(result.messages == expected.messages && result.functions == expected.functions,
                "\(path): \(result.messages) \(result.functions) malformed \(result.malformed)")
        }
    }

    /// The last data frame of the UDP fixture (frame 360), decoded with its CFG-2 (float polar
    /// phasors, integer FREQ, 50 Hz), against what tshark prints for it: VA 100.077 V ∠-89.769°,
    /// frequency 50.001 Hz.
    @Test func udpFixtureValuesMatchTshark() {
        let url = ITUDPCaptureHarness.fixtures("c37118").appendingPathComponent("C37.118_1PMU_UDP.pcap")
        var state = C37118.State()
        var last: [ProcessValue] = []
        var packet = DecodedPacket()
        _ = CaptureSet(paths: [url.path]).forEachPacket { header, bytes in
            _ = PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet)
            guard packet.transport == .udp, packet.payloadLength > 0,
                packet.payloadOffset + packet.payloadLength <= bytes.count
            else { return }
            let payload = bytes.extracting(packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength))
            let context = MessageContext(
                time: Timestamp(nanoseconds: 0), flowID: 1, client: Endpoint(address: packet.destination, port: 4713),
                server: Endpoint(address: packet.source, port: 4712), direction: .toClient)
            guard let (frame, _) = try? C37118.parse(payload, direction: .toClient, time: context.time, state: &state)
            else { return }
            let event = C37118.event(frame, bytes: payload, context: context, state: &state)
            let values = C37118.processValues(frame, event: event, bytes: payload, context: context, state: state)
            if !values.isEmpty { last = values }
        }
        func value(_ suffix: String) -> Double? { last.first { $0.tag.hasSuffix("/61/" + suffix) }?.value }
        #expect(abs((value("phasor/0/magnitude") ?? 0) - 100.077) < 0.001)
        #expect(abs((value("phasor/0/angle") ?? 0) + 89.769) < 0.001)
        #expect(abs((value("frequency") ?? 0) - 50.001) < 1e-9)
        #expect(value("digital/0") == 0 && last.count == 9)
    }
}
