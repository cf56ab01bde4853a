import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// The object groups and functions issue 3 lists that the other suites do not already show:
/// binary input events (2), analog output status (40) and blocks (41) under operate, file
/// objects (70), internal indications (80), octet strings (110); and, on real captures, file
/// transfer, cold restart and enabling unsolicited reporting.
@Suite struct DNP3ChecklistTests {
    typealias B = DNP3Bytes

    @Test func binaryEventsAndAnalogOutputStatusCarryIndexesAndValues() throws {
        let app: [UInt8] = [
            0xe0, 0x81, 0x00, 0x00,  // response, IIN 0
            0x02, 0x02, 0x17, 0x01,  // g2v2 (binary input event with time), 1-byte index prefix, count 1
            0x0c, 0x81, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00,  //   index 12: online, on, at 1000 ms
            0x28, 0x01, 0x00, 0x04, 0x05,  // g40v1 (32-bit analog output status), 4…5
            0x01, 0x64, 0x00, 0x00, 0x00,  //   index 4: 100
            0x01, 0x9c, 0xff, 0xff, 0xff,  //   index 5: -100
            0x6e, 0x03, 0x17, 0x01, 0x02, 0x41, 0x42, 0x43,  // g110v3 (3-byte octet string), index 2: "ABC"
        ]
        let message = try #require(B.message(app: app, .toClient)).message
        #expect(message.targets == [
            Message.Target(kind: "iin", address: 0, values: [0]),
            Message.Target(kind: "binary_input_event", address: 12, values: [1]),
            Message.Target(kind: "analog_output_status", address: 4, count: 2, values: [100, -100]),
            Message.Target(kind: "octet_string", address: 2, values: []),
        ])
    }

    @Test func operateOfAnAnalogOutputBlockIsControl() throws {
        let app: [UInt8] = [
            0xc3, 0x04,  // FIR FIN, sequence 3; operate
            0x29, 0x02, 0x28, 0x01, 0x00,  // g41v2 (16-bit analog output block), 2-byte index prefix, count 1
            0x07, 0x00, 0xf4, 0x01, 0x00,  //   index 7: 500, status 0
        ]
        let (frame, message) = try #require(B.message(app: app))
        #expect(frame.touched == .analogOutput)
        #expect(message.functionName == "operate" && message.operation == .control)
        #expect(message.targets == [Message.Target(kind: "analog_output", address: 7, values: [500, 0])])
    }

    @Test func writeClearingTheRestartIndicationTouchesGroup80() throws {
        let app: [UInt8] = [
            0xc1, 0x02,  // write
            0x50, 0x01, 0x00, 0x07, 0x07, 0x00,  // g80v1 (IIN), 1-byte range 7…7, bit cleared
        ]
        let (frame, message) = try #require(B.message(app: app))
        #expect(frame.touched == .internalIndications && frame.anomalies.isEmpty)
        #expect(message.operation == .write)
        #expect(message.targets == [Message.Target(kind: "internal_indication", address: 7, count: 1, values: [0])])
    }

    @Test func writeOfAFileCommandIsProgram() throws {
        // g70v3 (file command) with the free-format qualifier 0x5B: count 1, 2-byte size 4.
        let app: [UInt8] = [0xc2, 0x02, 0x46, 0x03, 0x5b, 0x01, 0x04, 0x00, 0x01, 0x02, 0x03, 0x04]
        let (frame, message) = try #require(B.message(app: app))
        #expect(frame.touched == .file && frame.anomalies.isEmpty)
        #expect(message.operation == .program)
        #expect(message.targets.map(\.kind) == ["file.command"])
    }

    static func functions(_ path: String) -> [(String, Operation, [String])] {
        DNP3CaptureTests.run(path).messages.filter { $0.functionCode >= 0 }.map {
            ($0.functionName, $0.operation, $0.targets.map(\.kind))
        }
    }

    @Test(.enabled(if: DNP3CaptureHarness.sharedAvailable, "../shared/captures is missing"))
    func fileTransferCapturesAreProgramming() {
        let read = Self.functions("public/iti/dnp3/file_read.pcap")
        #expect(read.map(\.0) == ["open_file", "response", "read", "response", "close_file", "response"])
        #expect(read.map(\.1) == [.program, .program, .read, .read, .program, .program])
        #expect(read[0].2 == ["file.command"] && read[3].2 == ["iin", "file.transport"])
        let write = Self.functions("public/iti/dnp3/file_write.pcap")
        #expect(write.map(\.0) == ["open_file", "response", "write", "response", "close_file", "response"])
        #expect(write[2].1 == .program && write[3].2 == ["iin", "file.transport_status"])
        let delete = Self.functions("public/iti/dnp3/file_delete.pcap")
        #expect(delete.map(\.0) == ["delete_file", "response"] && delete.allSatisfy { $0.1 == .program })
    }

    @Test(.enabled(if: DNP3CaptureHarness.sharedAvailable, "../shared/captures is missing"))
    func coldRestartAndUnsolicitedControlAreControl() throws {
        let restart = DNP3CaptureTests.run("public/iti/dnp3/cold_restart_and_response.pcap").messages
            .filter { $0.functionCode >= 0 }
        #expect(restart.map(\.functionName) == ["cold_restart", "response"])
        #expect(restart.allSatisfy { $0.operation == .control })
        // This outstation does not support it: IIN2 bit 0.
        #expect(restart.last?.status == .exception(code: 1, name: "no_func_code_support"))
        let enable = Self.functions("public/iti/bro/dnp3/dnp3_en_spon.pcap")
        #expect(enable.first?.0 == "enable_unsolicited" && enable.first?.1 == .control)
        #expect(enable.first?.2 == ["class_data", "class_data", "class_data"])
    }
}
