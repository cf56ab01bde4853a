import ArgumentParser
import ConvergeCapture
import ConvergeModel
import ConvergeStore
import ConvergeWire
import Foundation

struct CarveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carve",
        abstract: "Write an alert's evidence packets (read again from their captures) to a pcap file."
    )

    @Argument(help: "The alert's id (as `converge alerts` lists it).")
    var alertID: String

    @Option(name: .shortAndLong, help: "The pcap file to write.")
    var output: String

    @Option(
        name: [.customLong("database"), .customLong("store")],
        help: "The store: an SQLite file or postgres://user:password@host:port/name.")
    var store = "converge.db"

    func run() async throws {
        try requireStore(store)
        guard let alert = try await withDetectionStore(store, { try await $0.alert(id: alertID) }) else {
            FileHandle.standardError.write(Data("converge: no alert \(alertID) in \(store)\n".utf8))
            throw ExitCode(1)
        }
        do {
            let carved = try Carver.carve(alert.evidence)
            try Data(carved.file.bytes).write(to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("converge: wrote \(carved.file.packets) packet(s) to \(output)\n".utf8))
            for missing in carved.missing {
                FileHandle.standardError.write(
                    Data(
                        "converge: \(missing.capture): frame \(missing.frame) not found\n".utf8))
            }
            if carved.file.packets == 0 { throw ExitCode(1) }
        } catch let error as CarveError {
            FileHandle.standardError.write(Data("converge: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// The carver lives in ConvergeCapture (the console serves the same pcap); these names keep the
/// command's callers and tests as they were.
typealias Carver = EvidenceCarver
typealias CarveError = ConvergeCapture.CarveError
