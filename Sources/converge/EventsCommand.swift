import ArgumentParser
import ConvergeEngine
import ConvergeModel
import Foundation

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Stream every event (messages, asset facts, process values, flows) as JSON lines."
    )

    @OptionGroup var inputs: CaptureInputs

    func run() throws {
        let writer = JSONLinesWriter()
        let analyzer = Analyzer()
        analyzer.eventSink = { writer.write($0) }
        analyzer.flowSink = { writer.write(Event.flow($0)) }
        let summary = analyzer.run(paths: inputs.files)
        writer.flush()
        reportFileErrors(summary)
        if summary.packets == 0 && !summary.errors.isEmpty { throw ExitCode(1) }
    }
}

/// Writes values as JSON lines (snake_case keys, sorted), buffered.
final class JSONLinesWriter {
    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
    private var buffer = Data()

    func write<T: Encodable>(_ value: T) {
        guard let line = try? encoder.encode(value) else { return }
        buffer.append(line)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
