import ArgumentParser
import ConvergeModel
import ConvergeStore
import Foundation

struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List the alerts in the store (table, JSON lines), or send them to a SIEM as CEF over syslog."
    )

    @Option(
        name: [.customLong("database"), .customLong("store")],
        help: "The store: an SQLite file or postgres://user:password@host:port/name.")
    var store = "converge.db"

    @Flag(help: "Print one JSON object per alert, one per line.")
    var json = false

    @Option(help: "Only alerts of this severity or above (info, low, medium, high, critical).")
    var severity: String?

    @Option(help: "Only alerts of this rule (e.g. baseline.new_pair).")
    var rule: String?

    @Option(help: "Only alerts in this triage state (new, acknowledged, closed).")
    var state: String?

    @Option(help: "The most alerts listed (most recent first).")
    var limit = 1_000

    @Option(help: "Send every listed alert as CEF in RFC 5424 syslog to HOST:PORT (UDP unless --tcp).")
    var cef: String?

    @Flag(help: "With --cef: send over TCP with octet-counting framing (RFC 6587).")
    var tcp = false

    func validate() throws {
        if let severity, Alert.Severity(rawValue: severity) == nil {
            throw ValidationError(
                "--severity must be one of \(Alert.Severity.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let state, Alert.TriageState(rawValue: state) == nil {
            throw ValidationError(
                "--state must be one of \(Alert.TriageState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let cef, SyslogTarget(cef) == nil {
            throw ValidationError("--cef must be HOST:PORT (got \(cef))")
        }
        if tcp && cef == nil { throw ValidationError("--tcp goes with --cef") }
        if limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() async throws {
        let filter = AlertFilter(
            minimumSeverity: severity.flatMap(Alert.Severity.init(rawValue:)), rule: rule,
            state: state.flatMap(Alert.TriageState.init(rawValue:)), limit: limit)
        try requireStore(store)
        let alerts = try await withDetectionStore(store) { try await $0.alerts(filter) }
        if let cef, let target = SyslogTarget(cef) {
            let messages = alerts.map { Syslog.message(CEF.line($0), alert: $0) }
            do {
                try SyslogSender.send(messages, to: target, tcp: tcp)
            } catch let error as SyslogError {
                FileHandle.standardError.write(Data("converge: \(error.description)\n".utf8))
                throw ExitCode(1)
            }
            FileHandle.standardError.write(
                Data(
                    "converge: sent \(alerts.count) alert(s) to \(cef) over \(tcp ? "TCP" : "UDP")\n".utf8))
            return
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for alert in alerts { print(String(decoding: try encoder.encode(alert), as: UTF8.self)) }
        } else {
            print(AlertTable.text(alerts), terminator: "")
        }
    }
}

/// A store named by path must exist: reading commands never create an empty one by accident.
func requireStore(_ store: String) throws {
    let isURL = store.hasPrefix("postgres://") || store.hasPrefix("postgresql://")
    guard isURL || FileManager.default.fileExists(atPath: store) else {
        FileHandle.standardError.write(Data("converge: store \(store): no such file\n".utf8))
        throw ExitCode(1)
    }
}

/// Runs `body` against the store's alerts and baseline.
func withDetectionStore<T>(_ location: String, _ body: (any DetectionStore) async throws -> T) async throws -> T {
    try await withStore(location) { store in
        guard let detection = store as? any DetectionStore else {
            throw StoreError("store \(location) cannot keep alerts")
        }
        return try await body(detection)
    }
}
