import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Logix tag values as process values.
@Suite struct CIPProcessValueTests {
    @Test func tagValuesBecomeProcessValues() throws {
        var state = EtherNetIP.makeState()
        let read = ENIPBytes.sendRRData(ENIPBytes.request(0x4c, path: ENIPBytes.symbol("Flow"), data: [2, 0]))
        let sent = try #require(ENIPHarness.message(read, .toServer, state: &state))
        #expect(EtherNetIP.processValues(sent.message).isEmpty)  // a read request carries no value
        let reply = ENIPBytes.sendRRData(ENIPBytes.response(0x4c, data: [0xc3, 0x00, 0x05, 0x00, 0xfe, 0xff]))
        let answer = try #require(ENIPHarness.message(reply, .toClient, state: &state))
        let values = EtherNetIP.processValues(answer.message)
        #expect(values.map(\.tag) == ["enip://10.0.0.2/Flow/0", "enip://10.0.0.2/Flow/1"])
        #expect(values.map(\.value) == [5, -2])
        #expect(values.allSatisfy { !$0.written })
        let write = ENIPBytes.sendRRData(
            ENIPBytes.request(0x4d, path: ENIPBytes.symbol("SP"), data: [0xc4, 0x00, 0x01, 0x00, 0x64, 0, 0, 0]))
        let written = try #require(ENIPHarness.message(write, .toServer, state: &state))
        let setPoint = EtherNetIP.processValues(written.message)
        #expect(setPoint.map(\.tag) == ["enip://10.0.0.2/SP"] && setPoint.first?.written == true)
        #expect(setPoint.first?.value == 100)
    }
}
