import CZlib
import Foundation
import Testing

@testable import ConvergeCapture

/// Standard input and gzip: read as streams through a bounded window.
@Suite struct StreamTests {
    /// A pcap larger than the stream window, with a packet of the largest allowed size, so the
    /// window both refills and grows.
    static let largePcap: [UInt8] = {
        var records: [PcapRecord] = []
        for index in 0..<3000 {
            let size = index == 1500 ? CaptureLimits.maxPacketLength : 100 + index % 900
            let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            records.append(PcapRecord(seconds: UInt32(index), fraction: 0, data: data))
        }
        return Fixtures.pcapFile(snaplen: 0, records: records)
    }()

    /// Feeds `bytes` into a pipe from another thread and reads the pipe as standard input.
    static func readThroughPipe(_ bytes: [UInt8], paths: [String] = ["-"]) -> ReadResult {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let writeEnd = ends[1]
        let writer = Thread {
            bytes.withUnsafeBytes { buffer in
                var sent = 0
                while sent < buffer.count {
                    guard let base = buffer.baseAddress else { break }
                    let count = write(writeEnd, base + sent, buffer.count - sent)
                    if count <= 0 { break }
                    sent += count
                }
            }
            close(writeEnd)
        }
        writer.start()
        let result = CaptureTestSupport.read(paths: paths, standardInput: ends[0])
        close(ends[0])
        return result
    }

    /// Compresses `bytes` into one gzip member.
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        var status = deflateInit2_(
            &stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        #expect(status == Z_OK)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        var input = bytes
        input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = destination.baseAddress
                stream.avail_out = UInt32(destination.count)
                status = deflate(&stream, Z_FINISH)
            }
        }
        #expect(status == Z_STREAM_END)
        let produced = Int(stream.total_out)
        deflateEnd(&stream)
        return Array(output.prefix(produced))
    }

    static func expectLargePcap(_ result: ReadResult) {
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.packets.count == 3000)
        #expect(result.packets[1500].capturedLength == CaptureLimits.maxPacketLength)
        let expectedBytes = (0..<(100 + 2999 % 900)).map { UInt8(truncatingIfNeeded: $0 &+ 2999) }
        #expect(result.packets.last?.bytes == expectedBytes)
        #expect(result.packets.map(\.record) == Array(1...3000))
    }

    @Test func readsStandardInputFromAPipe() {
        Self.expectLargePcap(Self.readThroughPipe(Self.largePcap))
    }

    @Test func readsPcapngFromStandardInput() {
        let result = Self.readThroughPipe(PcapngTests.twoPackets)
        #expect(result.errors.isEmpty)
        #expect(result.packets.map(\.bytes) == [[0x0a, 0x0b, 0x0c, 0x0d, 0x0e], [0xff, 0xee]])
    }

    @Test func emptyStandardInput() {
        let result = Self.readThroughPipe([])
        #expect(result.errors == [CaptureError(file: "-", record: 0, offset: 0, reason: "empty file (0 bytes)")])
    }

    @Test func standardInputCutMidRecord() {
        let result = Self.readThroughPipe(Array(PcapTests.twoPackets.prefix(50)))
        #expect(result.packets.count == 1)
        #expect(result.errors == [CaptureError(
            file: "-", record: 2, offset: 44, reason: "truncated record: needs 16 bytes, 6 remain")])
    }

    @Test func standardInputNamedTwice() {
        let result = Self.readThroughPipe(PcapTests.twoPackets, paths: ["-", "-"])
        #expect(result.packets.count == 2)
        #expect(result.errors.map(\.reason) == ["standard input named more than once"])
    }

    @Test func readsGzipFile() throws {
        let path = try CaptureTestSupport.temporaryFile(Self.gzip(Self.largePcap), suffix: ".pcap.gz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let set = CaptureSet(paths: [path])
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(set.totalBytes == size)
        var packets = 0
        let errors = set.forEachPacket { _, _ in packets += 1 }
        #expect(errors.isEmpty)
        #expect(packets == 3000)
        #expect(set.bytesRead == size)
        Self.expectLargePcap(CaptureTestSupport.read(paths: [path]))
    }

    @Test func readsGzipFromStandardInput() {
        Self.expectLargePcap(Self.readThroughPipe(Self.gzip(Self.largePcap)))
    }

    /// `cat a.gz b.gz` is one valid gzip file holding both members in order.
    @Test func readsConcatenatedGzipMembers() throws {
        let split = 24 + 16 + 3 + 1000  // anywhere, even inside a record
        let bytes = Self.gzip(Array(Self.largePcap.prefix(split))) + Self.gzip(Array(Self.largePcap.dropFirst(split)))
        let path = try CaptureTestSupport.temporaryFile(bytes, suffix: ".pcap.gz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        Self.expectLargePcap(CaptureTestSupport.read(paths: [path]))
    }

    @Test func gzipCutShortKeepsEarlierPackets() throws {
        let compressed = Self.gzip(Self.largePcap)
        let path = try CaptureTestSupport.temporaryFile(Array(compressed.prefix(compressed.count / 2)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = CaptureTestSupport.read(paths: [path])
        #expect(result.packets.count > 100)
        #expect(result.packets.count < 3000)
        #expect(result.errors.map(\.reason) == ["gzip stream cut short"])
        #expect(result.errors.first?.record == result.packets.count + 1)
    }

    @Test func corruptGzipStream() throws {
        var compressed = Self.gzip(Self.largePcap)
        for index in stride(from: compressed.count / 3, to: compressed.count / 3 + 64, by: 1) {
            compressed[index] ^= 0x5a
        }
        let path = try CaptureTestSupport.temporaryFile(compressed)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = CaptureTestSupport.read(paths: [path])
        #expect(result.packets.count < 3000)
        #expect(result.errors.count == 1)
        // Damaged deflate data may inflate to garbage before zlib notices: either error is the
        // first damage seen, and the packets before it are kept.
        #expect(result.errors.first?.record == result.packets.count + 1)
    }

    @Test func gzipWithTrailingGarbage() throws {
        let bytes = Self.gzip(PcapTests.twoPackets) + Array("garbage".utf8)
        let path = try CaptureTestSupport.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = CaptureTestSupport.read(paths: [path])
        #expect(result.packets.count == 2)
        #expect(result.errors.first?.reason.hasPrefix("bad gzip stream") == true, "\(result.errors)")
    }

    @Test func gzipOfANonCapture() throws {
        let path = try CaptureTestSupport.temporaryFile(Self.gzip(Array("hello, world".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = CaptureTestSupport.read(paths: [path])
        #expect(result.errors.first?.reason == "not a pcap or pcapng capture (magic 68 65 6c 6c)")
    }

    @Test func gzipMagicAlone() throws {
        let path = try CaptureTestSupport.temporaryFile([0x1f, 0x8b])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = CaptureTestSupport.read(paths: [path])
        #expect(result.errors.first?.reason == "gzip stream cut short")
    }
}
