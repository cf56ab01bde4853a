import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Read Device Identification (43/14) objects become asset facts; UMAS (90) sub-functions are named.
@Suite struct ModbusTCPIdentityTests {
    @Test func deviceIdentificationFacts() throws {
        let request: [UInt8] = [
            0x00, 0x19, 0x00, 0x00, 0x00, 0x05, 0x01,  // MBAP: transaction 25, length 5
            0x2b, 0x0e,  // function 43, MEI 14
            0x01, 0x00,  // basic device identification, from object 0
        ]
        var state = ModbusTCP.makeState()
        let sent = try #require(ModbusHarness.message(request, .toServer, state: &state))
        #expect(sent.message.functionName == "read_device_identification")
        #expect(sent.message.operation == .discovery)
        #expect(sent.message.anomalies == [])
        #expect(sent.message.targets == [Message.Target(kind: "device_id_object", address: 0)])

        let bytes = ModbusTCPFramingTests.deviceID
        let answer = try #require(ModbusHarness.message(bytes, .toClient, state: &state))
        #expect(answer.message.anomalies == [])
        #expect(answer.message.functionName == "read_device_identification")
        let facts = ModbusTCP.facts(answer.frame, bytes: bytes.span, context: ModbusHarness.context(.toClient))
        #expect(facts.map(\.kind) == [.vendor, .productCode, .revision])
        #expect(facts.map(\.value) == ["Schneider Electric", "BMX P34 2020", "3.20"])
        #expect(facts.allSatisfy { $0.address == ModbusHarness.server.address && $0.source == "modbus/43.14" })

        // Requests and other functions reveal nothing.
        #expect(ModbusTCP.facts(sent.frame, bytes: request.span, context: ModbusHarness.context(.toServer)).isEmpty)
    }

    @Test func regularObjectsModelWinsOverProductName() {
        let response: [UInt8] = [
            0x00, 0x01, 0x00, 0x00, 0x00, 0x19, 0x01,  // MBAP: length 25
            0x2b, 0x0e, 0x02, 0x82, 0x00, 0x00, 0x03,  // MEI 14, regular, 3 objects
            0x04, 0x04, 0x4d, 0x33, 0x34, 0x30,  // 4 product name "M340"
            0x05, 0x04, 0x50, 0x33, 0x34, 0x20,  // 5 model name "P34 " (trailing space trimmed)
            0x06, 0x03, 0x41, 0x00, 0x42,  // 6 user application name "A\0B" (control byte dropped)
        ]
        var state = ModbusTCP.makeState()
        guard let answer = ModbusHarness.message(response, .toClient, state: &state) else {
            Issue.record("did not parse")
            return
        }
        #expect(answer.message.anomalies == ["modbus.unsolicited_response"])
        let facts = ModbusTCP.facts(answer.frame, bytes: response.span, context: ModbusHarness.context(.toClient))
        #expect(facts.map(\.kind) == [.model, .moduleName])
        #expect(facts.map(\.value) == ["P34", "AB"])
    }

    @Test func deviceIdentificationObjectsOverrunning() {
        var response = ModbusTCPFramingTests.deviceID
        response[13] = 0x05  // claims 5 objects, carries 3
        var state = ModbusTCP.makeState()
        let answer = ModbusHarness.message(response, .toClient, state: &state)
        #expect(answer?.message.anomalies == ["modbus.invalid_length", "modbus.unsolicited_response"])
        // The objects that are whole still count.
        if let frame = answer?.frame {
            #expect(ModbusTCP.facts(frame, bytes: response.span, context: ModbusHarness.context(.toClient)).count == 3)
        }
    }

    @Test func umasSubFunctions() {
        let cases: [(code: UInt8, name: String, operation: Operation)] = [
            (0x02, "umas.read_id", .discovery),
            (0x10, "umas.take_plc_reservation", .session),
            (0x11, "umas.release_plc_reservation", .session),
            (0x30, "umas.initialize_upload", .program),
            (0x34, "umas.download_block", .program),
            (0x40, "umas.start_plc", .control),
            (0x41, "umas.stop_plc", .control),
            (0x23, "umas.write_variables", .write),
            (0x99, "umas", .other),
        ]
        for item in cases {
            let request: [UInt8] = [
                0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x01,  // MBAP: length 4
                0x5a,  // function 90: UMAS
                0x00,  // session key
                item.code,  // UMAS function
            ]
            let response: [UInt8] = [
                0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x01,  // MBAP
                0x5a, 0x00, 0xfe,  // UMAS: ok
            ]
            let (sent, answer, _) = ModbusHarness.exchange(request, response)
            #expect(sent?.functionCode == 90)
            #expect(sent?.functionName == item.name)
            #expect(sent?.operation == item.operation)
            #expect(sent?.anomalies == [])
            // The response carries only a status: it is named after its request.
            #expect(answer?.functionName == item.name)
            #expect(answer?.anomalies == [])
        }
    }
}
