import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures through the real reader, decoder and the DNP3 dissector; per-function counts
/// compared with tshark's `dnp3.al.func` (Tests/Fixtures/dnp3/tshark-golden.txt, written by
/// regenerate-golden.sh), adjusted by the declared differences in DIFFERENCES.txt.
@Suite struct DNP3CaptureTests {
    typealias Harness = DNP3CaptureHarness

    /// Golden lines: capture path → counts per function code.
    static func golden() -> [(path: String, functions: [Int: Int])] {
        let url = Harness.fixtures.appendingPathComponent("tshark-golden.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard let path = fields.first else { return nil }
            var functions: [Int: Int] = [:]
            for pair in (fields.count > 1 ? fields[1] : "").split(separator: " ") {
                let parts = pair.split(separator: ":")
                if parts.count == 2, let code = Int(parts[0]), let count = Int(parts[1]) { functions[code] = count }
            }
            return (String(path), functions)
        }
    }

    static func differences() -> [String: [(code: Int, delta: Int)]] {
        let url = Harness.fixtures.appendingPathComponent("DIFFERENCES.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var table: [String: [(Int, Int)]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count == 4, let code = Int(fields[1]), let delta = Int(fields[2]) else { continue }
            table[String(fields[0]), default: []].append((code, delta))
        }
        return table
    }

    static var sharedPaths: [String] { golden().map(\.path).filter { !$0.hasPrefix("fixtures/") } }

    static func url(for path: String) -> URL {
        if path.hasPrefix("fixtures/") {
            return Harness.fixtures.appendingPathComponent(String(path.dropFirst("fixtures/".count)))
        }
        return Harness.sharedCaptures.appendingPathComponent(path)
    }

    static func expected(_ path: String) -> [Int: Int]? {
        guard var functions = golden().first(where: { $0.path == path })?.functions else { return nil }
        for (code, delta) in differences()[path] ?? [] {
            functions[code, default: 0] += delta
            if functions[code] == 0 { functions[code] = nil }
        }
        return functions
    }

    static func run(_ path: String) -> Harness.Result {
        let ports: Set<UInt16> = path.contains("p20001") ? [20001] : [20000]
        return Harness.run(path: url(for: path).path, serverPorts: ports)
    }

    @Test func goldenCoversTheCatalogue() {
        #expect(Self.golden().count >= 200)
        #expect(Self.differences()["fixtures/wrap.pcap"]?.count == 1)
    }

    @Test(
        .enabled(if: DNP3CaptureHarness.sharedAvailable, "../shared/captures is missing: shared DNP3 captures skipped"),
        arguments: sharedPaths)
    func functionCountsMatchTshark(path: String) throws {
        let expected = try #require(Self.expected(path))
        let result = Self.run(path)
        #expect(result.functions == expected, "\(path)")
        // Every message's event builds without trouble and names its function.
        #expect(result.messages.filter { $0.functionCode >= 0 }.count == expected.values.reduce(0, +))
    }

    /// The declared difference: a fragment whose transport sequence wraps 63 → 0.
    @Test func sequenceWrapCompletesTheFragment() throws {
        let result = Self.run("fixtures/wrap.pcap")
        #expect(result.functions == Self.expected("fixtures/wrap.pcap"))
        #expect(result.functions[2] == 1)
        let write = try #require(result.messages.first { $0.functionCode == 2 })
        #expect(write.functionName == "write")
        #expect(write.operation == .write)
        #expect(write.status == .pending)
        #expect(write.targets.count == 40)
        #expect(write.targets.first == Message.Target(kind: "analog_output", address: 0, values: [100, 0]))
        #expect(write.targets.last == Message.Target(kind: "analog_output", address: 39, values: [139, 0]))
        let response = try #require(result.messages.first { $0.functionCode == 129 })
        #expect(response.operation == .write)
        #expect(response.roundTripNanoseconds != nil)
        #expect(result.anomalies.isEmpty)
    }

    @Test(.enabled(if: DNP3CaptureHarness.sharedAvailable, "../shared/captures is missing"))
    func generatedCaptureIsCleanAndPaired() {
        let result = Self.run("generated/dnp3.pcap")
        #expect(result.malformed == 0)
        #expect(result.anomalies.isEmpty)
        let responses = result.messages.filter { $0.functionCode == 129 }
        #expect(responses.count == 23)
        #expect(responses.allSatisfy { $0.roundTripNanoseconds != nil })
        #expect(result.messages.filter { $0.functionCode == 130 }.allSatisfy { $0.operation == .read })
        #expect(result.messages.contains { $0.functionName == "direct_operate" && $0.operation == .control })
    }

    @Test(.enabled(if: DNP3CaptureHarness.sharedAvailable, "../shared/captures is missing"))
    func selectOperateCarriesTheControlBlock() throws {
        let result = Self.run("public/iti/bro/dnp3/dnp3_select_operate.pcap")
        let select = try #require(result.messages.first { $0.functionName == "select" })
        let operate = try #require(result.messages.first { $0.functionName == "operate" })
        for message in [select, operate] {
            #expect(message.operation == .control)
            let crob = try #require(message.targets.first { $0.kind == "crob" })
            #expect(crob.values.count == 5)
        }
        let answers = result.messages.filter { $0.functionCode == 129 }
        #expect(answers.map(\.operation) == [.control, .control])
    }

    @Test(.enabled(if: DNP3CaptureHarness.sharedAvailable, "../shared/captures is missing"))
    func tooLongReassemblyIsAnAnomaly() {
        let result = Self.run("public/suricata-verify/dnp3/dnp3-too-long-reassembly-request/input.pcap")
        #expect(result.functions.isEmpty)
        #expect(result.anomalies["dnp3.fragment_too_long"] == 1)
    }

    @Test(.enabled(if: DNP3CaptureHarness.sharedAvailable, "../shared/captures is missing"))
    func malformedCaptureDoesNotTrap() {
        let result = Self.run("public/iti/openics/DNP3-Malformed.pcap")
        #expect(result.functions == Self.expected("public/iti/openics/DNP3-Malformed.pcap"))
        #expect((result.anomalies["dnp3.objects_truncated"] ?? 0) > 0)
    }

    @Test(.enabled(if: DNP3CaptureHarness.sharedAvailable, "../shared/captures is missing"))
    func authenticationObjectsAreNoted() {
        let result = Self.run("public/iti/dnp3/auth_control_challenge_response.pcap")
        let auth = result.messages.filter { $0.operation == .auth }
        #expect(auth.count == 2)
        #expect(auth.contains { $0.targets.contains { $0.kind.hasPrefix("authentication.") } })
    }
}
