import Foundation
import Testing

@testable import ConvergeProtocols

/// Every GOOSE frame of ITI's IEC 61850 captures (Tests/Fixtures/goose/iti-goose.pcap) through the
/// real reader and decoder: messages, function count (`goose.goosePdu_element`), stNum, sqNum,
/// gocbRef, numDatSetEntries and timeAllowedtoLive equal tshark 4.0.17's (iti-goose.goose.txt).
@Suite struct GOOSECaptureTests {
    typealias H = LinkCaptureHarness

    @Test func captureMatchesTshark() throws {
        let folder = H.fixtures("goose")
        let expected = try H.golden(folder.appendingPathComponent("iti-goose.goose.txt"))
        let result = H.run(GOOSE.self, url: folder.appendingPathComponent("iti-goose.pcap")) { pdu, payload in
            [
                "stnum\t\(pdu.stNum)", "sqnum\t\(pdu.sqNum)",
                "gocbref\t\(pdu.gocbRef.text(payload, limit: GOOSE.maxStringBytes))",
                "entries\t\(pdu.numDatSetEntries)", "ttl\t\(pdu.timeAllowedToLive)",
            ]
        }
        #expect(expected.count > 200)
        #expect(result.malformed == 0)
        #expect(result.counts == expected)
        #expect(result.messages == 494)
        // The one control block the decoder reads as a number ("111") is tshark's too.
        let services = Set(result.facts.map(\.value))
        #expect(services.contains("goose:GEDeviceF650/LLN0$GO$gcb01") && services.count == 5)
    }

    /// The anomalies the real frames carry: none is malformed.
    @Test func realFramesAreWellFormed() {
        let url = H.fixtures("goose").appendingPathComponent("iti-goose.pcap")
        let result = H.run(GOOSE.self, url: url)
        let malformed = result.events.flatMap(\.anomalies).filter { $0.hasPrefix("goose.") }
        #expect(malformed.isEmpty, "\(Set(malformed))")
    }

    /// The original captures in ../shared: as many frames claimed as tshark calls goose.
    @Test(arguments: [
        ("GOOSE/GOOSE.pcap", 8), ("GOOSE/GOOSE_DEMO.pcap", 1), ("GOOSE/Sample_File_GOOSE.pcap", 451),
        ("Sample_File_MMS_and_GOOSE.pcap", 34),
    ])
    func sharedCapturesMatch(_ path: String, _ frames: Int) {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = package.deletingLastPathComponent().appendingPathComponent("shared/captures/public/iti/IEC61850")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            print("skipped: ../shared/captures/public is missing (\(path))")
            return
        }
        let result = H.run(GOOSE.self, url: folder.appendingPathComponent(path))
        #expect(result.messages == frames && result.malformed == 0)
        #expect(H.run(SV.self, url: folder.appendingPathComponent(path)).messages == 0)
    }
}
