import ConvergeEngine
import Foundation
import Testing

/// PROFINET RT cyclic frames counted per sender → receiver pair (issue 5: "frame ids, counted per
/// controller↔device pair"). The shared captures hold no cyclic RT data, so the frames are built
/// here: Ethernet header, EtherType 0x8892, FrameID 0x8000 (RT class 1 cyclic), 40 bytes of IO
/// data, cycle counter, data status 0x35, transfer status 0.
@Suite struct ProfinetCyclicPairTests {
    static let controller: [UInt8] = [0x00, 0x1b, 0x1b, 0x11, 0x22, 0x33]
    static let deviceA: [UInt8] = [0x00, 0x0e, 0x8c, 0xaa, 0x00, 0x01]
    static let deviceB: [UInt8] = [0x00, 0x0e, 0x8c, 0xaa, 0x00, 0x02]

    static func frame(from source: [UInt8], to destination: [UInt8], cycle: UInt16, frameID: UInt16 = 0x8000) -> [UInt8] {
        var f = destination + source + [0x88, 0x92]  // EtherType PROFINET
        f += [UInt8(frameID >> 8), UInt8(frameID & 0xff)]  // FrameID 0x8000…: cyclic RT class 1
        f += [UInt8](repeating: 0x80, count: 40)  // IO data with IOPS "good"
        f += [UInt8(cycle >> 8), UInt8(cycle & 0xff), 0x35, 0x00]  // cycle counter, data status, transfer status
        return f
    }

    @Test func cyclicFramesAreCountedPerPair() throws {
        var capture = PcapBuilder()
        for cycle in 0..<30 {
            capture.frame(Self.frame(from: Self.controller, to: Self.deviceA, cycle: UInt16(cycle)))
            capture.frame(Self.frame(from: Self.deviceA, to: Self.controller, cycle: UInt16(cycle), frameID: 0x8001))
            if cycle % 3 == 0 { capture.frame(Self.frame(from: Self.controller, to: Self.deviceB, cycle: UInt16(cycle))) }
        }
        let file = TemporaryFile("pn-rt.pcap")
        try capture.write(to: file.url)
        let summary = Analyzer().run(paths: [file.path])
        #expect(summary.protocols["profinet"]?.functions["256"] == 70)
        let pairs = summary.linkConversations.map {
            "\($0.source)>\($0.destination) \(String($0.frameID, radix: 16))=\($0.frames)"
        }
        // Busiest first; equal counts in order of the sender's MAC.
        #expect(pairs == [
            "00:0e:8c:aa:00:01>00:1b:1b:11:22:33 8001=30", "00:1b:1b:11:22:33>00:0e:8c:aa:00:01 8000=30",
            "00:1b:1b:11:22:33>00:0e:8c:aa:00:02 8000=10",
        ])
        #expect(summary.linkConversationsNotListed == 0)
    }
}
