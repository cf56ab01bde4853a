import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures through the real reader, decoder and dissector: per-PDU counts against tshark's
/// `snmp.data` (golden files by Tests/Fixtures/snmp/regenerate-golden.sh).
@Suite struct SNMPCaptureTests {
    static let fixtures = ITUDPCaptureHarness.fixtures("snmp")

    static func check(_ capture: URL, golden: URL) throws -> ITUDPCaptureHarness.Result<SNMP> {
        let result = ITUDPCaptureHarness.run(SNMP.self, url: capture, ports: [161, 162])
        let expected = try ITUDPCaptureHarness.golden(golden)
        #expect(expected.messages > 0)
        #expect(result.messages == expected.messages)
        #expect(result.functions == expected.functions)
        #expect(result.malformed == 0)
        return result
    }

    @Test(arguments: ["sv-snmpv1-trap", "sv-snmpv2c-get", "sv-snmpv3-encrypted", "sv-snmpv3-unauth"])
    func countsMatchTshark(capture: String) throws {
        _ = try Self.check(
            Self.fixtures.appendingPathComponent(capture + ".pcap"),
            golden: Self.fixtures.appendingPathComponent(capture + ".tshark.txt"))
    }

    @Test(arguments: ["public/iti/IEC61850/Sample_File_MMS_and_GOOSE", "generated/it_mix"])
    func sharedCapturesMatchTshark(path: String) throws {
        guard let shared = ITUDPCaptureHarness.shared else {
            print("skipped: ../shared is missing")
            return
        }
        let golden = path.replacingOccurrences(of: "/", with: "__") + ".tshark.txt"
        _ = try Self.check(
            shared.appendingPathComponent("captures/" + path + ".pcap"),
            golden: Self.fixtures.appendingPathComponent("shared-golden/" + golden))
    }

    @Test func v3CapturesPairReportsAndNameTheUser() throws {
        let result = ITUDPCaptureHarness.run(
            SNMP.self, url: Self.fixtures.appendingPathComponent("sv-snmpv3-unauth.pcap"), ports: [161])
        let reports = result.parsed.filter { $0.pduType == 8 }
        #expect(reports.count == 4)
        #expect(reports.allSatisfy { $0.requestType >= 0 })
        #expect(result.events.contains { $0.targets.first?.name == "noAuthUser" })
        #expect(result.parsed.filter { $0.anomalies.contains(.unauthenticated) }.count == 2)
        let encrypted = ITUDPCaptureHarness.run(
            SNMP.self, url: Self.fixtures.appendingPathComponent("sv-snmpv3-encrypted.pcap"), ports: [161])
        #expect(encrypted.parsed.filter(\.encrypted).count == 4)
        #expect(encrypted.facts.contains { $0.kind == .vendor })
    }

    @Test func v1TrapsFlagTheDefaultCommunity() throws {
        let result = ITUDPCaptureHarness.run(
            SNMP.self, url: Self.fixtures.appendingPathComponent("sv-snmpv1-trap.pcap"), ports: [162])
        #expect(result.parsed.allSatisfy { $0.community == .defaultPublic })
        #expect(result.facts.contains { $0.kind == .vendor && $0.value == "Unix" })
    }
}
