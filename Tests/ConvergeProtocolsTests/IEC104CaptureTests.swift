import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures through the dissector, counts compared with tshark's `iec60870_asdu.typeid` and
/// `iec60870_104.type` (golden files written by Tests/Fixtures/iec104/regenerate-golden.sh).
@Suite struct IEC104CaptureTests {
    static let captures = ["c104-generated", "iti-090813_diverse", "iti-JavaRMI_and_IEC_Misc", "iti-TestDissectIec104"]

    @Test(arguments: captures)
    func countsMatchTshark(capture: String) throws {
        let result = IEC104Harness.run(IEC104Harness.fixtures.appendingPathComponent(capture + ".pcap").path)
        let expected = try IEC104Harness.golden(capture + ".tshark.txt")
        #expect(!expected.functions.isEmpty)
        #expect(result.functions == expected.functions)
        #expect(result.formats == expected.formats)
    }
}

extension IEC104CaptureTests {
    static func run(_ capture: String) -> IEC104Harness.CaptureResult {
        IEC104Harness.run(IEC104Harness.fixtures.appendingPathComponent(capture + ".pcap").path)
    }

    @Test func generatedCaptureIsCleanAndPaired() {
        let result = Self.run("c104-generated")
        #expect(result.malformed == 0)
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
        // Every confirmation found its activation (clock sync at the start is never confirmed).
        let confirmations = result.messages.filter { $0.functionName.hasSuffix(".activation_con") }
        #expect(confirmations.count == 11)
        #expect(confirmations.allSatisfy { ($0.roundTripNanoseconds ?? -1) >= 0 })
        let facts = Set(result.facts.map { "\($0.address)=\($0.value)" })
        #expect(facts == ["10.10.1.20=iec104_controlled_station", "10.10.2.30=iec104_controlling_station"])
        // Set-points are writes with their values; the station's floats are process values.
        let setpoint = result.messages.first { $0.functionName == "c_se_nc_1.activation" }
        #expect(setpoint?.operation == .write)
        #expect(setpoint.map(IEC104.processValues)?.map(\.written) == [true])
        let values = result.messages.flatMap(IEC104.processValues)
        #expect(values.contains { $0.tag == "iec104://10.10.1.20/47/1001" && !$0.written })
        #expect(result.messages.filter { $0.operation == .session }.count == 7)
    }

    @Test func diverseCaptureFlagsOutOfRangeYears() {
        // The controlling station writes CP56Time2a years counted from 1900 (109 for 2009): out of
        // the spec's 0…99, flagged on its ten time-tagged commands, and their times are left out.
        let result = Self.run("iti-090813_diverse")
        let flagged = result.messages.filter { $0.anomalies == ["iec104.invalid_time"] }
        #expect(flagged.count == 10)
        #expect(flagged.allSatisfy { $0.direction == .toServer && (58...63).contains($0.functionCode) })
        #expect(flagged.allSatisfy { $0.targets.allSatisfy { $0.values.count == 2 } })
    }

    @Test func dissectorTestCaptureAnomalies() {
        // ITI's TestDissectIec104: junk before APDUs, length bytes below 4, short ASDUs.
        let result = Self.run("iti-TestDissectIec104")
        #expect(result.malformed == 18)
        var counts: [String: Int] = [:]
        for message in result.messages { for name in message.anomalies { counts[name, default: 0] += 1 } }
        #expect(counts == [
            "iec104.short_asdu": 5, "iec104.unknown_type_id": 4, "iec104.invalid_control_field": 3,
            "iec104.test_mode": 2, "iec104.invalid_length": 1,
        ])
        let negative = result.messages.filter { $0.status == .exception(code: 7, name: "negative_activation_con") }
        #expect(negative.map(\.functionCode) == [46, 45])
    }
}
