import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures through the dissector, per-service counts compared with tshark's
/// `opcua.servicenodeid.numeric` (golden files from Tests/Fixtures/opcua/regenerate-golden.sh,
/// deliberate differences in DIFFERENCES.txt).
@Suite struct OPCUACaptureTests {
    static let captures: [(name: String, port: UInt16)] = [
        ("opcua", 4840), ("opcua_encrypted", 4840), ("iti-opc-ua-method-freeze", 12001),
    ]

    @Test(arguments: [0, 1, 2])
    func functionCountsMatchTshark(index: Int) throws {
        let (name, port) = Self.captures[index]
        let result = OPCUAHarness.run(url: OPCUAHarness.fixtures.appendingPathComponent(name + ".pcap"), port: port)
        var expected = try OPCUAHarness.golden(name + ".tshark.txt")
        #expect(!expected.isEmpty)
        for (code, delta) in try OPCUAHarness.differences()[name + ".tshark.txt"] ?? [] {
            expected[code, default: 0] += delta
            if expected[code] == 0 { expected[code] = nil }
        }
        #expect(result.functions == expected, "\(name)")
        #expect(result.malformed == 0, "\(name)")
    }

    @Test func differencesAreDeclared() throws {
        #expect(try OPCUAHarness.differences().values.joined().count == 1)
    }
}
