import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// ASDUs: type ids, causes, information objects with values, quality and time tags, commands
/// with select/execute, layout checks.
@Suite struct IEC104ASDUTests {
    /// CP56Time2a for 2024-03-05 14:07:30.250 (ms 30 250 = 0x762a).
    static let time: [UInt8] = [0x2a, 0x76, 0x07, 0x0e, 0x05, 0x03, 0x18]
    static let timeMilliseconds = 1_709_647_650_250

    /// ASDU header: type, VSQ, cause, originator 0, common address 1.
    static func header(_ type: UInt8, vsq: UInt8 = 0x01, cause: UInt8 = 0x03) -> [UInt8] {
        [type, vsq, cause, 0x00, 0x01, 0x00]
    }

    static func decode(_ asdu: [UInt8], _ direction: Direction = .toClient) throws -> (IEC104.Frame, Message) {
        let result = try #require(IEC104Harness.single(IEC104Harness.iFrame(asdu), direction))
        return (result.frame, result.message)
    }

    @Test func cp56Time2a() {
        #expect(IEC104.CP56Time2a.unixMilliseconds(Self.time.span, at: 0) == Self.timeMilliseconds)
        // 2000-01-01 00:00:00.000
        #expect(IEC104.CP56Time2a.unixMilliseconds([0, 0, 0, 0, 1, 1, 0].span, at: 0) == 946_684_800_000)
        // Day-of-week, IV and SU bits are ignored.
        #expect(IEC104.CP56Time2a.unixMilliseconds([0, 0, 0x80, 0x80, 0xe1, 1, 0].span, at: 0) == 946_684_800_000)
        // 29 February only in leap years; month 0, minute 60, ms 60 000, year 100 are invalid.
        #expect(IEC104.CP56Time2a.unixMilliseconds([0, 0, 0, 0, 29, 2, 24].span, at: 0) != nil)
        #expect(IEC104.CP56Time2a.unixMilliseconds([0, 0, 0, 0, 29, 2, 23].span, at: 0) == nil)
        #expect(IEC104.CP56Time2a.unixMilliseconds([0, 0, 0, 0, 1, 0, 0].span, at: 0) == nil)
        #expect(IEC104.CP56Time2a.unixMilliseconds([0, 0, 60, 0, 1, 1, 0].span, at: 0) == nil)
        #expect(IEC104.CP56Time2a.unixMilliseconds([0x60, 0xea, 0, 0, 1, 1, 0].span, at: 0) == nil)
        #expect(IEC104.CP56Time2a.unixMilliseconds([0, 0, 0, 0, 1, 1, 100].span, at: 0) == nil)
        #expect(IEC104.CP56Time2a.unixMilliseconds(Self.time.span, at: 1) == nil)  // runs past the end
    }

    @Test func singlePointsInSequence() throws {
        // M_SP_NA_1, SQ = 1, three objects from IOA 1000: on, off + invalid, on + blocked.
        let asdu = Self.header(1, vsq: 0x83, cause: 20) + [0xe8, 0x03, 0x00] + [0x01, 0x80, 0x11]
        let (frame, message) = try Self.decode(asdu)
        #expect(frame.anomalies.isEmpty)
        #expect(frame.objectsPresent == 3)
        #expect(message.functionName == "m_sp_na_1.interrogated_by_station")
        #expect(message.operation == .read)
        #expect(message.status == .ok)
        #expect(message.targets == [
            Message.Target(kind: "single_point", address: 1000, values: [1, 0x00]),
            Message.Target(kind: "single_point", address: 1001, values: [0, 0x80]),
            Message.Target(kind: "single_point", address: 1002, values: [1, 0x10]),
        ])
    }

    @Test func monitorTypesDecodeValueAndQuality() throws {
        let ioa: [UInt8] = [0x0a, 0x00, 0x00]  // IOA 10
        let cases: [(UInt8, [UInt8], String, [Int])] = [
            (3, [0x42], "double_point", [2, 0x40]),  // DIQ on, not topical
            (5, [0x7f, 0x01], "step_position", [-1, 0x01]),  // VTI -1, overflow
            (5, [0x85, 0x00], "step_position", [5, 0x100]),  // VTI 5 transient
            (7, [0x78, 0x56, 0x34, 0x12, 0x00], "bitstring", [0x1234_5678, 0]),
            (9, [0x00, 0xc0, 0x20], "normalized_value", [-16384, 0x20]),  // -0.5, substituted
            (11, [0xfe, 0xff, 0x00], "scaled_value", [-2, 0]),
            (13, [0x00, 0x00, 0xc0, 0x3f, 0x00], "short_float", [Int(Float(1.5).bitPattern), 0]),
            (15, [0xff, 0xff, 0xff, 0xff, 0x25], "integrated_total", [-1, 0x25]),  // seq 5, carry
            (21, [0x00, 0x40], "normalized_value", [16384, 0]),
        ]
        for (type, element, kind, values) in cases {
            let (frame, message) = try Self.decode(Self.header(type) + ioa + element)
            #expect(frame.anomalies.isEmpty, "type \(type)")
            #expect(message.targets == [Message.Target(kind: kind, address: 10, values: values)], "type \(type)")
            #expect(message.operation == .read)
        }
    }

    @Test func timeTaggedMonitorTypes() throws {
        let ioa: [UInt8] = [0x01, 0x02, 0x03]  // IOA 0x030201
        let cases: [(UInt8, [UInt8], String, [Int])] = [
            (30, [0x01], "single_point", [1, 0]),
            (31, [0x01], "double_point", [1, 0]),
            (32, [0x03, 0x00], "step_position", [3, 0]),
            (33, [0x01, 0x00, 0x00, 0x00, 0x00], "bitstring", [1, 0]),
            (34, [0xff, 0x7f, 0x00], "normalized_value", [32767, 0]),
            (35, [0x10, 0x00, 0x80], "scaled_value", [16, 0x80]),
            (36, [0x00, 0x00, 0x80, 0xbf, 0x00], "short_float", [Int(Float(-1).bitPattern), 0]),
            (37, [0x07, 0x00, 0x00, 0x00, 0x00], "integrated_total", [7, 0]),
        ]
        for (type, element, kind, values) in cases {
            let (frame, message) = try Self.decode(Self.header(type) + ioa + element + Self.time)
            #expect(frame.anomalies.isEmpty, "type \(type)")
            let expected = Message.Target(kind: kind, address: 0x030201, values: values + [Self.timeMilliseconds])
            #expect(message.targets == [expected], "type \(type)")
        }
    }

    @Test func invalidTimeIsAnAnomaly() throws {
        let badTime: [UInt8] = [0, 0, 0, 0, 0, 0, 0]  // day 0, month 0
        let (_, message) = try Self.decode(Self.header(30) + [1, 0, 0, 0x01] + badTime)
        #expect(message.anomalies == ["iec104.invalid_time"])
        #expect(message.targets.first?.values == [1, 0])
    }

    @Test func commandsWithSelectAndExecute() throws {
        let ioa: [UInt8] = [0x89, 0x13, 0x00]  // IOA 5001
        // (type, element, kind, values, operation)
        let cases: [(UInt8, [UInt8], String, [Int], Operation)] = [
            (45, [0x81], "single_command", [1, 0x80], .control),  // select, on
            (45, [0x01], "single_command", [1, 0x00], .control),  // execute, on
            (46, [0x86], "double_command", [2, 0x84], .control),  // select, on, short pulse
            (47, [0x01], "regulating_step", [1, 0], .control),  // lower
            (48, [0x00, 0x20, 0x80], "setpoint_normalized", [8192, 0x80], .write),
            (49, [0xe2, 0x04, 0x00], "setpoint_scaled", [1250, 0], .write),
            (50, [0x00, 0x00, 0x48, 0x42, 0x00], "setpoint_float", [Int(Float(50).bitPattern), 0], .write),
            (51, [0x0f, 0x00, 0x00, 0x00], "bitstring_command", [15, 0], .control),
        ]
        for (type, element, kind, values, operation) in cases {
            let (frame, message) = try Self.decode(Self.header(type, cause: 6) + ioa + element, .toServer)
            #expect(frame.anomalies.isEmpty, "type \(type)")
            // The qualifier octet follows the value: SCO/DCO/RCO are value and qualifier in one.
            let qualifier: UInt8 = switch type {
            case 45, 46, 47: element[0]
            case 48, 49: element[2]
            case 50: element[4]
            default: 0
            }
            #expect(frame.qualifier == qualifier, "type \(type)")
            #expect(message.targets == [Message.Target(kind: kind, address: 5001, values: values)], "type \(type)")
            #expect(message.operation == operation, "type \(type)")
            #expect(message.status == .pending)
            // The same command with a CP56Time2a tag (types 58–64).
            let timed = try Self.decode(Self.header(type + 13, cause: 6) + ioa + element + Self.time, .toServer)
            #expect(timed.0.anomalies.isEmpty, "type \(type + 13)")
            let expected = Message.Target(kind: kind, address: 5001, values: values + [Self.timeMilliseconds])
            #expect(timed.1.targets == [expected], "type \(type + 13)")
            #expect(timed.1.operation == operation, "type \(type + 13)")
        }
    }

    @Test func systemCommands() throws {
        let zero: [UInt8] = [0, 0, 0]
        let read = try Self.decode(Self.header(102, cause: 5) + [0xeb, 0x03, 0x00], .toServer)
        #expect(read.1.functionName == "c_rd_na_1.request")
        #expect(read.1.operation == .read)
        #expect(read.1.status == .pending)
        #expect(read.1.targets == [Message.Target(kind: "read", address: 1003)])
        let clock = try Self.decode(Self.header(103, cause: 6) + zero + Self.time, .toServer)
        #expect(clock.1.operation == .control)
        #expect(clock.1.targets == [Message.Target(kind: "clock_sync", address: 0, values: [Self.timeMilliseconds])])
        let counters = try Self.decode(Self.header(101, cause: 6) + zero + [0x45], .toServer)
        #expect(counters.1.targets == [Message.Target(kind: "counter_interrogation", address: 0, values: [0x45, 0])])
        #expect(counters.1.operation == .read)
        let reset = try Self.decode(Self.header(105, cause: 6) + zero + [0x01], .toServer)
        #expect(reset.1.functionName == "c_rp_na_1.activation")
        #expect(reset.1.operation == .control)
        #expect(reset.1.targets == [Message.Target(kind: "reset_process", address: 0, values: [1, 0])])
        let test = try Self.decode(Self.header(107, cause: 6) + zero + [0xaa, 0x55] + Self.time, .toServer)
        #expect(test.1.operation == .diagnostic)
        #expect(test.1.targets.first?.values == [0x55aa, 0, Self.timeMilliseconds])
        let parameter = try Self.decode(Self.header(112, cause: 6) + [0x01, 0, 0] + [0, 0, 0x80, 0x3f, 0x01], .toServer)
        #expect(parameter.1.operation == .write)
        #expect(parameter.1.targets.first?.values == [Int(Float(1).bitPattern), 1])
        let file = try Self.decode(Self.header(122, cause: 13) + [0x01, 0, 0] + [0x01, 0x00, 0x00, 0x01], .toServer)
        #expect(file.1.operation == .program)
        #expect(file.1.functionName == "f_sc_na_1.file_transfer")
        let endOfInit = try Self.decode(Self.header(70, cause: 4) + zero + [0x02])
        #expect(endOfInit.1.functionName == "m_ei_na_1.initialized")
        #expect(endOfInit.1.targets.first?.values == [2, 0])
    }

    @Test func everyDefinedTypeHasANameAndOperation() {
        let defined = (0...255).filter { IEC104.TypeID(rawValue: UInt8($0)).isDefined }
        // 1–21, 30–41, 45–51, 58–64, 70, 81–87, 90–95, 100–107, 110–113, 120–127.
        #expect(defined.count == 81)
        for code in defined {
            let type = IEC104.TypeID(rawValue: UInt8(code))
            #expect(type.name.hasSuffix("_1"), "\(code)")
            #expect(type.operation != .other, "\(code)")
        }
        #expect(IEC104.TypeID(rawValue: 22).name == "unknown_22")
        #expect(IEC104.TypeID(rawValue: 22).operation == .other)
        #expect(IEC104.TypeID(rawValue: 45).name == "c_sc_na_1")
        #expect(IEC104.TypeID(rawValue: 127).name == "f_sc_nb_1")
    }

    @Test func causesAreNamed() {
        #expect(IEC104.Cause(rawValue: 3).name == "spontaneous")
        #expect(IEC104.Cause(rawValue: 10).name == "activation_termination")
        #expect(IEC104.Cause(rawValue: 20).name == "interrogated_by_station")
        #expect(IEC104.Cause(rawValue: 36).name == "interrogated_by_group_16")
        #expect(IEC104.Cause(rawValue: 41).name == "counter_requested_group_4")
        #expect(IEC104.Cause(rawValue: 47).name == "unknown_object_address")
        #expect(IEC104.Cause(rawValue: 0).name == nil)
        #expect(IEC104.Cause(rawValue: 63).name == nil)
        for raw in UInt8(0)...63 {
            #expect(IEC104.Cause(rawValue: raw).isDefined == (IEC104.Cause(rawValue: raw).name != nil), "\(raw)")
        }
    }

    @Test func negativeTestAndUnknownCauses() throws {
        let command = [0x89, 0x13, 0x00, 0x01] as [UInt8]
        let negative = try Self.decode(Self.header(45, cause: 0x47) + command)  // actcon, negative
        #expect(negative.1.status == .exception(code: 7, name: "negative_activation_con"))
        let test = try Self.decode(Self.header(45, cause: 0x86) + command, .toServer)  // act, test
        #expect(test.1.anomalies == ["iec104.test_mode"])
        let unknownAddress = try Self.decode(Self.header(45, cause: 0x6f) + command)  // 47, negative
        #expect(unknownAddress.1.status == .exception(code: 47, name: "unknown_object_address"))
        let undefined = try Self.decode(Self.header(45, cause: 0x00) + command)
        #expect(undefined.1.anomalies.contains("iec104.unknown_cause"))
        #expect(undefined.1.functionName == "c_sc_na_1.cause_0")
    }

    @Test func countsThatExceedTheBytes() throws {
        // Declares 5 single points (SQ 0) but carries 2: the 2 present are decoded.
        let asdu = Self.header(1, vsq: 0x05) + [1, 0, 0, 0x01, 2, 0, 0, 0x00]
        let (frame, message) = try Self.decode(asdu)
        #expect(frame.anomalies == .shortASDU)
        #expect(frame.objectsPresent == 2)
        #expect(message.targets.map(\.address) == [1, 2])
        // SQ = 1 declaring 127 floats with room for one.
        let sequence = Self.header(13, vsq: 0xff) + [1, 0, 0] + [0, 0, 0, 0, 0] + [0, 0]
        let (long, longMessage) = try Self.decode(sequence)
        #expect(long.anomalies == .shortASDU)
        #expect(longMessage.targets.count == 1)
    }

    @Test func bytesBeyondTheObjectsAndOtherLayoutFaults() throws {
        let trailing = try Self.decode(Self.header(1) + [1, 0, 0, 0x01, 0xee])
        #expect(trailing.0.anomalies == .invalidLength)
        let none = try Self.decode(Self.header(1, vsq: 0x00))
        #expect(none.0.anomalies == .noObjects)
        #expect(none.1.targets.isEmpty)
        let sequencedCommand = try Self.decode(Self.header(45, vsq: 0x81, cause: 6) + [1, 0, 0, 0x01], .toServer)
        #expect(sequencedCommand.0.anomalies == .invalidStructure)
        let unknown = try Self.decode(Self.header(99) + [1, 0, 0, 0xff])
        #expect(unknown.0.anomalies == .unknownTypeID)
        #expect(unknown.1.functionName == "unknown_99.spontaneous")
        #expect(unknown.1.operation == .other)
        #expect(unknown.1.targets.isEmpty)
        // A variable-length type (file segment) with its address only.
        let segment = try Self.decode(Self.header(125, cause: 13) + [1, 0, 0])
        #expect(segment.0.anomalies.isEmpty)
        #expect(segment.1.targets == [Message.Target(kind: "file", address: 1)])
    }

    @Test(arguments: 0..<24)
    func everyTruncatedASDUIsAnAnomalyNotATrap(length: Int) throws {
        // A full M_ME_TF_1 ASDU (6 + 3 + 12 = 21 bytes), cut at every length (and a few beyond).
        let full = Self.header(36) + [5, 0, 0] + [0, 0, 0x80, 0x3f, 0x00] + Self.time + [0xaa, 0xbb, 0xcc]
        let asdu = Array(full.prefix(length))
        let (frame, message) = try Self.decode(asdu)
        #expect(frame.hasFunction == (length > 0))
        if length < 21 { #expect(frame.anomalies.contains(.shortASDU)) }
        if length == 21 { #expect(frame.anomalies.isEmpty && message.targets.count == 1) }
        if length > 21 { #expect(frame.anomalies == .invalidLength) }
    }

    @Test func processValues() throws {
        let (_, reading) = try Self.decode(Self.header(13, vsq: 0x82) + [0xe9, 0x03, 0x00]
            + [0, 0, 0xc0, 0x3f, 0x00] + [0, 0, 0x20, 0x41, 0x00])
        let values = IEC104.processValues(reading)
        #expect(values.map(\.tag) == ["iec104://10.0.0.2/1/1001", "iec104://10.0.0.2/1/1002"])
        #expect(values.map(\.value) == [1.5, 10])
        #expect(values.allSatisfy { !$0.written })
        let (_, setpoint) = try Self.decode(Self.header(48, cause: 6) + [1, 0, 0] + [0x00, 0xc0, 0x00], .toServer)
        let written = IEC104.processValues(setpoint)
        #expect(written.map(\.value) == [-0.5])
        #expect(written.map(\.written) == [true])
    }
}
