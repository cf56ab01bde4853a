import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures through the dissector; per-command (`enip.command`) and per-service (`cip.sc`)
/// counts compared with tshark's (golden files written by Tests/Fixtures/enip/regenerate-golden.sh).
@Suite struct ENIPCaptureTests {
    static let copied = [
        "generated-enip", "iti-cip-eth-set-2", "iti-cip-multiple-1", "iti-cip-multiple-2", "iti-cip_start_plc",
        "iti-cip_stop_plc", "iti-cip_unlock_cpu", "iti-enip_test", "suricata-enip_test1",
    ]

    @Test(arguments: copied)
    func countsMatchTshark(capture: String) throws {
        let result = ENIPCaptureHarness.run(fixture: capture + ".pcap")
        let text = try String(
            contentsOf: ENIPCaptureHarness.fixtures.appendingPathComponent(capture + ".tshark.txt"), encoding: .utf8)
        let expected = ENIPCaptureHarness.golden(text: text)
        #expect(!expected.commands.isEmpty)
        #expect(result.commands == expected.commands, "\(capture)")
        #expect(result.services == expected.services, "\(capture)")
        #expect(result.io == expected.io, "\(capture)")
        #expect(result.malformed == 0)
    }
}
