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
                "datset\t\(pdu.dataSet.text(payload, limit: GOOSE.maxStringBytes))",
                "goid\t\(pdu.goID.text(payload, limit: GOOSE.maxStringBytes))", "confrev\t\(pdu.confRev)",
                "simulation\t\(pdu.simulation ? 1 : 0)", "ndscom\t\(pdu.needsCommissioning ? 1 : 0)",
            ] + Self.dataKeys(pdu, payload)
        }
        #expect(expected.count > 200)
        #expect(result.malformed == 0)
        #expect(result.counts == expected)
        #expect(result.messages == 494)
        // The one control block the decoder reads as a number ("111") is tshark's too.
        let services = Set(result.facts.map(\.value))
        #expect(services.contains("goose:GEDeviceF650/LLN0$GO$gcb01") && services.count == 5)
    }

    /// Every allData entry (not only the event's first `maxEventValues`): its Data CHOICE number,
    /// a boolean as 0/1 and a bit string as tshark prints it (the bits padded to octets, in hex).
    static func dataKeys(_ pdu: GOOSE.PDU, _ payload: Span<UInt8>) -> [String] {
        var keys: [String] = []
        var cursor = BERWalk.Cursor(from: pdu.allData.offset, to: pdu.allData.end)
        while let element = cursor.next(payload) {
            keys.append("data\t\(element.number)")
            let value = GOOSE.dataValue(payload, element)
            if value.type == "boolean" { keys.append("boolean\t\(value.integer ?? -1)") }
            if value.type == "bit-string" { keys.append("bitstring\t\(hexOfBits(value.text))") }
        }
        return keys
    }

    static func hexOfBits(_ bits: String) -> String {
        var digits = Array(bits)
        while digits.count % 8 != 0 { digits.append("0") }
        return stride(from: 0, to: digits.count, by: 8).map { start in
            let octet = digits[start..<start + 8].reduce(0) { $0 << 1 | ($1 == "1" ? 1 : 0) }
            return String(format: "%02x", octet)
        }.joined()
    }

    /// Hand-built Sampled Values frames (one VLAN-tagged; make-sv-capture.py): noASDU, ASDUs, and
    /// each ASDU's svID, smpCnt and confRev equal tshark's sv.* fields (sv-handmade.sv.txt).
    @Test func sampledValuesMatchTshark() throws {
        let folder = H.fixtures("goose")
        let expected = try H.golden(folder.appendingPathComponent("sv-handmade.sv.txt"))
        let url = folder.appendingPathComponent("sv-handmade.pcap")
        let result = H.run(SV.self, url: url) { frame, payload in
            var keys = ["noasdu\t\(frame.declaredASDUs)"]
            keys += Array(repeating: "asdu\tall", count: frame.asdusPresent)
            for asdu in SV.targets(frame, payload: payload) where asdu.kind == SV.TargetKind.asdu {
                let sampleCount = asdu.values.first ?? -1
                let revision = asdu.values.count > 1 ? asdu.values[1] : -1
                keys += ["svid\t\(asdu.name ?? "")", "smpcnt\t\(sampleCount)", "confrev\t\(revision)"]
            }
            return keys
        }
        #expect(expected.count > 10)
        #expect(result.malformed == 0)
        #expect(result.counts == expected)
        #expect(result.parsed.map(\.anomalies) == [[], [], [.simulated], [.asduCountMismatch]])
        #expect(H.run(GOOSE.self, url: url).messages == 0)
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
        ("Sample_File_MMS_and_GOOSE.pcap", 34), ("8d7c7db0-9804-012b-b2a6-0016cb8cea27.pcap", 0),
        ("piccolo.pcap", 0), ("iec", 0), ("m-send-req.mms.pcap", 0),
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
