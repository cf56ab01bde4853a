import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Application layer: function names and operations, IIN, object headers and point values,
/// control blocks, pairing, device attributes.
@Suite struct DNP3ApplicationTests {
    typealias B = DNP3Bytes

    @Test func everyDefinedFunctionHasANameAndOperation() {
        let expected: [UInt8: (String, Operation)] = [
            0: ("confirm", .session), 1: ("read", .read), 2: ("write", .write), 3: ("select", .write),
            5: ("direct_operate", .write), 6: ("direct_operate_no_ack", .write), 7: ("immediate_freeze", .control),
            13: ("cold_restart", .control), 14: ("warm_restart", .control), 18: ("stop_application", .control),
            20: ("enable_unsolicited", .control), 21: ("disable_unsolicited", .control),
            22: ("assign_class", .write), 23: ("delay_measure", .diagnostic), 24: ("record_current_time", .session),
            25: ("open_file", .program), 27: ("delete_file", .program), 31: ("activate_config", .program),
            32: ("authenticate_request", .auth), 33: ("authenticate_error", .auth), 129: ("response", .other),
            130: ("unsolicited_response", .read), 131: ("authenticate_response", .auth),
        ]
        for (code, (name, operation)) in expected {
            let function = DNP3.Application.Function(rawValue: code)
            #expect(function.name == name)
            #expect(function.baseOperation == operation, "\(name)")
        }
        let defined = (0...255).filter { DNP3.Application.Function(rawValue: UInt8($0)).name != nil }
        #expect(defined == Array(0...33) + [129, 130, 131])
    }

    @Test func selectOfACROBIsControlWithItsFields() throws {
        var state = DNP3.makeState()
        let (frame, message) = try #require(B.message([B.selectCROB], state: &state))
        #expect(frame.touched == .crob && frame.operation == .control)
        #expect(message.functionName == "select" && message.status == .pending)
        #expect(message.unit == 2)
        // Control code 3 (latch on), count 1, on 100 ms, off 100 ms, status 0.
        #expect(message.targets == [Message.Target(kind: "crob", address: 1, values: [3, 1, 100, 100, 0])])
        #expect(DNP3.crobOperationName(3) == "latch_on")
        #expect(DNP3.crobOperationName(0x41) == "pulse_on.close")
        #expect(DNP3.crobOperationName(0x81) == "pulse_on.trip")
    }

    @Test func responsePairsWithItsRequestAndReportsControlStatus() throws {
        var state = DNP3.makeState()
        _ = try #require(B.message([B.selectCROB], state: &state, time: 1_000))
        // Response, application sequence 7, IIN 0, echoing the CROB with status 4 (not supported).
        let echo: [UInt8] = [0xc7, 0x81, 0x00, 0x00, 0x0c, 0x01, 0x28, 0x01, 0x00, 0x01, 0x00,
            0x03, 0x01, 0x64, 0, 0, 0, 0x64, 0, 0, 0, 0x04]
        let answer = B.message(B.fragment(echo, control: 0x44), .toClient, state: &state, time: 4_000)
        let (frame, message) = try #require(answer)
        #expect(frame.request?.function == 3)
        #expect(message.roundTripNanoseconds == 3_000)
        #expect(message.operation == .control)
        #expect(message.status == .exception(code: 4, name: "not_supported"))
        #expect(message.targets.first == Message.Target(kind: "iin", address: 0, values: [0]))
        // The same response again has no request waiting.
        let again = try #require(B.message(B.fragment(echo, control: 0x44), .toClient, state: &state, time: 5_000))
        #expect(again.frame.anomalies.contains(.unsolicitedResponse))
    }

    @Test func iinErrorsBecomeTheStatus() throws {
        // IIN1 0x80 (device restart) and IIN2 0x01 (function not supported).
        let (frame, message) = try #require(B.message(app: [0xc0, 0x81, 0x80, 0x01], .toClient))
        #expect(frame.iin == 0x8001)
        #expect(message.status == .exception(code: 1, name: "no_func_code_support"))
        #expect(DNP3.Application.iinNames(frame.iin) == ["device_restart", "no_func_code_support"])
        let trouble = try #require(B.message(app: [0xc0, 0x82, 0x40, 0x20], .toClient)).message
        #expect(trouble.anomalies.contains("dnp3.iin.device_trouble"))
        #expect(trouble.anomalies.contains("dnp3.iin.config_corrupt"))
    }

    @Test func responseValuesForRangesAndPrefixes() throws {
        let app: [UInt8] = [
            0xc0, 0x81, 0x00, 0x00,  // response, IIN 0
            0x01, 0x01, 0x00, 0x00, 0x09, 0b1010_0101, 0b0000_0010,  // g1v1 packed, range 0…9
            0x1e, 0x01, 0x01, 0x05, 0x00, 0x06, 0x00,  // g30v1, range 5…6 (2-byte)
            0x01, 0xff, 0xff, 0xff, 0xff, 0x01, 0x10, 0x00, 0x00, 0x00,  // -1, then 16 (flag 0x01)
            0x20, 0x05, 0x17, 0x01, 0x07, 0x01, 0x00, 0x00, 0x20, 0x41,  // g32v5 float, index 7: 10.0
            0x14, 0x06, 0x00, 0x03, 0x03, 0x2a, 0x00,  // g20v6 16-bit counter, index 3: 42
            0x0a, 0x02, 0x00, 0x00, 0x00, 0x81,  // g10v2 index 0: flags 0x81 (online, state 1)
            0x32, 0x01, 0x07, 0x01, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00,  // g50v1 time: 1000 ms
        ]
        let message = try #require(B.message(app: app, .toClient)).message
        #expect(message.anomalies == ["dnp3.unsolicited_response"])
        #expect(message.targets == [
            Message.Target(kind: "iin", address: 0, values: [0]),
            Message.Target(kind: "binary_input", address: 0, count: 10, values: [1, 0, 1, 0, 0, 1, 0, 1, 0, 1]),
            Message.Target(kind: "analog_input", address: 5, count: 2, values: [-1, 16]),
            Message.Target(kind: "analog_input_event", address: 7, values: [10]),
            Message.Target(kind: "counter", address: 3, count: 1, values: [42]),
            Message.Target(kind: "binary_output", address: 0, count: 1, values: [1]),
            Message.Target(kind: "time", address: 0, values: [1000]),
        ])
    }

    @Test func readRequestHeadersListRangesAndIndexes() throws {
        let app: [UInt8] = [
            0xc0, 0x01,
            0x1e, 0x00, 0x06,  // g30v0 all
            0x01, 0x02, 0x00, 0x03, 0x07,  // g1v2 range 3…7
            0x14, 0x00, 0x17, 0x02, 0x04, 0x09,  // g20v0 count 2 with 1-byte indexes 4, 9
            0x3c, 0x02, 0x07, 0x05,  // g60v2 (class 1) count 5
        ]
        let (frame, message) = try #require(B.message(app: app))
        #expect(frame.objectHeaders == 4 && frame.anomalies.isEmpty)
        #expect(message.targets == [
            Message.Target(kind: "analog_input", address: -1, count: 0),
            Message.Target(kind: "binary_input", address: 3, count: 5),
            Message.Target(kind: "counter", address: 4),
            Message.Target(kind: "counter", address: 9),
            Message.Target(kind: "class_data", address: 1, count: 0),
        ])
    }

    @Test func freeFormatObjectsAreWalkedBySizePrefix() throws {
        // Authentication request carrying g120v1 (challenge) with qualifier 0x5B: count 1,
        // a 2-byte size of 8, then 8 bytes.
        let app: [UInt8] = [0xc0, 0x20, 0x78, 0x01, 0x5b, 0x01, 0x08, 0x00] + [UInt8](repeating: 0xab, count: 8)
        let (frame, message) = try #require(B.message(app: app))
        #expect(frame.touched == .authentication && frame.anomalies.isEmpty)
        #expect(message.operation == .auth)
        #expect(message.targets.map(\.kind) == ["authentication.challenge"])
    }

    @Test func countsThatExceedTheBytesAreTruncations() throws {
        // g30v1 range 0…200 but only one object follows.
        let overRange: [UInt8] = [0xc0, 0x81, 0, 0, 0x1e, 0x01, 0x00, 0x00, 0xc8, 0x01, 0, 0, 0, 0]
        #expect(try #require(B.message(app: overRange, .toClient)).frame.anomalies.contains(.objectsTruncated))
        // A 4-byte count of 0xffffffff with 2-byte index prefixes.
        let hugeCount: [UInt8] = [0xc0, 0x02, 0x29, 0x02, 0x39, 0xff, 0xff, 0xff, 0xff, 0x00]
        #expect(try #require(B.message(app: hugeCount)).frame.anomalies.contains(.objectsTruncated))
        // Stop below start.
        let backwards: [UInt8] = [0xc0, 0x01, 0x01, 0x02, 0x00, 0x09, 0x03]
        #expect(try #require(B.message(app: backwards)).frame.anomalies.contains(.invalidRange))
        // A header cut after its group.
        let cut: [UInt8] = [0xc0, 0x01, 0x01]
        #expect(try #require(B.message(app: cut)).frame.anomalies.contains(.objectsTruncated))
    }

    @Test func unknownCodesAreAnomalies() throws {
        let unknownFunction = try #require(B.message(app: [0xc0, 0x55]))
        #expect(unknownFunction.frame.anomalies.contains(.unknownFunction))
        #expect(unknownFunction.message.functionName == "unknown_85")
        #expect(unknownFunction.message.operation == .other)
        let unknownGroup = try #require(B.message(app: [0xc0, 0x02, 0xc8, 0x01, 0x00, 0x00, 0x00, 0x01]))
        #expect(unknownGroup.frame.anomalies.contains(.unknownObject))
        let reservedQualifier = try #require(B.message(app: [0xc0, 0x01, 0x01, 0x02, 0x0a]))
        #expect(reservedQualifier.frame.anomalies.contains(.invalidQualifier))
        let prefixOnPacked = try #require(B.message(app: [0xc0, 0x02, 0x50, 0x01, 0x17, 0x01, 0x07, 0x00]))
        #expect(prefixOnPacked.frame.anomalies.contains(.invalidQualifier))
    }

    @Test func manyHeadersAndPointsAreCapped() throws {
        // 300 "g60v1 all" headers in a read: the walk stops at the cap.
        let manyHeaders: [UInt8] = [0xc0, 0x01] + Array(repeating: [0x3c, 0x01, 0x06], count: 300).flatMap { $0 }
        var state = DNP3.makeState()
        let headers = try #require(B.message(B.fragment(manyHeaders, chunk: 200), state: &state)).frame
        #expect(headers.objectHeaders == DNP3.Objects.maxHeaders)
        #expect(headers.anomalies.contains(.tooManyObjectHeaders))
        // 3000 packed binary inputs: the event lists at most `maxPoints` values.
        let count = 3000
        let manyPoints: [UInt8] = [0xc0, 0x81, 0, 0, 0x01, 0x01, 0x01, 0x00, 0x00,
            UInt8((count - 1) & 0xff), UInt8((count - 1) >> 8)] + [UInt8](repeating: 0xff, count: count / 8)
        state = DNP3.makeState()
        let frames = B.fragment(manyPoints, chunk: 200, control: 0x44)
        let message = try #require(B.message(frames, .toClient, state: &state)).message
        let values = message.targets.first { $0.kind == "binary_input" }?.values ?? []
        #expect(values.count == DNP3.Objects.maxPoints)
        #expect(message.anomalies.contains("dnp3.too_many_points"))
    }

    @Test func deviceAttributesBecomeFacts() throws {
        func attribute(_ variation: UInt8, _ text: String) -> [UInt8] {
            let value = Array(text.utf8)
            return [0x00, variation, 0x00, 0x00, 0x00, 0x01, UInt8(value.count)] + value
        }
        let app: [UInt8] = [0xc0, 0x81, 0x00, 0x00] + attribute(252, "Acme Grid") + attribute(250, "RTU-9000 ")
            + attribute(242, "4.2.1") + attribute(248, "SN\u{07}123")
        var state = DNP3.makeState()
        let (frame, _) = try #require(B.message(B.fragment(app, control: 0x44), .toClient, state: &state))
        #expect(frame.touched == .deviceAttributes && frame.anomalies.contains(.unsolicitedResponse))
        let facts = DNP3.facts(frame, context: B.context(.toClient), state: state)
        let found = facts.map { "\($0.kind.rawValue)=\($0.value)" }
        #expect(found == [
            "role=dnp3_outstation 3", "vendor=Acme Grid", "model=RTU-9000", "firmware=4.2.1", "serial=SN123",
        ])
        #expect(facts.allSatisfy { $0.address == B.server.address })
    }

    @Test func unsolicitedResponseAndConfirm() throws {
        let unsolicited = try #require(B.message(app: [0xf3, 0x82, 0x00, 0x00], .toClient))
        #expect(unsolicited.frame.isUnsolicited && unsolicited.frame.anomalies.isEmpty)
        #expect(unsolicited.message.operation == .read && unsolicited.message.status == .ok)
        let confirm = try #require(B.message(app: [0xd3, 0x00]))
        #expect(confirm.message.functionName == "confirm" && confirm.message.status == .ok)
        #expect(confirm.message.operation == .session)
    }

    @Test func requestTowardsTheMasterIsFlagged() throws {
        let backwards = try #require(B.message(app: [0xc0, 0x0d], .toClient))
        #expect(backwards.frame.anomalies.contains(.wrongDirection))
        #expect(backwards.message.functionName == "cold_restart" && backwards.message.operation == .control)
    }
}
