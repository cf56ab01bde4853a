import ConvergeModel
import Foundation
import Testing

@testable import ConvergeDetection

/// The detector remembers, per flow and kind of message, which rules can match (`candidates`);
/// messages outside any flow (flow id 0) take the path that checks every rule. Both paths must
/// raise the same alerts, with the same counts and evidence, on real captures.
@Suite struct CandidateCacheTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let captures: [String] = {
        let detection = fixtures.appendingPathComponent("detection")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: detection.path)) ?? []
        return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
            .map { detection.appendingPathComponent($0).path }
            + [fixtures.appendingPathComponent("baseline/modbus_attack.pcap").path]
    }()

    @Test func thereAreCapturesToCompare() {
        #expect(Self.captures.count > 20)
    }

    @Test(arguments: captures) func bothPathsRaiseTheSameAlerts(_ path: String) throws {
        let (events, assets) = DetectionFixtures.events(path)
        let rules = try RuleLoader.builtIn()
        let cached = Detector(rules: rules, assets: assets, captures: [path])
        let uncached = Detector(rules: rules, assets: assets, captures: [path])
        var flowMessages = 0
        for event in events {
            cached.observe(event)
            if case .message(var m) = event {
                if m.flowID != 0 { flowMessages += 1 }
                m.flowID = 0
                uncached.observe(.message(m))
            } else {
                uncached.observe(event)
            }
        }
        #expect(cached.finish() == uncached.finish(), "\(path)")
        #expect(cached.matchCount == uncached.matchCount)
        if path.hasSuffix("modbus_attack.pcap") {
            #expect(flowMessages > 100 && !cached.finish().isEmpty)
        }
    }
}
