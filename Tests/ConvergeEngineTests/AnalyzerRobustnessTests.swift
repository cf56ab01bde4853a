import ConvergeEngine
import ConvergeTestSupport
import Foundation
import Testing

/// The whole packet path on hostile input: the bundled sample plant with bytes flipped, records cut
/// and lengths garbled must be analysed to the end (or to a named error) without a trap.
@Suite("Analyzer on damaged captures")
struct AnalyzerRobustnessTests {
    static let sample: [UInt8] = {
        (try? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("sample/plant.pcap")))).map { Array($0) } ?? []
    }()

    @Test func sampleIsBundled() {
        #expect(Self.sample.count > 100_000)
    }

    /// Flips bytes inside packet data (past the 24-byte file header) so every decoder and the
    /// Modbus dissector see corrupt headers, lengths and function codes.
    @Test(arguments: 0..<6)
    func flippedBytesNeverTrap(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) &+ 0xC0FFEE)
        var bytes = Self.sample
        try #require(bytes.count > 24)
        for _ in 0..<2_000 {
            let at = Int.random(in: 24..<bytes.count, using: &rng)
            bytes[at] = UInt8.random(in: 0...255, using: &rng)
        }
        let file = TemporaryFile()
        try Data(bytes).write(to: file.url)
        let summary = Analyzer().run(paths: [file.path])
        // A flipped record length stops the file with a named error; everything before it counts.
        #expect(summary.packets > 0)
        #expect(summary.errors.filter { $0.kind == .file }.count <= 1)
    }

    /// Cuts the capture at random points: each run reads up to the cut and names the record.
    @Test(arguments: 0..<8)
    func cutCapturesKeepWhatWasRead(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) &+ 77)
        let cut = Int.random(in: 25..<Self.sample.count, using: &rng)
        let file = TemporaryFile()
        try Data(Self.sample[..<cut]).write(to: file.url)
        let summary = Analyzer().run(paths: [file.path])
        let whole = Analyzer().run(paths: [Fixtures.path("sample/plant.pcap")])
        #expect(summary.packets <= whole.packets)
        if let error = summary.errors.first(where: { $0.kind == .file }) {
            #expect(error.record == Int(summary.packets) + 1)
        }
    }

    /// Random bytes behind a valid pcap header: every frame is garbage to every decoder.
    @Test func randomFramesNeverTrap() throws {
        var rng = SeededGenerator(seed: 4242)
        var p = PcapBuilder()
        for _ in 0..<3_000 {
            let length = Int.random(in: 0..<200, using: &rng)
            var frame = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if frame.count > 14, Bool.random(using: &rng) {
                frame[12] = 0x08; frame[13] = 0x00  // mostly IPv4, so deeper layers are reached
                if frame.count > 23 { frame[14] = 0x45; frame[23] = Bool.random(using: &rng) ? 6 : 17 }
            }
            p.frame(frame)
        }
        let file = TemporaryFile()
        try p.write(to: file.url)
        let summary = Analyzer().run(paths: [file.path])
        #expect(summary.packets == 3_000)
        #expect(summary.errors.allSatisfy { $0.kind == .packet })
    }
}
