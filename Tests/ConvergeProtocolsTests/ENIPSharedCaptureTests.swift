import Foundation
import Testing

@testable import ConvergeProtocols

/// The EtherNet/IP captures of ../shared/captures (too large to copy) against tshark golden counts
/// committed in Tests/Fixtures/enip/shared-golden (regenerate-golden.sh writes them). Deliberate
/// differences are listed in shared-golden/DIFFERENCES.txt: "<golden file> <enip|cip> <code> <delta>".
@Suite struct ENIPSharedCaptureTests {
    static let goldenFolder = ENIPCaptureHarness.fixtures.appendingPathComponent("shared-golden")
    static let available = FileManager.default.fileExists(atPath: ENIPCaptureHarness.sharedCaptures.path)

    static var goldenFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: goldenFolder.path)) ?? []
        return names.filter { $0.hasSuffix(".tshark.txt") }.sorted()
    }

    static func differences() throws -> [String: [(String, Int, Int)]] {
        let text = try String(contentsOf: goldenFolder.appendingPathComponent("DIFFERENCES.txt"), encoding: .utf8)
        var table: [String: [(String, Int, Int)]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", maxSplits: 4)
            guard fields.count >= 4, let code = Int(fields[2]), let delta = Int(fields[3]) else { continue }
            table[String(fields[0]), default: []].append((String(fields[1]), code, delta))
        }
        return table
    }

    @Test func goldenFilesExist() {
        #expect(Self.goldenFiles.count >= 16)
    }

    @Test(.enabled(if: available, "../shared/captures is missing: shared-capture checks skipped"),
        arguments: goldenFiles)
    func countsMatchTshark(golden: String) throws {
        let path = golden.replacingOccurrences(of: "__", with: "/")
            .replacingOccurrences(of: ".tshark.txt", with: ".pcap")
        let result = ENIPCaptureHarness.run(path: ENIPCaptureHarness.sharedCaptures.appendingPathComponent(path).path)
        let text = try String(contentsOf: Self.goldenFolder.appendingPathComponent(golden), encoding: .utf8)
        var expected = ENIPCaptureHarness.golden(text: text)
        for (field, code, delta) in try Self.differences()[golden] ?? [] {
            if field == "enip" { expected.commands[code, default: 0] += delta }
            if field == "cip" { expected.services[code, default: 0] += delta }
        }
        expected.commands = expected.commands.filter { $0.value != 0 }
        expected.services = expected.services.filter { $0.value != 0 }
        #expect(result.commands == expected.commands, "\(path)")
        #expect(result.services == expected.services, "\(path)")
        #expect(result.io == expected.io, "\(path)")
        #expect(result.ioTracked == expected.io, "\(path)")
    }
}
