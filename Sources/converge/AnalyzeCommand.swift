import ArgumentParser
import ConvergeEngine
import ConvergeStore
import Foundation

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Decode captures, track every flow and dissect industrial protocols; print a summary."
    )

    @OptionGroup var inputs: CaptureInputs

    @Flag(help: "Print the summary as JSON (schema in the README).")
    var json = false

    @Option(help: "How many of the busiest hosts to list.")
    var top = 10

    @Option(help: "The most flows tracked at once; the least recently active is evicted beyond it.")
    var maxFlows = FlowLimits().capacity

    @Flag(help: "Decode and track flows only; dissect no application protocol (a baseline for benchmarks).")
    var noDissect = false

    @Option(
        name: [.customLong("database"), .customLong("store")],
        help: "Merge the captures' assets into this inventory store: an SQLite file (created if missing) or postgres://user:password@host:port/name.")
    var store: String?

    @Flag(help: "With --database: print how long each phase (load, analysis, build, commit) took, on standard error.")
    var timings = false

    @Flag(
        help: """
            With --database: add these captures to the learned baseline instead of alerting on deviations from it \
            (rules still alert).
            """)
    var learn = false

    @Flag(help: "With --database: run no detection (no rules, no baseline); stores the inventory only.")
    var noDetect = false

    @Option(help: "With --database: also load the rules in this directory (*.yaml), merged with the built-in ones.")
    var rules: String?

    func validate() throws {
        if store == nil && (learn || noDetect || rules != nil) {
            throw ValidationError("--learn, --no-detect and --rules go with --database")
        }
        if noDetect && (learn || rules != nil) {
            throw ValidationError("--no-detect turns detection off: drop --learn and --rules")
        }
    }

    func run() async throws {
        var options = AnalysisOptions()
        options.topTalkers = max(0, top)
        options.flowLimits.capacity = max(1, maxFlows)
        options.dissect = !noDissect
        let bar = ProgressBar.ifTerminal()
        let progress = bar.map { bar in { bar.update(bytesRead: $0, total: $1, packets: $2) } }
        let summary: AnalysisSummary
        if let store {
            let detection = try detectionOptions()
            let outcome = try await withStore(store) {
                try await StoreIngest.run(
                    paths: inputs.files, store: $0, options: options, detection: detection, progress: progress)
            }
            bar?.finish()
            for path in outcome.skipped {
                FileHandle.standardError.write(Data("converge: \(path): already in the store, skipped\n".utf8))
            }
            FileHandle.standardError.write(Data(
                "converge: store \(store): \(outcome.assets) assets, \(outcome.changes) changes\n".utf8))
            if timings {
                let text = outcome.phases.map { "\($0.name) \(String(format: "%.3f", $0.seconds)) s" }
                FileHandle.standardError.write(Data("converge: timings: \(text.joined(separator: ", "))\n".utf8))
            }
            reportDetection(outcome, detection)
            guard let analysed = outcome.summary else { return }
            summary = analysed
        } else {
            summary = Analyzer(options: options).run(paths: inputs.files, progress: progress)
            bar?.finish()
        }
        if json {
            print(try SummaryJSON.encode(summary))
        } else {
            print(SummaryText.render(summary), terminator: "")
        }
        reportFileErrors(summary)
        if summary.packets == 0 && !summary.errors.isEmpty { throw ExitCode(1) }
    }
}

/// One line per damaged file on standard error, so a script sees them even with `--json`.
func reportFileErrors(_ summary: AnalysisSummary) {
    for problem in summary.errors where problem.isFileLevel {
        FileHandle.standardError.write(Data("converge: \(problem.file): record \(problem.record) at offset \(problem.offset): \(problem.reason)\n".utf8))
    }
}
