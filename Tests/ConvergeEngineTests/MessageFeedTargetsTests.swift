import ConvergeEngine
import ConvergeModel
import Foundation
import Testing

/// The detection feed may leave targets out of the events no rule reads them from
/// (`Analyzer.messageTargets`). Everything else about each message must stay as the full event
/// has it: status, anomalies and function decide which rules match.
@Suite struct MessageFeedTargetsTests {
    static let directories: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)) ?? []
        return names.filter { !captures(in: $0).isEmpty }.sorted()
    }()

    static func captures(in directory: String) -> [String] {
        let root = Fixtures.directory.appendingPathComponent(directory)
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }
            .map { root.appendingPathComponent($0).path }
            .sorted()
    }

    /// The protocols whose events leave targets out when told (the bench capture's traffic).
    static let skipsTargets: Set<String> = ["modbus", "dnp3", "s7comm", "enip", "cip", "tls", "http", "dns"]

    /// What a rule can look at besides targets, in one comparable line.
    static func essentials(_ m: Message) -> String {
        let unit = m.unit.map { String($0) } ?? "-"
        let roundTrip = m.roundTripNanoseconds.map { String($0) } ?? "-"
        let frame = m.frame.map { String($0) } ?? "-"
        let anomalies = m.anomalies.joined(separator: ",")
        let head = "\(m.proto)|\(m.flowID)|\(m.time.nanoseconds)|\(m.direction.name)|\(m.functionCode)"
        return "\(head)|\(m.functionName)|\(m.operation.rawValue)|\(m.status)|\(anomalies)|\(unit)|\(roundTrip)"
            + "|\(frame)|\(m.client)|\(m.server)"
    }

    @Test func fixturesAreFound() {
        #expect(Self.directories.count > 30)
    }

    @Test(arguments: directories)
    func feedWithoutTargetsKeepsEverythingElse(_ directory: String) {
        for path in Self.captures(in: directory) {
            var full: [Message] = []
            let reference = Analyzer()
            reference.eventSink = { event in
                if case .message(let m) = event, m.flowID != 0 { full.append(m) }
            }
            _ = reference.run(paths: [path])

            var bare: [Message] = []
            let feed = Analyzer()
            feed.inventorySink = { _ in }
            feed.messageSink = { bare.append($0) }
            feed.messageTargets = { _ in TargetNeed.none }
            _ = feed.run(paths: [path])

            #expect(bare.map(Self.essentials) == full.map(Self.essentials), "\(path)")
            let skipping = bare.filter { Self.skipsTargets.contains($0.proto) }
            #expect(skipping.allSatisfy { $0.targets.isEmpty }, "\(path): targets were built")
        }
    }
}
