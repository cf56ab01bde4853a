import ArgumentParser
import ConvergeEngine
import ConvergeInventory
import ConvergeModel
import ConvergePolicy
import Foundation

struct PolicyCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every conversation and operation against the policy; violations become alerts."
    )

    @Argument(help: "The policy file (YAML).")
    var policy: String

    @Argument(help: "Capture files to check (leave out with --database).")
    var files: [String] = []

    @OptionGroup var source: PolicySource

    @Flag(help: "Print the result (violations as alerts, matrix, zones, conduits) as JSON.")
    var json = false

    @Flag(help: "Exit with status 3 when there are violations (for CI).")
    var failOnViolations = false

    @Flag(help: "Checking a store: report only, store neither the violations (as alerts) nor the policy.")
    var noCommit = false

    func run() async throws {
        let loaded = try loadPolicy(policy, quiet: json)
        let location = try source.location(files: files)
        let inventory = try await loadInventory(files: files, store: location)
        var result = PolicyChecker(policy: loaded).check(inventory)
        if !files.isEmpty && !result.violations.isEmpty {
            result.violations = evidence(for: result.violations, inventory: inventory)
        }
        if let location, !noCommit {
            try await PolicyCommit.store(policyPath: policy, violations: result.violations, in: location)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(result))
            print()
        } else {
            print(PolicyReport.text(result), terminator: "")
        }
        if failOnViolations && !result.violations.isEmpty { throw ExitCode(3) }
    }

    /// A second pass over the captures for the frames behind each violation.
    private func evidence(for violations: [Alert], inventory: Inventory) -> [Alert] {
        final class Collector {
            var evidence: ViolationEvidence
            init(_ evidence: ViolationEvidence) { self.evidence = evidence }
        }
        let collector = Collector(ViolationEvidence(violations: violations, inventory: inventory))
        let analyzer = Analyzer()
        let paths = files
        let add = { (message: Message) in
            let capture = paths.indices.contains(message.captureIndex ?? 0) ? paths[message.captureIndex ?? 0] : "-"
            collector.evidence.add(message, capture: capture)
        }
        // Messages only (no process values): the inventory's feed carries the link-layer ones.
        analyzer.inventorySink = { event in
            if case .message(let message) = event { add(message) }
        }
        analyzer.messageSink = add
        _ = analyzer.run(paths: files)
        return collector.evidence.alerts
    }
}
