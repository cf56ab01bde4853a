import Foundation
import Testing

@testable import ConvergeCapture

/// Several inputs in one run: one time-ordered sequence, ties in input order, damage contained.
@Suite struct MergeTests {
    static func pcap(_ times: [UInt32], tag: UInt8) -> [UInt8] {
        Fixtures.pcapFile(records: times.map { PcapRecord(seconds: $0, fraction: 0, data: [tag]) })
    }

    static func files(_ contents: [[UInt8]]) throws -> [String] {
        try contents.map { try CaptureTestSupport.temporaryFile($0) }
    }

    static func remove(_ paths: [String]) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func interleavesByTimeAndKeepsInputOrderOnTies() throws {
        let ng =
            Fixtures.sectionHeader(bigEndian: true) + Fixtures.interface(bigEndian: true, tsresol: 0)
            + Fixtures.enhancedPacket(bigEndian: true, ticks: 2, data: [3])
            + Fixtures.enhancedPacket(bigEndian: true, ticks: 6, data: [3])
        let paths = try Self.files([Self.pcap([1, 3, 5], tag: 1), Self.pcap([2, 3, 4], tag: 2), ng])
        defer { Self.remove(paths) }
        let result = CaptureTestSupport.read(paths: paths)
        #expect(result.errors.isEmpty)
        #expect(result.packets.map(\.timestamp) == [1, 2, 2, 3, 3, 4, 5, 6].map { Int64($0) * 1_000_000_000 })
        #expect(result.packets.map(\.fileIndex) == [0, 1, 2, 0, 1, 1, 0, 2])
        #expect(result.packets.map { $0.bytes[0] } == [1, 2, 3, 1, 2, 2, 1, 3])
        #expect(result.packets.map(\.record) == [1, 1, 1, 2, 2, 3, 3, 2])
    }

    /// A file whose own packets go back in time keeps its own order.
    @Test func keepsEachFilesOwnOrder() throws {
        let paths = try Self.files([Self.pcap([5, 1, 6], tag: 1), Self.pcap([2, 7], tag: 2)])
        defer { Self.remove(paths) }
        let result = CaptureTestSupport.read(paths: paths)
        #expect(result.packets.map { $0.bytes[0] } == [2, 1, 1, 1, 2])
        #expect(result.packets.filter { $0.fileIndex == 0 }.map(\.record) == [1, 2, 3])
    }

    @Test func damagedAndMissingFilesDoNotStopTheOthers() throws {
        var cut = Self.pcap([1, 2, 3], tag: 1)
        cut.removeLast(1)  // the third record loses its last byte
        let paths = try Self.files([cut, Self.pcap([1, 4, 9], tag: 2), Array("not a capture".utf8)])
        defer { Self.remove(paths) }
        let result = CaptureTestSupport.read(paths: [paths[0], "/nonexistent/x.pcap", paths[1], paths[2]])
        #expect(result.packets.map { $0.bytes[0] } == [1, 2, 1, 2, 2])
        #expect(result.packets.map(\.fileIndex) == [0, 2, 0, 2, 2])
        #expect(result.errors.map(\.file) == [paths[0], "/nonexistent/x.pcap", paths[2]])
        #expect(result.errors.map(\.record) == [3, 0, 0])
        #expect(result.errors.first?.reason == "truncated record: needs 17 bytes, 16 remain")
    }

    @Test func progressReachesTheTotal() throws {
        var cut = Self.pcap([1, 2, 3], tag: 1)
        cut.removeLast(1)
        let paths = try Self.files([Self.pcap([1, 2], tag: 1), cut])
        defer { Self.remove(paths) }
        let set = CaptureSet(paths: paths)
        let total = (Self.pcap([1, 2], tag: 1).count + cut.count)
        #expect(set.totalBytes == total)
        var seen: [Int] = []
        _ = set.forEachPacket { _, _ in seen.append(set.bytesRead) }
        #expect(seen == seen.sorted())
        #expect(seen.allSatisfy { $0 > 0 && $0 <= total })
        #expect(set.bytesRead == total)
    }

    @Test func totalIsUnknownWithStandardInput() {
        let set = CaptureSet(paths: ["-"], standardInput: -1)
        #expect(set.totalBytes == nil)
    }

    @Test(arguments: [1, 3])
    func stopEndsTheRunEarly(fileCount: Int) throws {
        let paths = try Self.files((0..<fileCount).map { _ in Self.pcap([1, 2, 3, 4], tag: 1) })
        defer { Self.remove(paths) }
        let set = CaptureSet(paths: paths)
        var delivered = 0
        let errors = set.forEachPacket { _, _ in
            delivered += 1
            if delivered == 2 { set.stop() }
        }
        #expect(errors.isEmpty)
        #expect(delivered == 2)
        // A set is read once.
        var again = 0
        #expect(set.forEachPacket { _, _ in again += 1 }.isEmpty)
        #expect(again == 0)
    }

    @Test func manyInputsMerge() throws {
        var contents: [[UInt8]] = []
        for index in 0..<40 {
            let times: [UInt32] = (0..<25).map { (step: Int) -> UInt32 in UInt32(step * 40 + (index * 7) % 40) }
            contents.append(Self.pcap(times, tag: UInt8(index)))
        }
        let paths = try Self.files(contents)
        defer { Self.remove(paths) }
        let result = CaptureTestSupport.read(paths: paths)
        #expect(result.errors.isEmpty)
        #expect(result.packets.count == 1000)
        let times = result.packets.map(\.timestamp)
        #expect(times == times.sorted())
    }
}

/// Files larger than the mapping's release step, merged so one reader waits while the other moves:
/// the data stays intact across the pages handed back, and the progress adds up to the total.
@Suite struct LargeFileTests {
    static func bigPcap(tag: UInt8, offset: UInt32) -> [UInt8] {
        let records = (0..<13_000).map { index in
            PcapRecord(
                seconds: UInt32(index) * 2 + offset, fraction: 0,
                data: [UInt8](repeating: tag &+ UInt8(truncatingIfNeeded: index), count: 1400))
        }
        return Fixtures.pcapFile(snaplen: 0, records: records)
    }

    @Test func readsPastSeveralReleaseSteps() throws {
        let contents = [Self.bigPcap(tag: 0, offset: 0), Self.bigPcap(tag: 100, offset: 1)]
        #expect(contents[0].count > CaptureLimits.mappedReleaseBytes)
        let paths = try contents.map { try CaptureTestSupport.temporaryFile($0) }
        defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
        let set = CaptureSet(paths: paths)
        var packets = 0
        var intact = true
        let errors = set.forEachPacket { header, bytes in
            let index = header.record - 1
            guard bytes.count == 1400 else { intact = false; return }
            let expected = UInt8(truncatingIfNeeded: index) &+ (header.fileIndex == 0 ? 0 : 100)
            if bytes[0] != expected || bytes[bytes.count - 1] != expected { intact = false }
            packets += 1
        }
        #expect(errors.isEmpty)
        #expect(packets == 26_000)
        #expect(intact)
        #expect(set.bytesRead == contents[0].count + contents[1].count)
    }
}
