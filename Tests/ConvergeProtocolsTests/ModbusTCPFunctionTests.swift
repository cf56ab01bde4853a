import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Byte-commented request/response pairs for every function family (examples of the Modbus
/// Application Protocol V1.1b3 where it has them), checked down to typed values.
@Suite struct ModbusTCPFunctionTests {
    @Test func readHoldingRegisters() throws {
        let request: [UInt8] = [
            0x00, 0x01,  // transaction id 1
            0x00, 0x00,  // protocol id 0
            0x00, 0x06,  // length: unit id + 5 PDU bytes
            0x11,  // unit 17
            0x03,  // function 3: read holding registers
            0x00, 0x6b,  // start address 107
            0x00, 0x03,  // quantity 3
        ]
        let response: [UInt8] = [
            0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 0x11,  // MBAP: transaction 1, length 9, unit 17
            0x03,  // function 3
            0x06,  // byte count 6
            0x02, 0x2b,  // 555
            0x00, 0x00,  // 0
            0x00, 0x64,  // 100
        ]
        var state = ModbusTCP.makeState()
        guard case .success(let parsed) = ModbusHarness.parse(request, .toServer, state: &state) else {
            Issue.record("request did not parse")
            return
        }
        #expect(parsed.consumed == 12)
        #expect(parsed.message.transactionID == 1)
        #expect(parsed.message.unitID == 17)
        #expect(parsed.message.functionCode == 3)
        #expect(parsed.message.lengthField == 6)
        #expect(parsed.message.pduLength == 5)
        #expect(parsed.message.anomalies.isEmpty)
        #expect(state.pending.count == 1)

        let (sent, answer, frame) = ModbusHarness.exchange(request, response)
        let req = try #require(sent)
        #expect(req.functionName == "read_holding_registers")
        #expect(req.operation == .read)
        #expect(req.status == .pending)
        #expect(req.unit == 17)
        #expect(req.targets == [Message.Target(kind: "holding_register", address: 107, count: 3)])
        let resp = try #require(answer)
        #expect(resp.status == .ok)
        #expect(resp.anomalies.isEmpty)
        #expect(resp.roundTripNanoseconds == 2_000)
        #expect(frame?.request?.address == 107)
        let registers = Message.Target(kind: "holding_register", address: 107, count: 3, values: [555, 0, 100])
        #expect(resp.targets == [registers])
    }

    @Test func readCoilsAndDiscreteInputs() throws {
        let request: [UInt8] = [
            0x00, 0x02, 0x00, 0x00, 0x00, 0x06, 0x01,  // MBAP: transaction 2, length 6, unit 1
            0x01,  // function 1: read coils
            0x00, 0x13,  // start address 19
            0x00, 0x13,  // quantity 19
        ]
        let response: [UInt8] = [
            0x00, 0x02, 0x00, 0x00, 0x00, 0x06, 0x01,  // MBAP: length 6
            0x01,  // function 1
            0x03,  // byte count 3
            0xcd, 0x6b, 0x05,  // coils 19…26, 27…34, 35…37 (LSB first)
        ]
        let (sent, answer, _) = ModbusHarness.exchange(request, response)
        #expect(sent?.targets == [Message.Target(kind: "coil", address: 19, count: 19)])
        let resp = try #require(answer)
        let expected = [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1]
        #expect(resp.targets == [Message.Target(kind: "coil", address: 19, count: 19, values: expected)])
        #expect(resp.anomalies.isEmpty)

        // Function 2 reads the discrete-input table with the same layout.
        var discrete = request
        discrete[7] = 0x02
        var discreteResponse = response
        discreteResponse[7] = 0x02
        let (_, inputs, _) = ModbusHarness.exchange(discrete, discreteResponse)
        #expect(inputs?.targets.first?.kind == "discrete_input")
        #expect(inputs?.functionName == "read_discrete_inputs")
    }

    @Test func readInputRegisters() {
        let request: [UInt8] = [
            0x00, 0x03, 0x00, 0x00, 0x00, 0x06, 0x01,  // MBAP
            0x04,  // function 4: read input registers
            0x00, 0x08,  // address 8
            0x00, 0x01,  // quantity 1
        ]
        let response: [UInt8] = [
            0x00, 0x03, 0x00, 0x00, 0x00, 0x05, 0x01,  // MBAP: length 5
            0x04, 0x02,  // function 4, byte count 2
            0x00, 0x0a,  // 10
        ]
        let (_, answer, _) = ModbusHarness.exchange(request, response)
        #expect(answer?.targets == [Message.Target(kind: "input_register", address: 8, count: 1, values: [10])])
        #expect(answer?.operation == .read)
    }

    @Test func writeSingleCoilAndRegister() {
        let coil: [UInt8] = [
            0x00, 0x04, 0x00, 0x00, 0x00, 0x06, 0x01,  // MBAP
            0x05,  // function 5: write single coil
            0x00, 0xac,  // address 172
            0xff, 0x00,  // ON
        ]
        let (sent, echo, _) = ModbusHarness.exchange(coil, coil)
        #expect(sent?.operation == .write)
        #expect(sent?.targets == [Message.Target(kind: "coil", address: 172, values: [1])])
        #expect(echo?.targets == [Message.Target(kind: "coil", address: 172, values: [1])])
        #expect(echo?.anomalies == [])

        let register: [UInt8] = [
            0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x01,  // MBAP
            0x06,  // function 6: write single register
            0x00, 0x01,  // address 1
            0x00, 0x03,  // value 3
        ]
        let (written, _, _) = ModbusHarness.exchange(register, register)
        #expect(written?.functionName == "write_single_register")
        #expect(written?.targets == [Message.Target(kind: "holding_register", address: 1, values: [3])])

        // A coil value other than 0x0000/0xFF00 is out of spec.
        var bad = coil
        bad[10] = 0x12
        var state = ModbusTCP.makeState()
        #expect(ModbusHarness.message(bad, .toServer, state: &state)?.message.anomalies == ["modbus.invalid_value"])
    }

    @Test func writeMultipleCoilsAndRegisters() {
        let coils: [UInt8] = [
            0x00, 0x06, 0x00, 0x00, 0x00, 0x09, 0x01,  // MBAP: length 9
            0x0f,  // function 15: write multiple coils
            0x00, 0x13,  // address 19
            0x00, 0x0a,  // quantity 10
            0x02,  // byte count 2
            0xcd, 0x01,  // 1011 0011, 1 0
        ]
        let coilsResponse: [UInt8] = [
            0x00, 0x06, 0x00, 0x00, 0x00, 0x06, 0x01,  // MBAP
            0x0f, 0x00, 0x13, 0x00, 0x0a,  // function 15, address 19, quantity 10
        ]
        let (sent, answer, _) = ModbusHarness.exchange(coils, coilsResponse)
        let coilBits = [1, 0, 1, 1, 0, 0, 1, 1, 1, 0]
        #expect(sent?.targets == [Message.Target(kind: "coil", address: 19, count: 10, values: coilBits)])
        #expect(sent?.anomalies == [])
        #expect(answer?.targets == [Message.Target(kind: "coil", address: 19, count: 10)])
        #expect(answer?.anomalies == [])

        let registers: [UInt8] = [
            0x00, 0x07, 0x00, 0x00, 0x00, 0x0b, 0x01,  // MBAP: length 11
            0x10,  // function 16: write multiple registers
            0x00, 0x01,  // address 1
            0x00, 0x02,  // quantity 2
            0x04,  // byte count 4
            0x00, 0x0a, 0x01, 0x02,  // 10, 258
        ]
        let registersResponse: [UInt8] = [
            0x00, 0x07, 0x00, 0x00, 0x00, 0x06, 0x01,  // MBAP
            0x10, 0x00, 0x01, 0x00, 0x02,  // function 16, address 1, quantity 2
        ]
        let (written, echoed, _) = ModbusHarness.exchange(registers, registersResponse)
        #expect(written?.targets == [Message.Target(kind: "holding_register", address: 1, count: 2, values: [10, 258])])
        #expect(echoed?.anomalies == [])
        #expect(echoed?.operation == .write)

        // An echo that names another address does not answer this request.
        var wrongEcho = registersResponse
        wrongEcho[9] = 0x05
        let (_, mismatched, _) = ModbusHarness.exchange(registers, wrongEcho)
        #expect(mismatched?.anomalies == ["modbus.response_mismatch"])
    }

    @Test func maskWriteAndReadWriteMultiple() {
        let mask: [UInt8] = [
            0x00, 0x08, 0x00, 0x00, 0x00, 0x08, 0x01,  // MBAP: length 8
            0x16,  // function 22: mask write register
            0x00, 0x04,  // address 4
            0x00, 0xf2,  // AND mask
            0x00, 0x25,  // OR mask
        ]
        let (sent, echo, _) = ModbusHarness.exchange(mask, mask)
        #expect(sent?.targets == [Message.Target(kind: "holding_register_mask", address: 4, values: [0xf2, 0x25])])
        #expect(echo?.anomalies == [])

        let readWrite: [UInt8] = [
            0x00, 0x09, 0x00, 0x00, 0x00, 0x11, 0x01,  // MBAP: length 17
            0x17,  // function 23: read/write multiple registers
            0x00, 0x03, 0x00, 0x06,  // read address 3, quantity 6
            0x00, 0x0e, 0x00, 0x03,  // write address 14, quantity 3
            0x06,  // write byte count 6
            0x00, 0xff, 0x00, 0xff, 0x00, 0xff,  // 255 ×3
        ]
        let readWriteResponse: [UInt8] = [
            0x00, 0x09, 0x00, 0x00, 0x00, 0x0f, 0x01,  // MBAP: length 15
            0x17, 0x0c,  // function 23, byte count 12
            0x00, 0xfe, 0x0a, 0xcd, 0x00, 0x01, 0x00, 0x03, 0x00, 0x0d, 0x00, 0xff,  // 6 registers
        ]
        let (request, response, _) = ModbusHarness.exchange(readWrite, readWriteResponse)
        #expect(request?.operation == .write)
        #expect(request?.anomalies == [])
        #expect(request?.targets == [
            Message.Target(kind: "holding_register", address: 14, count: 3, values: [255, 255, 255]),
            Message.Target(kind: "holding_register", address: 3, count: 6),
        ])
        #expect(response?.targets == [
            Message.Target(kind: "holding_register", address: 3, count: 6, values: [254, 2765, 1, 3, 13, 255])
        ])
        #expect(response?.anomalies == [])
    }

    @Test func fileRecords() {
        let read: [UInt8] = [
            0x00, 0x0a, 0x00, 0x00, 0x00, 0x11, 0x01,  // MBAP: length 17
            0x14, 0x0e,  // function 20: read file record, byte count 14
            0x06, 0x00, 0x04, 0x00, 0x01, 0x00, 0x02,  // reference 6, file 4, record 1, length 2
            0x06, 0x00, 0x03, 0x00, 0x09, 0x00, 0x02,  // reference 6, file 3, record 9, length 2
        ]
        let readResponse: [UInt8] = [
            0x00, 0x0a, 0x00, 0x00, 0x00, 0x0f, 0x01,  // MBAP: length 15
            0x14, 0x0c,  // function 20, response data length 12
            0x05, 0x06, 0x0d, 0xfe, 0x00, 0x20,  // sub-response: length 5, reference 6, 2 registers
            0x05, 0x06, 0x33, 0xcd, 0x00, 0x40,
        ]
        let (sent, answer, _) = ModbusHarness.exchange(read, readResponse)
        #expect(sent?.operation == .read)
        #expect(sent?.anomalies == [])
        #expect(sent?.targets == [
            Message.Target(kind: "file_record", address: 4 << 16 | 1, count: 2),
            Message.Target(kind: "file_record", address: 3 << 16 | 9, count: 2),
        ])
        #expect(answer?.anomalies == [])

        let write: [UInt8] = [
            0x00, 0x0b, 0x00, 0x00, 0x00, 0x10, 0x01,  // MBAP: length 16
            0x15, 0x0d,  // function 21: write file record, byte count 13
            0x06, 0x00, 0x04, 0x00, 0x07, 0x00, 0x03,  // reference 6, file 4, record 7, length 3
            0x06, 0xaf, 0x04, 0xbe, 0x10, 0x0d,  // 3 registers
        ]
        let (written, echo, _) = ModbusHarness.exchange(write, write)
        #expect(written?.operation == .write)
        #expect(written?.anomalies == [])
        #expect(written?.targets == [
            Message.Target(kind: "file_record", address: 4 << 16 | 7, count: 3, values: [0x06af, 0x04be, 0x100d])
        ])
        #expect(echo?.anomalies == [])

        // Sub-requests that overrun the byte count are a length anomaly, not a trap.
        var overrun = write
        overrun[14] = 0x09
        var state = ModbusTCP.makeState()
        let overrunning = ModbusHarness.message(overrun, .toServer, state: &state)
        #expect(overrunning?.message.anomalies == ["modbus.invalid_length"])
    }

    @Test func fifoQueue() {
        let request: [UInt8] = [
            0x00, 0x0c, 0x00, 0x00, 0x00, 0x04, 0x01,  // MBAP: length 4
            0x18, 0x04, 0xde,  // function 24: read FIFO queue, pointer 1246
        ]
        let response: [UInt8] = [
            0x00, 0x0c, 0x00, 0x00, 0x00, 0x0a, 0x01,  // MBAP: length 10
            0x18,  // function 24
            0x00, 0x06,  // byte count 6
            0x00, 0x02,  // FIFO count 2
            0x01, 0xb8, 0x12, 0x84,  // 440, 4740
        ]
        let (sent, answer, _) = ModbusHarness.exchange(request, response)
        #expect(sent?.targets == [Message.Target(kind: "fifo", address: 1246)])
        #expect(answer?.targets == [Message.Target(kind: "fifo", address: 1246, count: 2, values: [440, 4740])])
        #expect(answer?.anomalies == [])
    }

    @Test func diagnosticsAndSerialLineFunctions() {
        let listenOnly: [UInt8] = [
            0x00, 0x0d, 0x00, 0x00, 0x00, 0x06, 0x0a,  // MBAP: unit 10
            0x08,  // function 8: diagnostics
            0x00, 0x04,  // sub-function 4: force listen only mode
            0x00, 0x00,  // data
        ]
        let (sent, _, _) = ModbusHarness.exchange(listenOnly, listenOnly)
        #expect(sent?.functionName == "diagnostics.force_listen_only_mode")
        #expect(sent?.operation == .control)

        let echo: [UInt8] = [
            0x00, 0x0e, 0x00, 0x00, 0x00, 0x06, 0x0a,  // MBAP
            0x08, 0x00, 0x00, 0xa5, 0x37,  // diagnostics: return query data A537
        ]
        let (query, queryEcho, _) = ModbusHarness.exchange(echo, echo)
        #expect(query?.functionName == "diagnostics.return_query_data")
        #expect(query?.operation == .diagnostic)
        #expect(queryEcho?.functionName == "diagnostics.return_query_data")

        let cases: [(request: [UInt8], response: [UInt8], name: String, operation: Operation)] = [
            (
                [0, 1, 0, 0, 0, 2, 1, 0x07],  // read exception status
                [0, 1, 0, 0, 0, 3, 1, 0x07, 0x6d],  // output data 0x6D
                "read_exception_status", .diagnostic
            ),
            (
                [0, 1, 0, 0, 0, 2, 1, 0x0b],  // get comm event counter
                [0, 1, 0, 0, 0, 6, 1, 0x0b, 0xff, 0xff, 0x01, 0x08],  // status busy, 264 events
                "get_comm_event_counter", .diagnostic
            ),
            (
                [0, 1, 0, 0, 0, 2, 1, 0x0c],  // get comm event log
                [0, 1, 0, 0, 0, 0x0b, 1, 0x0c, 0x08, 0, 0, 0x01, 0x08, 0x01, 0x21, 0x20, 0x00],  // 8 bytes
                "get_comm_event_log", .diagnostic
            ),
            (
                [0, 1, 0, 0, 0, 2, 1, 0x11],  // report server id
                [0, 1, 0, 0, 0, 6, 1, 0x11, 0x03, 0x42, 0xff, 0x41],  // id 0x42, run ON, 'A'
                "report_server_id", .discovery
            ),
        ]
        for item in cases {
            let (request, response, _) = ModbusHarness.exchange(item.request, item.response)
            #expect(request?.functionName == item.name)
            #expect(request?.operation == item.operation)
            #expect(request?.anomalies == [])
            #expect(response?.anomalies == [], "\(item.name)")
            #expect(response?.status == .ok)
        }
    }

    @Test func exceptions() throws {
        let request: [UInt8] = [
            0x00, 0x20, 0x00, 0x00, 0x00, 0x06, 0x01,  // MBAP
            0x03, 0x00, 0x00, 0x00, 0x01,  // read holding registers 0, 1
        ]
        let exception: [UInt8] = [
            0x00, 0x20, 0x00, 0x00, 0x00, 0x03, 0x01,  // MBAP: length 3
            0x83,  // function 3 with the exception bit
            0x02,  // illegal data address
        ]
        let (_, answer, frame) = ModbusHarness.exchange(request, exception)
        let response = try #require(answer)
        #expect(frame?.functionCode == 3)
        #expect(frame?.isException == true)
        #expect(frame?.exceptionCode == 2)
        #expect(response.functionCode == 3)
        #expect(response.functionName == "read_holding_registers")
        #expect(response.status == .exception(code: 2, name: "illegal_data_address"))
        #expect(response.targets == [])
        #expect(response.anomalies == [])

        let names: [UInt8: String] = [
            1: "illegal_function", 3: "illegal_data_value", 4: "server_device_failure", 5: "acknowledge",
            6: "server_device_busy", 7: "negative_acknowledge", 8: "memory_parity_error",
            10: "gateway_path_unavailable", 11: "gateway_target_device_failed_to_respond",
        ]
        for (code, name) in names {
            var other = exception
            other[8] = code
            let (_, named, _) = ModbusHarness.exchange(request, other)
            #expect(named?.status == .exception(code: Int(code), name: name))
            #expect(named?.anomalies == [])
        }

        var undefined = exception
        undefined[8] = 0x09
        let (_, odd, _) = ModbusHarness.exchange(request, undefined)
        #expect(odd?.status == .exception(code: 9, name: "unknown"))
        #expect(odd?.anomalies == ["modbus.invalid_exception_code"])

        // A trailing byte after the exception code (seen in the wild): parsed, length flagged.
        let padded: [UInt8] = [0x00, 0x20, 0x00, 0x00, 0x00, 0x04, 0x01, 0x83, 0x06, 0x00]
        let (_, long, _) = ModbusHarness.exchange(request, padded)
        #expect(long?.status == .exception(code: 6, name: "server_device_busy"))
        #expect(long?.anomalies == ["modbus.invalid_length"])
    }

    @Test func unknownAndUserDefinedFunctions() {
        var state = ModbusTCP.makeState()
        let unknown: [UInt8] = [0x00, 0x27, 0x00, 0x00, 0x00, 0x02, 0x01, 0x0a]  // function 10: unassigned
        let parsed = ModbusHarness.message(unknown, .toServer, state: &state)
        #expect(parsed?.message.functionCode == 10)
        #expect(parsed?.message.functionName == "unknown_10")
        #expect(parsed?.message.operation == .other)
        #expect(parsed?.message.anomalies == ["modbus.unknown_function"])

        let vendor: [UInt8] = [0x00, 0x28, 0x00, 0x00, 0x00, 0x03, 0x01, 0x41, 0x00]  // 65: user-defined
        let custom = ModbusHarness.message(vendor, .toServer, state: &state)
        #expect(custom?.message.functionName == "user_defined_65")
        #expect(custom?.message.anomalies == [])

        // The exception bit in a request cannot be right.
        let flipped: [UInt8] = [0x00, 0x29, 0x00, 0x00, 0x00, 0x03, 0x01, 0x83, 0x02]
        let odd = ModbusHarness.message(flipped, .toServer, state: &state)
        #expect(odd?.message.functionCode == 3)
        #expect(odd?.message.anomalies.contains("modbus.invalid_function_code") == true)
    }

    @Test func quantityLimits() {
        var state = ModbusTCP.makeState()
        let zero: [UInt8] = [0, 1, 0, 0, 0, 6, 1, 0x03, 0x00, 0x00, 0x00, 0x00]  // read 0 registers
        #expect(ModbusHarness.message(zero, .toServer, state: &state)?.message.anomalies == ["modbus.invalid_value"])
        let tooMany: [UInt8] = [0, 2, 0, 0, 0, 6, 1, 0x03, 0x00, 0x00, 0x00, 0x7e]  // 126 registers
        #expect(ModbusHarness.message(tooMany, .toServer, state: &state)?.message.anomalies == ["modbus.invalid_value"])
        let most: [UInt8] = [0, 3, 0, 0, 0, 6, 1, 0x01, 0x00, 0x00, 0x07, 0xd0]  // 2000 coils: allowed
        #expect(ModbusHarness.message(most, .toServer, state: &state)?.message.anomalies == [])
        // Byte count says 4 but quantity 3 needs 6.
        let short: [UInt8] = [0, 4, 0, 0, 0, 0x0b, 1, 0x10, 0, 1, 0, 3, 0x04, 0, 1, 0, 2]
        #expect(ModbusHarness.message(short, .toServer, state: &state)?.message.anomalies == ["modbus.invalid_value"])
    }
}

@Suite struct ModbusTCPFunctionTableTests {
    /// `isNamed` is a fast copy of `name`'s table: they must agree on every code.
    @Test func isNamedAgreesWithName() {
        for code in UInt8(0)...UInt8(127) {
            let function = ModbusTCP.Function(rawValue: code)
            #expect(function.isNamed == (function.name != nil), "code \(code)")
            #expect(!(function.isNamed && function.isUserDefined), "code \(code)")
        }
        let named = (UInt8(0)...UInt8(127)).filter { ModbusTCP.Function(rawValue: $0).isNamed }
        #expect(named == [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 15, 16, 17, 20, 21, 22, 23, 24, 43, 90])
    }
}
