import Foundation
import ConvergeTestSupport
import Testing

@testable import ConvergeCapture

/// Random and mutated inputs must never trap, hang or report packets beyond what the bytes hold.
@Suite struct RandomInputTests {
    static let magics: [[UInt8]] = [
        [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0x0a, 0x0d, 0x0d, 0x0a],
        [0x34, 0xcd, 0xb2, 0xa1], [],
    ]

    /// One temporary file rewritten for every input, to keep the test quick.
    static func readAll(_ inputs: [[UInt8]]) throws -> Int {
        let path = try CaptureTestSupport.temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: path) }
        var packets = 0
        for input in inputs {
            try Data(input).write(to: URL(fileURLWithPath: path))
            let result = CaptureTestSupport.read(paths: [path])
            #expect(result.errors.count <= 1)
            #expect(result.packets.allSatisfy { $0.bytes.count == $0.capturedLength })
            #expect(result.packets.allSatisfy { $0.capturedLength < input.count })
            packets += result.packets.count
        }
        return packets
    }

    @Test(arguments: 0..<4)
    func randomBytesAfterACaptureMagic(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var inputs: [[UInt8]] = []
        for _ in 0..<500 {
            let magic = Self.magics[Int.random(in: 0..<Self.magics.count, using: &random)]
            let length = Int.random(in: 0..<300, using: &random)
            inputs.append(magic + (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        _ = try Self.readAll(inputs)
    }

    /// Valid files with a few bytes changed reach deep into the parsers.
    @Test(arguments: 0..<4)
    func mutatedValidFiles(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed &+ 1000)
        let originals = [PcapTests.twoPackets, PcapngTests.twoPackets]
        var inputs: [[UInt8]] = []
        for _ in 0..<500 {
            var bytes = originals[Int.random(in: 0..<originals.count, using: &random)]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = UInt8.random(in: 0...255, using: &random)
            }
            inputs.append(bytes)
        }
        #expect(try Self.readAll(inputs) > 0)
    }

    /// The same through a stream (gzip), which reads through the bounded window instead of a mapping.
    @Test func mutatedFilesThroughGzip() throws {
        var random = SeededGenerator(seed: 77)
        let path = try CaptureTestSupport.temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: path) }
        for _ in 0..<300 {
            var bytes = Bool.random(using: &random) ? PcapTests.twoPackets : PcapngTests.twoPackets
            let index = Int.random(in: 0..<bytes.count, using: &random)
            bytes[index] = UInt8.random(in: 0...255, using: &random)
            try Data(StreamTests.gzip(bytes)).write(to: URL(fileURLWithPath: path))
            let result = CaptureTestSupport.read(paths: [path])
            #expect(result.errors.count <= 1)
            #expect(result.packets.count <= 2)
        }
    }
}
