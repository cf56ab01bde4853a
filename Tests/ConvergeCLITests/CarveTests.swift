import ConvergeModel
import Foundation
import Testing

@testable import converge

/// `converge carve`: the carved pcap holds exactly the evidence frames, byte for byte, with their
/// times, read back from pcap or pcapng; tshark opens it when it is installed.
@Suite struct CarveTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/baseline")
    static let attack = fixtures.appendingPathComponent("modbus_attack.pcap").path

    struct Record: Equatable {
        var nanoseconds: Int64
        var originalLength: Int
        var bytes: [UInt8]
    }

    /// A little reader for classic little-endian pcap (micro- or nanosecond), independent of the
    /// project's reader so the test checks the writer against the format, not against itself.
    static func records(_ data: [UInt8]) throws -> (linkType: UInt32, records: [Record]) {
        func u32(_ at: Int) throws -> UInt32 {
            guard at >= 0, at + 4 <= data.count else { throw CarveError(description: "short at \(at)") }
            return UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3])
                << 24
        }
        let magic = try u32(0)
        guard magic == 0xa1b2_c3d4 || magic == 0xa1b2_3c4d else { throw CarveError(description: "magic \(magic)") }
        let scale: Int64 = magic == 0xa1b2_c3d4 ? 1_000 : 1
        var out: [Record] = []
        var at = 24
        while at < data.count {
            let seconds = Int64(try u32(at))
            let fraction = Int64(try u32(at + 4))
            let length = Int(try u32(at + 8))
            let original = Int(try u32(at + 12))
            guard at + 16 + length <= data.count else { throw CarveError(description: "record past the end") }
            out.append(
                Record(
                    nanoseconds: seconds * 1_000_000_000 + fraction * scale, originalLength: original,
                    bytes: Array(data[(at + 16)..<(at + 16 + length)])))
            at += 16 + length
        }
        return (try u32(20), out)
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func theCarvedFileHoldsExactlyTheEvidenceFrames() throws {
        let frames = [200, 5, 77, 10, 273]
        let evidence = frames.map { Alert.EvidenceFrame(capture: Self.attack, frame: $0) }
        let carved = try Carver.carve(evidence)
        #expect(carved.missing.isEmpty)
        #expect(carved.file.packets == frames.count)
        let original = try Self.records(Self.bytes(Self.attack))
        let cut = try Self.records(carved.file.bytes)
        #expect(cut.linkType == original.linkType)
        #expect(cut.records == frames.sorted().map { original.records[$0 - 1] })
    }

    @Test func framesPastTheEndAreReportedMissing() throws {
        let evidence = [3, 9_999].map { Alert.EvidenceFrame(capture: Self.attack, frame: $0) }
        let carved = try Carver.carve(evidence)
        #expect(carved.file.packets == 1)
        #expect(carved.missing == [Alert.EvidenceFrame(capture: Self.attack, frame: 9_999)])
    }

    @Test func aMissingCaptureIsAnError() {
        #expect(throws: CarveError.self) {
            try Carver.carve([Alert.EvidenceFrame(capture: "/nonexistent/x.pcap", frame: 1)])
        }
    }

    /// The same frames carved from a pcapng copy (editcap) equal those carved from the pcap, and
    /// tshark reads the carved file with the frames' protocols.
    @Test func pcapngEvidenceAndTsharkOpensTheFile() throws {
        let tools = ["/usr/bin/editcap", "/usr/bin/tshark"]
        guard tools.allSatisfy(FileManager.default.isExecutableFile(atPath:)) else {
            print("CarveTests: editcap/tshark not installed; skipping the pcapng and tshark check")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("carve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pcapng = directory.appendingPathComponent("attack.pcapng").path
        try Self.run(tools[0], ["-F", "pcapng", Self.attack, pcapng])
        let frames = [12, 13, 14, 150]
        let fromPcap = try Carver.carve(frames.map { Alert.EvidenceFrame(capture: Self.attack, frame: $0) })
        let fromPcapng = try Carver.carve(frames.map { Alert.EvidenceFrame(capture: pcapng, frame: $0) })
        #expect(fromPcapng.file.bytes == fromPcap.file.bytes)
        let out = directory.appendingPathComponent("carved.pcap").path
        try Data(fromPcap.file.bytes).write(to: URL(fileURLWithPath: out))
        let listed = try Self.run(tools[1], ["-r", out, "-T", "fields", "-e", "frame.number", "-e", "frame.len"])
        #expect(listed.split(separator: "\n").count == frames.count)
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CarveError(description: "\(tool) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
