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
