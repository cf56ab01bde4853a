import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// The S7 captures of ../shared/captures through the S7comm dissector, per-function counts
/// compared with tshark's `s7comm.param.func` (golden files written by
/// Tests/Fixtures/s7comm/regenerate-golden.sh; deliberate differences in DIFFERENCES.txt).
@Suite struct S7CommCaptureTests {
    static let goldenFolder = S7CaptureHarness.fixtures.appendingPathComponent("golden")
    static let sharedAvailable = FileManager.default.fileExists(atPath: S7CaptureHarness.sharedCaptures.path)

    static var goldenFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: goldenFolder.path)) ?? []
        return names.filter { $0.hasSuffix(".tshark.txt") }.sorted()
    }

    static func capturePath(_ golden: String) -> String {
        let relative = golden.replacingOccurrences(of: "__", with: "/")
            .replacingOccurrences(of: ".tshark.txt", with: "")
        return S7CaptureHarness.sharedCaptures.appendingPathComponent(relative).path
    }

    /// Deliberate differences: golden file → (code, delta) pairs.
    static func differences() -> [String: [(Int, Int)]] {
        let url = S7CaptureHarness.fixtures.appendingPathComponent("DIFFERENCES.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var table: [String: [(Int, Int)]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count >= 3, let code = Int(fields[1]), let delta = Int(fields[2]) else { continue }
            table[String(fields[0]), default: []].append((code, delta))
        }
        return table
    }

    static func counts(_ path: String) -> (functions: [Int: Int], result: S7CaptureHarness.Result<S7Comm.Frame>) {
        let result = S7CaptureHarness.run(S7Comm.self, path: path) { frame, _, context, state in
            S7Comm.facts(frame, context: context, state: state)
        }
        var functions: [Int: Int] = [:]
        for frame in result.parsed where frame.hasFunction { functions[frame.functionCode, default: 0] += 1 }
        return (functions, result)
    }

    @Test func goldenFilesExist() {
        #expect(Self.goldenFiles.count >= 30)
    }

    @Test(.enabled(if: sharedAvailable, "../shared/captures is missing: S7 capture checks skipped"),
        arguments: goldenFiles)
    func functionCountsMatchTshark(golden: String) throws {
        let text = try String(contentsOf: Self.goldenFolder.appendingPathComponent(golden), encoding: .utf8)
        var expected = S7CaptureHarness.golden(text)
        for (code, delta) in Self.differences()[golden] ?? [] {
            expected[code, default: 0] += delta
            if expected[code] == 0 { expected[code] = nil }
        }
        let (functions, result) = Self.counts(Self.capturePath(golden))
        #expect(functions == expected, "\(golden)")
        #expect(result.malformed == 0, "\(golden)")
    }
}
