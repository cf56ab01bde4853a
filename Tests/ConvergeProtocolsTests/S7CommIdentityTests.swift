import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Module identity from SZL 0x0011 and 0x001C on a real capture (a fragmented 0x001C answer
/// included), and the function counts of that capture against tshark.
@Suite struct S7CommIdentityTests {
    static let capture = S7CaptureHarness.fixtures.appendingPathComponent("snap7_s300_everything.pcapng").path

    static func run() -> S7CaptureHarness.Result<S7Comm.Frame> {
        S7CaptureHarness.run(S7Comm.self, path: capture) { frame, _, context, state in
            S7Comm.facts(frame, context: context, state: state)
        }
    }

    @Test func identityOfTheS7300() {
        let result = Self.run()
        let facts = Set(result.facts.map { "\($0.kind.rawValue)=\($0.value)" })
        #expect(facts == [
            "product_code=6ES7 315-2EH14-0AB0", "firmware=V3.2.7", "vendor=Siemens",
            "hostname=S7300/ET200M station_1", "module_name=PLC_1", "copyright=Original Siemens Equipment",
            "serial=S C-B1U393142011", "model=CPU 315-2 PN/DP",
        ])
        #expect(result.facts.allSatisfy { $0.address == IPAddress("134.217.61.211") })
        #expect(result.facts.contains { $0.source == "s7comm/szl/0x001c" })
    }

    @Test func countsMatchTshark() throws {
        let golden = S7CaptureHarness.fixtures
            .appendingPathComponent("golden/public__iti__s7__snap7_s300_everything.pcapng.tshark.txt")
        let expected = S7CaptureHarness.golden(try String(contentsOf: golden, encoding: .utf8))
        let result = Self.run()
        var functions: [Int: Int] = [:]
        for frame in result.parsed where frame.hasFunction { functions[frame.functionCode, default: 0] += 1 }
        #expect(functions == expected)
        #expect(result.malformed == 0)
        // Every job and userdata request is answered in this capture.
        let unsolicited = result.messages.filter { $0.anomalies.contains("s7comm.unsolicited_response") }
        #expect(unsolicited.isEmpty)
        let operations = Set(result.messages.map(\.operation))
        #expect(operations.isSuperset(of: [.session, .read, .write, .program, .control, .discovery]))
    }
}
