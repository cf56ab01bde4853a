import ArgumentParser
import ConvergeEngine
import ConvergeModel
import Foundation

struct FlowsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flows",
        abstract: "List every flow (conversation) in the captures, in the order the flows end."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @OptionGroup var inputs: CaptureInputs

    @Flag(help: "JSON: one array of flow objects (same as --format json).")
    var json = false

    @Flag(help: "CSV with a header row (same as --format csv).")
    var csv = false

    @Option(help: "Output format: table, json or csv.")
    var format: Format = .table

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() throws {
        let chosen: Format = json ? .json : csv ? .csv : format
        let writer = FlowWriter(format: chosen)
        let analyzer = Analyzer()
        analyzer.flowSink = { writer.write($0) }
        writer.begin()
        let summary = analyzer.run(paths: inputs.files)
        writer.end()
        reportFileErrors(summary)
        if summary.packets == 0 && !summary.errors.isEmpty { throw ExitCode(1) }
    }
}

/// Streams flow records as they end, so memory stays flat however many flows a capture holds.
final class FlowWriter {
    let format: FlowsCommand.Format
    private var count = 0
    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
    private var out = FileHandle.standardOutput
    private var buffer = ""

    init(format: FlowsCommand.Format) { self.format = format }

    static let columns = [
        "id", "transport", "client", "server", "vlan", "application", "first_seen", "last_seen",
        "packets_to_server", "packets_to_client", "bytes_to_server", "bytes_to_client", "tcp_state", "end_reason",
    ]

    func begin() {
        switch format {
        case .table:
            emit(Self.tableRow(["id", "proto", "client", "server", "app", "packets", "bytes", "state"]))
        case .csv: emit(Self.columns.joined(separator: ",") + "\n")
        case .json: emit("[")
        }
    }

    func write(_ r: FlowRecord) {
        switch format {
        case .table:
            let packets = r.packetsToServer &+ r.packetsToClient
            let bytes = r.bytesToServer &+ r.bytesToClient
            emit(Self.tableRow([
                String(r.id), r.transport.description, r.client.description, r.server.description,
                r.application ?? "-", String(packets), String(bytes), r.tcpState ?? r.endReason,
            ]))
        case .csv:
            let fields: [String] = [
                String(r.id), r.transport.description, r.client.description, r.server.description, String(r.vlan),
                r.application ?? "", r.firstSeen.description, r.lastSeen.description,
                String(r.packetsToServer), String(r.packetsToClient), String(r.bytesToServer), String(r.bytesToClient),
                r.tcpState ?? "", r.endReason,
            ]
            emit(fields.map(CSV.quote).joined(separator: ",") + "\n")
        case .json:
            let body = (try? encoder.encode(r)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            emit((count == 0 ? "\n" : ",\n") + body)
        }
        count += 1
    }

    /// Column widths of the table; numbers are right-aligned.
    static let widths = [(6, false), (6, false), (46, false), (46, false), (9, false), (9, true), (13, true), (0, false)]

    static func tableRow(_ cells: [String]) -> String {
        zip(cells, widths).map { SummaryText.pad($0, $1.0, right: $1.1) }.joined(separator: " ") + "\n"
    }

    func end() {
        if format == .json { emit(count == 0 ? "]\n" : "\n]\n") }
        flush()
    }

    private func emit(_ s: String) {
        buffer += s
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    private func flush() {
        out.write(Data(buffer.utf8))
        buffer = ""
    }
}

enum CSV {
    /// RFC 4180 quoting; a leading formula character is neutralised so a spreadsheet never runs
    /// a value from the wire as a formula.
    static func quote(_ field: String) -> String {
        var f = field
        if let first = f.first, "=+-@".contains(first), Double(f) == nil { f = "'" + f }
        guard f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || f != field else { return f }
        return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
