import ArgumentParser
import ConvergeDetection
import ConvergeModel
import ConvergeStore
import Foundation

extension AnalyzeCommand {
    /// The detection `--learn`, `--no-detect` and `--rules` ask for. Rule files are read here,
    /// before any packet, so a bad one stops the run with its FILE:LINE error.
    func detectionOptions() throws -> DetectionOptions {
        if noDetect { return .off }
        let detectors = try RuleDetectors.factory(directory: rules)
        return DetectionOptions(enabled: true, baselining: learn ? .learn : .detect, makeDetectors: detectors)
    }

    func reportDetection(_ outcome: StoreIngest.Outcome, _ detection: DetectionOptions) {
        guard detection.enabled, outcome.summary != nil else { return }
        let bySeverity = Dictionary(grouping: outcome.alerts, by: \.severity)
        let counts = Alert.Severity.allCases.reversed().compactMap { s in
            bySeverity[s].map { "\($0.count) \(s.rawValue)" }
        }
        var line = "converge: detection: \(outcome.alerts.count) alert(s)"
        if !counts.isEmpty { line += " (" + counts.joined(separator: ", ") + ")" }
        if detection.baselining == .learn { line += "; baseline learned: \(outcome.baselinePairs) pair(s)" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// The rule engine's detectors for a store run: the built-in rules plus those of `--rules DIR`.
/// A bad rule file stops the run here, before any packet, with its one-line FILE:LINE error.
enum RuleDetectors {
    static func factory(directory: String?) throws -> @Sendable (DetectionContext) throws -> [any EventDetector] {
        var rules: [Rule]
        do {
            rules = try RuleLoader.builtIn()
            if let directory { rules += try RuleLoader.load(directory: directory) }
        } catch let error as RuleError {
            FileHandle.standardError.write(Data("converge: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let loaded = rules
        return { context in
            [Detector(rules: loaded, assets: context.assets, baseline: context.baseline, captures: context.captures)]
        }
    }
}

extension Detector: EventDetector {}
