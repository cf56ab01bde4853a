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

struct CarveError: Error, CustomStringConvertible {
    var description: String
}

/// Reads evidence frames back out of their capture files (pcap or pcapng, by frame number as
/// Wireshark numbers them) into a classic pcap, captures in evidence order, frames ascending.
enum Carver {
    static func carve(_ evidence: [Alert.EvidenceFrame]) throws -> (file: PcapWriter, missing: [Alert.EvidenceFrame]) {
        var captures: [String] = []
        var wanted: [String: Set<Int>] = [:]
        for item in evidence {
            if wanted[item.capture] == nil { captures.append(item.capture) }
            wanted[item.capture, default: []].insert(item.frame)
        }
        var writer: PcapWriter?
        var missing: [Alert.EvidenceFrame] = []
        for capture in captures {
            let frames = wanted[capture] ?? []
            guard capture != "-" else {
                throw CarveError(description: "\(capture): evidence read from standard input cannot be carved")
            }
            guard FileManager.default.fileExists(atPath: capture) else {
                throw CarveError(description: "\(capture): the capture is no longer there")
            }
            var found: [(frame: Int, time: Timestamp, link: LinkType, length: Int, bytes: [UInt8])] = []
            let last = frames.max() ?? 0
            let set = CaptureSet(paths: [capture])
            let errors = set.forEachPacket { header, bytes in
                guard frames.contains(header.record) else {
                    if header.record > last { set.stop() }
                    return
                }
                var copy: [UInt8] = []
                copy.reserveCapacity(bytes.count)
                for i in bytes.indices { copy.append(bytes[i]) }
                found.append((header.record, header.timestamp, header.linkType, header.originalLength, copy))
                if header.record >= last { set.stop() }
            }
            if found.isEmpty, let error = errors.first {
                throw CarveError(description: "\(capture): record \(error.record): \(error.reason)")
            }
            found.sort { $0.frame < $1.frame }
            for packet in found {
                if writer == nil { writer = PcapWriter(linkType: packet.link) }
                guard writer?.linkType == packet.link else {
                    throw CarveError(
                        description: "\(capture): frame \(packet.frame) has link type \(packet.link), "
                            + "the carved file \(writer?.linkType.description ?? "?"); classic pcap holds one")
                }
                writer?.append(time: packet.time, originalLength: packet.length, data: packet.bytes)
            }
            let got = Set(found.map(\.frame))
            missing += frames.subtracting(got).sorted().map { Alert.EvidenceFrame(capture: capture, frame: $0) }
        }
        return (writer ?? PcapWriter(linkType: .ethernet), missing)
    }
}
