import ConvergeModel
import ConvergeWire
import Foundation

@testable import ConvergeCapture

/// A packet as a test sees it: the header and a copy of the lent bytes.
struct ReadPacket: Equatable {
    var timestamp: Int64
    var linkType: UInt32
    var capturedLength: Int
    var originalLength: Int
    var fileIndex: Int
    var record: Int
    var offset: Int
    var interfaceID: Int
    var bytes: [UInt8]
}

struct ReadResult {
    var packets: [ReadPacket]
    var errors: [CaptureError]
}

enum CaptureTestSupport {
    /// The package root (two levels above this file's folder).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let sharedCaptures = packageRoot.appendingPathComponent("../shared/captures").standardized

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], suffix: String = ".pcap") throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("converge-capture-\(UUID().uuidString)\(suffix)")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Reads `paths` through a CaptureSet, copying every packet.
    static func read(paths: [String], standardInput: Int32 = STDIN_FILENO) -> ReadResult {
        let set = CaptureSet(paths: paths, standardInput: standardInput)
        var packets: [ReadPacket] = []
        let errors = set.forEachPacket { header, bytes in
            var copy: [UInt8] = []
            for index in bytes.indices { copy.append(bytes[index]) }
            packets.append(ReadPacket(
                timestamp: header.timestamp.nanoseconds, linkType: header.linkType.rawValue,
                capturedLength: header.capturedLength, originalLength: header.originalLength,
                fileIndex: header.fileIndex, record: header.record, offset: header.offset,
                interfaceID: header.interfaceID, bytes: copy))
        }
        return ReadResult(packets: packets, errors: errors)
    }

    /// Writes `bytes` to a temporary file, reads it, removes it.
    static func read(_ bytes: [UInt8]) throws -> ReadResult {
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var result = read(paths: [path])
        // Name errors after the content, not the random file name, so tests can compare them.
        for index in result.errors.indices { result.errors[index].file = "test" }
        return result
    }

    /// Counts packets of `paths` without copying (for the corpus).
    static func count(paths: [String]) -> (packets: Int, errors: [CaptureError]) {
        let set = CaptureSet(paths: paths)
        var packets = 0
        let errors = set.forEachPacket { _, _ in packets += 1 }
        return (packets, errors)
    }
}
