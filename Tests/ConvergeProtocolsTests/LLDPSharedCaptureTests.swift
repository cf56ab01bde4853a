import Foundation
import Testing

@testable import ConvergeProtocols

/// LLDP, CDP and STP over the whole shared captures that hold them (../shared/captures/public),
/// with the real reader and decoder: the frames each dissector claims and parses equal tshark's
/// frame counts (Tests/Fixtures/lldp/shared-captures.txt, by regenerate-golden.sh --fixtures),
/// so nothing else in those captures is claimed and nothing of theirs is missed.
@Suite struct LinkDiscoverySharedCaptureTests {
    typealias H = LinkCaptureHarness

    struct Expected: Sendable, CustomStringConvertible {
        var path: String
        var lldp: Int
        var cdp: Int
        var stp: Int
        var description: String { path }
    }

    static let expected: [Expected] = {
        let url = H.fixtures("lldp").appendingPathComponent("shared-captures.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t")
            guard parts.count == 4, let lldp = Int(parts[1]), let cdp = Int(parts[2]), let stp = Int(parts[3]) else {
                return nil
            }
            return Expected(path: String(parts[0]), lldp: lldp, cdp: cdp, stp: stp)
        }
    }()

    /// The package's `../shared/captures/public`, nil when missing.
    static let shared: URL? = {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = package.deletingLastPathComponent().appendingPathComponent("shared/captures/public")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    @Test func goldenListIsThere() {
        #expect(Self.expected.count == 22)
    }

    @Test(arguments: expected)
    func framesEqualTshark(_ capture: Expected) throws {
        guard let shared = Self.shared else {
            print("skipped: ../shared/captures/public is missing (\(capture.path))")
            return
        }
        let url = shared.appendingPathComponent(capture.path)
        let lldp = H.run(LLDP.self, url: url)
        let cdp = H.run(CDP.self, url: url)
        let stp = H.run(STP.self, url: url)
        #expect(lldp.messages == capture.lldp && lldp.malformed == 0)
        #expect(cdp.messages == capture.cdp && cdp.malformed == 0)
        #expect(stp.messages == capture.stp && stp.malformed == 0)
    }
}
