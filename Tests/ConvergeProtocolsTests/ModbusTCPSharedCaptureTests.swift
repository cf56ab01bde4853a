import Foundation
import Testing

@testable import ConvergeProtocols

/// The Modbus captures of ../shared/captures/public (too large to copy) against tshark golden
/// counts committed in Tests/Fixtures/modbus/shared-golden (regenerate-golden.sh writes them).
@Suite struct ModbusTCPSharedCaptureTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let publicCaptures = packageRoot.appendingPathComponent("../shared/captures/public").standardized
    static let goldenFolder = ModbusTCPCaptureTests.fixtures.appendingPathComponent("shared-golden")

    /// Golden file names: the capture's path under public/ with "/" written as "__".
    static var goldenFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: goldenFolder.path)) ?? []
        return names.filter { $0.hasSuffix(".tshark.txt") }.sorted()
    }

    /// Deliberate differences from tshark (DIFFERENCES.txt): golden file → (code, delta) pairs.
    static func differences() throws -> [String: [(Int, Int)]] {
        let text = try String(contentsOf: goldenFolder.appendingPathComponent("DIFFERENCES.txt"), encoding: .utf8)
        var table: [String: [(Int, Int)]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count == 4, let code = Int(fields[1]), let delta = Int(fields[2]) else { continue }
            table[String(fields[0]), default: []].append((code, delta))
        }
        return table
    }

    @Test func goldenFilesExist() throws {
        #expect(try Self.differences().values.joined().count == 4)
        #expect(Self.goldenFiles.count >= 12)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: publicCaptures.path),
        "../shared/captures/public is missing: shared-capture checks skipped"),
        arguments: goldenFiles)
    func functionCountsMatchTshark(golden: String) throws {
        let path = golden.replacingOccurrences(of: "__", with: "/")
            .replacingOccurrences(of: ".tshark.txt", with: ".pcap")
        let result = try ModbusTCPCaptureTests.run(url: Self.publicCaptures.appendingPathComponent(path))
        let text = try String(contentsOf: Self.goldenFolder.appendingPathComponent(golden), encoding: .utf8)
        var expected = ModbusTCPCaptureTests.golden(text: text)
        for (code, delta) in try Self.differences()[golden] ?? [] {
            expected.functions[code, default: 0] += delta
        }
        #expect(result.functions == expected.functions, "\(path)")
        #expect(result.exceptions == expected.exceptions, "\(path)")
    }
}
