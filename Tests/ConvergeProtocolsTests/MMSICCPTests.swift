import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// ICCP/TASE.2 over MMS on a real control-centre capture (iti/IEC61850/8d7c7db0-….pcap: an
/// AREVA e-terracomm peer reading TASE.2 attributes and receiving transfer-set reports).
@Suite struct MMSICCPTests {
    static let name = "public/iti/IEC61850/8d7c7db0-9804-012b-b2a6-0016cb8cea27.pcap"

    @Test func tase2NamesIdentityAndReports() throws {
        guard let path = ITStreamRunner.shared(Self.name) else {
            print("skipped: ../shared/captures/\(Self.name) is missing")
            return
        }
        let result = ITStreamRunner.run(MMS.self, path: path, ports: [102])
        #expect(result.facts.contains { $0.kind == .vendor && $0.value == "AREVA T&D Corporation" })
        #expect(result.facts.contains { $0.kind == .role && $0.value == "iccp_tase2_server" })
        #expect(result.facts.contains { $0.kind == .model && $0.value == "e-terracomm" })
        #expect(result.facts.contains { $0.kind == .revision && $0.value == "2.3.1" })
        // Both peers answer identify and are read for TASE.2 attributes: both get the facts.
        let vendors = Set(result.facts.filter { $0.kind == .vendor }.map(\.address))
        #expect(vendors.count == 2)
        let names = Set(result.messages.flatMap(\.targets).compactMap(\.name))
        #expect(names.contains("KIRKLAND/Bilateral_Table_ID") && names.contains("BELLEVUE/Bilateral_Table_ID"))
        #expect(names.contains("TASE2_Version") && names.contains("Supported_Features"))
        // Transfer-set reports: the named list stays a target, its values follow as data.
        let reports = result.messages.filter { $0.functionName == "information_report" }
        #expect(reports.count == 115)
        #expect(reports.allSatisfy { $0.operation == .read && $0.functionCode == 200 })
        let listReport = try #require(reports.first { $0.targets.first?.kind == "variable_list" })
        #expect(listReport.targets.first?.value == nil)
        #expect(listReport.targets.dropFirst().allSatisfy { $0.kind == "data" })
        let reads = result.messages.filter { $0.functionName == "read" && $0.status == .ok }
        #expect(reads.contains { $0.targets.map(\.value) == ["\"1.0\"", "{1996,8}", "bits:04fb00"] })
        // Requests both ways pair with their responses.
        #expect(result.messages.allSatisfy { !$0.anomalies.contains("mms.unsolicited_response") })
    }

    /// S7comm and S7comm-plus share TCP 102: the MMS probe must turn every one of their flows down.
    @Test func s7CapturesAreNotMMS() throws {
        guard let folder = ITStreamRunner.shared("public/iti/s7") else {
            print("skipped: ../shared/captures/public/iti/s7 is missing")
            return
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }
        #expect(names.count >= 5)
        var rejected = 0
        for name in names.sorted() {
            let result = ITStreamRunner.run(MMS.self, path: folder + "/" + name, ports: [102], events: false)
            #expect(result.parsed == 0, "\(name)")
            rejected += result.rejectedFlows
        }
        #expect(rejected > 0)
    }
}
