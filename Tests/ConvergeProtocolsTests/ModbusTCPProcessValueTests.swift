import ConvergeModel
import Testing

@testable import ConvergeProtocols

@Suite struct ModbusTCPProcessValueTests {
    @Test func writesAndPairedReadsBecomeTaggedValues() {
        let write: [UInt8] = [
            0x00, 0x07, 0x00, 0x00, 0x00, 0x0b, 0x05,  // MBAP: length 11, unit 5
            0x10, 0x00, 0x28, 0x00, 0x02, 0x04,  // write multiple registers 40…41, 4 bytes
            0x00, 0x0a, 0x01, 0x02,  // 10, 258
        ]
        let echo: [UInt8] = [0x00, 0x07, 0x00, 0x00, 0x00, 0x06, 0x05, 0x10, 0x00, 0x28, 0x00, 0x02]
        let (sent, answer, _) = ModbusHarness.exchange(write, echo)
        let written = sent.map(ModbusTCP.processValues) ?? []
        #expect(written.map(\.tag) == ["modbus://10.0.0.2/5/hr/40", "modbus://10.0.0.2/5/hr/41"])
        #expect(written.map(\.value) == [10, 258])
        #expect(written.allSatisfy { $0.written })
        #expect(answer.map(ModbusTCP.processValues) == [])  // the echo carries no values

        let read: [UInt8] = [0, 1, 0, 0, 0, 6, 1, 0x01, 0x00, 0x08, 0x00, 0x03]  // read coils 8…10
        let bits: [UInt8] = [0, 1, 0, 0, 0, 4, 1, 0x01, 0x01, 0x05]  // 1, 0, 1
        let (_, coils, _) = ModbusHarness.exchange(read, bits)
        let values = coils.map(ModbusTCP.processValues) ?? []
        let tags = ["modbus://10.0.0.2/1/co/8", "modbus://10.0.0.2/1/co/9", "modbus://10.0.0.2/1/co/10"]
        #expect(values.map(\.tag) == tags)
        #expect(values.map(\.value) == [1, 0, 1])
        #expect(values.allSatisfy { !$0.written })

        // Without its request a response's addresses are unknown: no values rather than wrong tags.
        var state = ModbusTCP.makeState()
        let stray = ModbusHarness.message(bits, .toClient, state: &state)
        #expect(stray.map { ModbusTCP.processValues($0.message) } == [])
    }
}
