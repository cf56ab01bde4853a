import Foundation
import Testing

@testable import ConvergeProtocols

/// PROFINET over real captures with the real reader and decoder, against tshark 4.0.17's counts
/// (Tests/Fixtures/profinet/tshark-counts.txt, by regenerate-golden.sh): DCP service ids as
/// function codes (`pn_dcp.service_id`), FrameIDs (`pn_rt.frame_id`) and frames.
@Suite struct PROFINETCaptureTests {
    typealias H = LinkCaptureHarness

    static let captures = [
        "dcp-change-ip.pcap", "dcp-identify-requests.pcap", "dcp-set-name-vlan.pcap", "mb2-dcp.pcap",
    ]

    /// capture → key → count.
    static func golden() throws -> [String: [String: Int]] {
        let url = H.fixtures("profinet").appendingPathComponent("tshark-counts.txt")
        var counts: [String: [String: Int]] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: "\t")
            guard parts.count == 4, let count = Int(parts[3]) else { continue }
            counts[String(parts[0]), default: [:]]["\(parts[1])\t\(parts[2])"] = count
        }
        return counts
    }

    @Test(arguments: captures)
    func countsEqualTshark(_ capture: String) throws {
        let expected = try #require(try Self.golden()[capture])
        let result = H.run(PROFINET.self, url: H.fixtures("profinet").appendingPathComponent(capture)) { frame, _ in
            ["frame_id\t\(frame.frameID)"]
        }
        #expect(result.malformed == 0)
        #expect(result.counts == expected)
    }

    @Test func changeIPCaptureTellsTheStory() throws {
        let result = H.run(PROFINET.self, url: H.fixtures("profinet").appendingPathComponent("dcp-change-ip.pcap"))
        #expect(result.events.map(\.operation) == [.discovery, .discovery, .control, .control])
        #expect(result.events[2].anomalies == ["profinet.dcp_set"])
        let facts = Set(result.facts.map { "\($0.mac ?? "")|\($0.kind.rawValue)=\($0.value)" })
        #expect(facts.contains("08:00:06:93:cf:32|hostname=X208-BORD"))
        #expect(facts.contains("08:00:06:93:cf:32|vendor=Siemens"))
    }

    @Test func vlanTaggedCapture() throws {
        let result = H.run(PROFINET.self, url: H.fixtures("profinet").appendingPathComponent("dcp-set-name-vlan.pcap"))
        #expect(result.messages == 4)
        #expect(result.events[2].anomalies.contains("profinet.invalid_station_name"))
        #expect(result.events[3].status == .ok)
        let facts = Set(result.facts.map { "\($0.kind.rawValue)=\($0.value)" })
        #expect(facts.contains("model=S7-300EC") && facts.contains("ip_address=192.168.0.11"))
    }

    /// The whole of mb2.pcap (Modbus and more) from ../shared: only its 4 DCP frames are claimed.
    @Test func sharedMB2ClaimsOnlyDCP() {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = package.deletingLastPathComponent()
            .appendingPathComponent("shared/captures/public/iti/ModbusTCP/mb2.pcap")
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("skipped: ../shared/captures/public/iti/ModbusTCP/mb2.pcap is missing")
            return
        }
        let result = H.run(PROFINET.self, url: url)
        #expect(result.messages == 4 && result.malformed == 0)
        #expect(result.counts["function\t5"] == 4)
    }
}
