import Foundation
import Testing

@testable import ConvergeCapture

/// The packet count on every public capture must equal what capinfos reported (CATALOGUE.tsv);
/// for a capture cut short, capinfos counts the packets before the cut, and so must we.
@Suite struct CorpusTests {
    struct Entry: CustomStringConvertible, Sendable {
        var path: String
        var packets: Int
        var notes: String
        var description: String { path }
    }

    static let publicFolder = CaptureTestSupport.sharedCaptures.appendingPathComponent("public")

    static func catalogue() -> [Entry] {
        let url = publicFolder.appendingPathComponent("CATALOGUE.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var entries: [Entry] = []
        for line in text.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 9, let packets = Int(columns[2]) else { continue }
            entries.append(Entry(path: String(columns[0]), packets: packets, notes: String(columns[8])))
        }
        return entries
    }

    @Test func catalogueIsPresentOrSkipped() throws {
        guard FileManager.default.fileExists(atPath: Self.publicFolder.path) else {
            print("skipping corpus: \(Self.publicFolder.path) is missing")
            return
        }
        #expect(Self.catalogue().count > 400)
    }

    @Test(arguments: catalogue())
    func packetCountMatchesCapinfos(_ entry: Entry) {
        let path = Self.publicFolder.appendingPathComponent(entry.path).path
        let (packets, errors) = CaptureTestSupport.count(paths: [path])
        #expect(packets == entry.packets, "\(entry.path): \(errors)")
        // A capture capinfos read to the end reads without error here too; one it found cut short
        // gives exactly one error, a truncated record.
        if entry.notes.contains("cut short") {
            #expect(errors.count == 1)
            #expect(errors.first?.reason.hasPrefix("truncated record") == true, "\(errors)")
            #expect(errors.first?.record == entry.packets + 1)
        } else {
            #expect(errors.isEmpty, "\(errors)")
        }
    }

    @Test func generatedCapturesReadWithoutError() throws {
        let folder = CaptureTestSupport.sharedCaptures.appendingPathComponent("generated")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            print("skipping generated captures: \(folder.path) is missing")
            return
        }
        let paths = names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
            .map { folder.appendingPathComponent($0).path }
        #expect(!paths.isEmpty)
        for path in paths {
            let (packets, errors) = CaptureTestSupport.count(paths: [path])
            #expect(errors.isEmpty, "\(path): \(errors)")
            #expect(packets > 0, "\(path)")
        }
        // All of them at once, merged: the sum of the parts, in time order.
        let set = CaptureSet(paths: paths)
        var merged = 0
        var previous = Int64.min
        var ordered = true
        let errors = set.forEachPacket { header, _ in
            merged += 1
            if header.timestamp.nanoseconds < previous { ordered = false }
            previous = header.timestamp.nanoseconds
        }
        #expect(errors.isEmpty)
        #expect(merged == paths.map { CaptureTestSupport.count(paths: [$0]).packets }.reduce(0, +))
        #expect(ordered)
    }
}
