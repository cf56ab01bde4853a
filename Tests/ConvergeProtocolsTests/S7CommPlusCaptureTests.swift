import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// The S7comm-plus captures of ../shared/captures through the S7comm-plus dissector, function
/// counts compared with counts taken from tshark's reassembled COTP payloads
/// (Tests/Fixtures/s7comm/golden-plus, written by regenerate-golden.sh; tshark 4.0 has no
/// S7comm-plus dissector of its own).
@Suite struct S7CommPlusCaptureTests {
    static let goldenFolder = S7CaptureHarness.fixtures.appendingPathComponent("golden-plus")

    static var goldenFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: goldenFolder.path)) ?? []
        return names.filter { $0.hasSuffix(".counts.txt") }.sorted()
    }

    static func capturePath(_ golden: String) -> String {
        let relative = golden.replacingOccurrences(of: "__", with: "/")
            .replacingOccurrences(of: ".counts.txt", with: "")
        return S7CaptureHarness.sharedCaptures.appendingPathComponent(relative).path
    }

    static func run(_ path: String) -> S7CaptureHarness.Result<S7CommPlus.Frame> {
        S7CaptureHarness.run(S7CommPlus.self, path: path) { frame, bytes, context, state in
            S7CommPlus.facts(frame, bytes: bytes.span, context: context, state: state)
        }
    }

    @Test func goldenFilesExist() {
        #expect(Self.goldenFiles.count >= 9)
    }

    @Test(.enabled(if: S7CommCaptureTests.sharedAvailable, "../shared/captures is missing: checks skipped"),
        arguments: goldenFiles)
    func functionCountsMatch(golden: String) throws {
        let text = try String(contentsOf: Self.goldenFolder.appendingPathComponent(golden), encoding: .utf8)
        let expected = S7CaptureHarness.golden(text)
        let result = Self.run(Self.capturePath(golden))
        var functions: [Int: Int] = [:]
        for frame in result.parsed where frame.hasFunction { functions[frame.functionCode, default: 0] += 1 }
        #expect(functions == expected, "\(golden)")
        #expect(result.malformed == 0, "\(golden)")
        #expect(result.messages.allSatisfy { !$0.anomalies.contains("s7comm_plus.unknown_function") }, "\(golden)")
    }
}
