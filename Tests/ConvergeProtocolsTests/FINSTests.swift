import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// FINS frames, byte-commented. Header: ICF RSV GCT DNA DA1 DA2 SNA SA1 SA2 SID, then MRC SRC.
enum FINSFixtures {
    /// Controller Data Read command from omron_test.pcap frame 17.
    static let controllerDataRead: [UInt8] = [
        0x80, 0x00, 0x02,  // ICF command, response required; RSV; GCT 2
        0x00, 0x00, 0x00,  // DNA DA1 DA2
        0x00, 0x63, 0x00,  // SNA SA1 0x63 SA2
        0xEF,  // SID
        0x05, 0x01,  // 0501 controller data read
        0x00,  // read model and version
    ]
    /// Its response (frame 18, first 54 bytes: the end code, model and version fields).
    static let controllerDataResponse: [UInt8] =
        [
            0xC0, 0x00, 0x02,  // ICF response
            0x00, 0x63, 0x00, 0x00, 0xC8, 0x00,  // DNA DA1 DA2 SNA SA1 SA2
            0xEF,  // SID
            0x05, 0x01,  // 0501
            0x00, 0x00,  // end code: normal completion
        ] + Array("CP1L-EL20DR-D".utf8) + [UInt8](repeating: 0, count: 7)  // model, 20 bytes
        + Array("    01.00".utf8) + [UInt8](repeating: 0, count: 11)  // version, 20 bytes

    /// Memory area read: DM word 100, 2 words.
    static let memoryRead: [UInt8] = [
        0x80, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x0A, 0x00,  // header to SA2
        0x11,  // SID
        0x01, 0x01,  // 0101 memory area read
        0x82,  // area: DM word
        0x00, 0x64, 0x00,  // word 100, bit 0
        0x00, 0x02,  // 2 items
    ]
    static let memoryReadResponse: [UInt8] = [
        0xC0, 0x00, 0x02, 0x00, 0x0A, 0x00, 0x00, 0x01, 0x00,  // header to SA2
        0x11,  // SID
        0x01, 0x01,  // 0101
        0x00, 0x00,  // normal completion
        0x12, 0x34, 0x56, 0x78,  // two words
    ]
    /// Memory area write: CIO word 10, 1 word 0x00FF.
    static let memoryWrite: [UInt8] = [
        0x80, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x0A, 0x00,
        0x12,  // SID
        0x01, 0x02,  // 0102 memory area write
        0xB0, 0x00, 0x0A, 0x00,  // CIO word 10, bit 0
        0x00, 0x01,  // 1 item
        0x00, 0xFF,  // value
    ]
    /// Run (monitor mode) and a refusal.
    static let run: [UInt8] = [
        0x80, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x0A, 0x00,
        0x13,  // SID
        0x04, 0x01,  // 0401 run
        0xFF, 0xFF, 0x02,  // program number, monitor mode
    ]
    static let runRefused: [UInt8] = [
        0xC0, 0x00, 0x02, 0x00, 0x0A, 0x00, 0x00, 0x01, 0x00,
        0x13,  // SID
        0x04, 0x01,  // 0401
        0x22, 0x03,  // not executable in the current mode
    ]
    /// Program area read: program 0xFFFF, word 0, 0x0190 bytes.
    static let programRead: [UInt8] = [
        0x80, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x0A, 0x00,
        0x14,  // SID
        0x03, 0x06,  // 0306 program area read
        0xFF, 0xFF,  // program number
        0x00, 0x00, 0x00, 0x00,  // beginning word
        0x01, 0x90,  // 400 bytes
    ]

    /// FINS/TCP header around a FINS frame (command 2, frame send).
    static func tcp(_ frame: [UInt8]) -> [UInt8] {
        let length = UInt32(8 + frame.count)
        return Array("FINS".utf8) + withUnsafeBytes(of: length.bigEndian, Array.init)
            + [0, 0, 0, 2] + [0, 0, 0, 0] + frame
    }
    /// Node address data send, server to client (omron_test.pcap frame 7).
    static let nodeAddressServer: [UInt8] = [
        0x46, 0x49, 0x4E, 0x53,  // FINS
        0x00, 0x00, 0x00, 0x10,  // length 16
        0x00, 0x00, 0x00, 0x01,  // command 1: node address data send (server to client)
        0x00, 0x00, 0x00, 0x00,  // error code
        0x00, 0x00, 0x00, 0xFB,  // client node 251
        0x00, 0x00, 0x00, 0xC8,  // server node 200
    ]

    static let context = MessageContext(
        time: Timestamp(nanoseconds: 0), flowID: 1,
        client: Endpoint(address: IPAddress(v4: 0x0A01_01AD), port: 54855),
        server: Endpoint(address: IPAddress(v4: 0x0A01_01A4), port: 9600), direction: .toServer)

    static func udp(_ bytes: [UInt8], state: inout FINS.State, direction: Direction = .toServer) throws -> FINS.Frame {
        try bytes.withUnsafeBufferPointer { buffer in
            try FINS.parse(buffer.span, direction: direction, time: Timestamp(nanoseconds: 1), state: &state).message
        }
    }

    static func event(_ frame: FINS.Frame, _ bytes: [UInt8], state: inout FINS.State) -> Message {
        var context = Self.context
        context.direction = frame.direction
        return FINS.event(frame, bytes: bytes.span, context: context, state: &state)
    }
}

@Suite struct FINSFrameTests {
    @Test func controllerDataReadAndFacts() throws {
        var state = FINS.makeState()
        let request = try FINSFixtures.udp(FINSFixtures.controllerDataRead, state: &state)
        #expect(request.functionCode == 0x0501)
        #expect(request.serviceID == 0xEF && request.sourceNode == 0x63 && request.gatewayCount == 2)
        #expect(!request.isResponse && request.anomalies.isEmpty)
        let event = FINSFixtures.event(request, FINSFixtures.controllerDataRead, state: &state)
        #expect(event.functionName == "controller_data_read" && event.operation == .discovery)
        #expect(event.status == .pending)

        let responseBytes = FINSFixtures.controllerDataResponse
        let response = try FINSFixtures.udp(responseBytes, state: &state, direction: .toClient)
        #expect(response.isResponse && response.endCode == 0 && response.request?.command == 0x0501)
        #expect(response.anomalies.isEmpty)
        var context = FINSFixtures.context
        context.direction = .toClient
        let facts = FINS.facts(response, bytes: responseBytes.span, context: context, state: state)
        #expect(facts.map(\.kind) == [.model, .firmware])
        #expect(facts.map(\.value) == ["CP1L-EL20DR-D", "01.00"])
        #expect(facts.allSatisfy { $0.address == context.server.address && $0.source == "fins/0501" })
    }

    @Test func memoryReadPairsAndCarriesValues() throws {
        var state = FINS.makeState()
        let request = try FINSFixtures.udp(FINSFixtures.memoryRead, state: &state)
        let requestEvent = FINSFixtures.event(request, FINSFixtures.memoryRead, state: &state)
        #expect(requestEvent.operation == .read && requestEvent.functionName == "memory_area_read")
        #expect(requestEvent.targets == [Message.Target(kind: "dm_word", address: 100 << 8, count: 2)])
        let response = try FINSFixtures.udp(FINSFixtures.memoryReadResponse, state: &state, direction: .toClient)
        let event = FINSFixtures.event(response, FINSFixtures.memoryReadResponse, state: &state)
        #expect(event.status == .ok && event.roundTripNanoseconds == 0)
        let expected = Message.Target(kind: "dm_word", address: 100 << 8, count: 2, values: [0x1234, 0x5678])
        #expect(event.targets == [expected])
        #expect(state.pending.count == 0)
    }

    @Test func memoryWriteTargets() throws {
        var state = FINS.makeState()
        let frame = try FINSFixtures.udp(FINSFixtures.memoryWrite, state: &state)
        let event = FINSFixtures.event(frame, FINSFixtures.memoryWrite, state: &state)
        #expect(event.operation == .write && event.functionCode == 0x0102)
        #expect(event.targets == [Message.Target(kind: "cio_word", address: 10 << 8, count: 1, values: [0xFF])])
    }

    @Test func runRefusedIsControlWithEndCode() throws {
        var state = FINS.makeState()
        let request = try FINSFixtures.udp(FINSFixtures.run, state: &state)
        #expect(FINSFixtures.event(request, FINSFixtures.run, state: &state).operation == .control)
        let response = try FINSFixtures.udp(FINSFixtures.runRefused, state: &state, direction: .toClient)
        let event = FINSFixtures.event(response, FINSFixtures.runRefused, state: &state)
        #expect(event.functionName == "run")
        #expect(event.status == .exception(code: 0x2203, name: "not_executable_in_mode"))
    }

    @Test func programAreaReadIsProgram() throws {
        var state = FINS.makeState()
        let frame = try FINSFixtures.udp(FINSFixtures.programRead, state: &state)
        let event = FINSFixtures.event(frame, FINSFixtures.programRead, state: &state)
        #expect(event.operation == .program && event.functionName == "program_area_read")
        #expect(event.targets == [Message.Target(kind: "program_area", address: 0, count: 400, name: "65535")])
    }

    @Test(arguments: [
        (UInt16(0x0402), "stop", ConvergeModel.Operation.control), (0x0601, "controller_status_read", .diagnostic),
        (0x2101, "error_clear", .control), (0x0701, "clock_read", .read), (0x0702, "clock_write", .write),
        (0x0307, "program_area_write", .program), (0x2203, "single_file_write", .program),
        (0x2215, "directory_create_delete", .program), (0x0104, "multiple_memory_area_read", .read),
    ])
    func commandNames(code: UInt16, name: String, operation: ConvergeModel.Operation) {
        #expect(FINS.Command.name(code) == name)
        #expect(FINS.Command.operation(code) == operation)
    }

    @Test func unknownCommandAndUnsolicitedResponse() throws {
        var state = FINS.makeState()
        var bytes = FINSFixtures.run
        bytes[10] = 0x7E  // MRC 0x7E: not defined
        let frame = try FINSFixtures.udp(bytes, state: &state)
        #expect(frame.anomalies.contains(.unknownCommand))
        let event = FINSFixtures.event(frame, bytes, state: &state)
        #expect(event.functionName == "unknown_0x7e01" && event.operation == .other)
        #expect(FINS.probe(bytes.span, direction: .toServer) == .reject)
        var fresh = FINS.makeState()
        let response = try FINSFixtures.udp(FINSFixtures.runRefused, state: &fresh, direction: .toClient)
        #expect(response.anomalies == [.unsolicitedResponse])
    }

    @Test func responseWithoutEndCodeAndBadHeader() throws {
        var state = FINS.makeState()
        let frame = try FINSFixtures.udp(Array(FINSFixtures.runRefused.prefix(12)), state: &state)
        #expect(frame.anomalies.contains(.invalidLength) && !frame.hasEndCode)
        var bytes = FINSFixtures.run
        bytes[1] = 0x01  // RSV set
        #expect(try FINSFixtures.udp(bytes, state: &state).anomalies.contains(.invalidHeader))
        #expect(FINS.probe(bytes.span, direction: .toServer) == .reject)
        #expect(FINS.probe(FINSFixtures.run.span, direction: .toServer) == .match)
    }

    @Test func oversizeDatagramIsMalformed() {
        var state = FINS.makeState()
        let bytes = FINSFixtures.memoryWrite + [UInt8](repeating: 0, count: FINS.maxFrameLength)
        #expect(throws: DissectError.self) { try FINSFixtures.udp(bytes, state: &state) }
    }

    @Test(arguments: 0..<FINS.minFrameLength)
    func truncatedDatagramThrows(length: Int) {
        var state = FINS.makeState()
        #expect(throws: DissectError.self) {
            try FINSFixtures.udp(Array(FINSFixtures.memoryWrite.prefix(length)), state: &state)
        }
    }

    /// Every prefix long enough to hold a command parses without trapping; targets never claim
    /// values the bytes do not hold.
    @Test(arguments: FINS.minFrameLength..<FINSFixtures.memoryWrite.count)
    func shortBodiesParse(length: Int) throws {
        var state = FINS.makeState()
        let bytes = Array(FINSFixtures.memoryWrite.prefix(length))
        let frame = try FINSFixtures.udp(bytes, state: &state)
        let event = FINSFixtures.event(frame, bytes, state: &state)
        #expect(event.targets.allSatisfy { $0.values.isEmpty })
    }

    @Test func pendingTableStaysBounded() throws {
        var state = FINS.makeState()
        for sid in 0...255 {
            var bytes = FINSFixtures.memoryRead
            bytes[9] = UInt8(sid)
            _ = try FINSFixtures.udp(bytes, state: &state)
        }
        #expect(state.pending.count == FINS.pendingCapacity)
        #expect(state.pendingOverflows > 0)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0xF1_5600)
        var state = FINS.makeState()
        var tcpState = FINSTCP.makeState()
        var parsed = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<80, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator), bytes.count >= 12 { bytes[0] &= 0xC1; bytes[1] = 0; bytes[2] = 2 }
            let direction: Direction = Bool.random(using: &generator) ? .toServer : .toClient
            _ = FINS.probe(bytes.span, direction: direction)
            if let frame = try? FINSFixtures.udp(bytes, state: &state, direction: direction) {
                parsed += 1
                _ = FINSFixtures.event(frame, bytes, state: &state)
                _ = FINS.facts(frame, bytes: bytes.span, context: FINSFixtures.context, state: state)
            }
            let wrapped = FINSFixtures.tcp(bytes)
            if let (frame, _) = try? FINSTCP.parse(
                wrapped.span, direction: direction, time: Timestamp(nanoseconds: 0), state: &tcpState)
            {
                _ = FINSTCP.event(frame, bytes: wrapped.span, context: FINSFixtures.context, state: &tcpState)
            }
            _ = FINSTCP.resynchronize(bytes.span, direction: direction)
        }
        #expect(parsed > 100)
        #expect(state.pending.count <= FINS.pendingCapacity)
    }
}

@Suite struct FINSTCPTests {
    @Test func frameSendCarriesTheFrame() throws {
        var state = FINSTCP.makeState()
        let bytes = FINSFixtures.tcp(FINSFixtures.memoryRead)
        #expect(FINSTCP.probe(bytes.span, direction: .toServer) == .match)
        let (frame, consumed) = try FINSTCP.parse(
            bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
        #expect(consumed == bytes.count && frame.functionCode == 0x0101 && frame.hasFunction)
        #expect(frame.frameOffset == 16 && frame.tcpCommand == 2)
        let event = FINSTCP.event(frame, bytes: bytes.span, context: FINSFixtures.context, state: &state)
        #expect(event.proto == "fins_tcp")
        #expect(event.targets == [Message.Target(kind: "dm_word", address: 100 << 8, count: 2)])
    }

    @Test func nodeAddressExchangeIsSession() throws {
        var state = FINSTCP.makeState()
        let bytes = FINSFixtures.nodeAddressServer
        let (frame, consumed) = try FINSTCP.parse(
            bytes.span, direction: .toClient, time: Timestamp(nanoseconds: 0), state: &state)
        #expect(consumed == 24 && !frame.hasFunction && frame.tcpCommand == 1)
        let event = FINSTCP.event(frame, bytes: bytes.span, context: FINSFixtures.context, state: &state)
        #expect(event.functionName == "node_address_data_send_server" && event.operation == .session)
    }

    @Test func twoMessagesInOneSegmentAndDripped() throws {
        let stream = FINSFixtures.tcp(FINSFixtures.controllerDataRead) + FINSFixtures.tcp(FINSFixtures.memoryRead)
        var state = FINSTCP.makeState()
        var offset = 0
        var codes: [Int] = []
        while offset < stream.count {
            let rest = Array(stream[offset...])
            let (frame, consumed) = try FINSTCP.parse(
                rest.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
            codes.append(frame.functionCode)
            offset += consumed
        }
        #expect(codes == [0x0501, 0x0101])
        // Dripped: every prefix of the first message asks for more.
        let first = FINSFixtures.tcp(FINSFixtures.controllerDataRead)
        for length in 0..<first.count {
            var fresh = FINSTCP.makeState()
            #expect(throws: DissectError.self) {
                try FINSTCP.parse(
                    Array(first.prefix(length)).span, direction: .toServer, time: Timestamp(nanoseconds: 0),
                    state: &fresh)
            }
            if length >= 4 { #expect(FINSTCP.probe(Array(first.prefix(length)).span, direction: .toServer) != .reject) }
        }
    }

    @Test func badLengthsAndMagic() throws {
        var state = FINSTCP.makeState()
        var bytes = FINSFixtures.tcp(FINSFixtures.memoryRead)
        bytes[7] = 4  // length 4 < 8
        #expect(throws: DissectError.malformed("fins_tcp: length field 4 outside 8...4104")) {
            try FINSTCP.parse(bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
        }
        bytes[4] = 0x7F  // huge
        #expect(throws: DissectError.self) {
            try FINSTCP.parse(bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
        }
        var short = FINSFixtures.tcp(Array(FINSFixtures.memoryRead.prefix(8)))
        let (frame, _) = try FINSTCP.parse(
            short.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
        #expect(frame.anomalies.contains(.invalidLength) && !frame.hasFunction)
        short[0] = 0x47
        #expect(FINSTCP.probe(short.span, direction: .toServer) == .reject)
        #expect(FINSTCP.resynchronize(([0, 1, 2] + FINSFixtures.nodeAddressServer).span, direction: .toClient) == 3)
    }
}

@Suite struct FINSCaptureTests {
    static let capture = ITUDPCaptureHarness.fixtures("fins").appendingPathComponent("omron_test.pcap")
    static let golden = ITUDPCaptureHarness.fixtures("fins").appendingPathComponent("omron_test.golden")

    /// `udp|tcp messages n` and `udp|tcp function code n` lines.
    static func golden(_ transport: String) throws -> (messages: Int, functions: [Int: Int]) {
        let text = try String(contentsOf: golden, encoding: .utf8)
        var messages = 0
        var functions: [Int: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix(transport + " ") {
            let fields = line.split(separator: " ")
            if fields.count == 3, fields[1] == "messages", let n = Int(fields[2]) { messages = n }
            if fields.count == 4, let code = Int(fields[2]), let n = Int(fields[3]) { functions[code] = n }
        }
        return (messages, functions)
    }

    @Test func udpCountsMatchTshark() throws {
        let expected = try Self.golden("udp")
        let result = ITUDPCaptureHarness.run(FINS.self, url: Self.capture, ports: [9600])
        #expect(result.messages == expected.messages && result.malformed == 0)
        #expect(result.functions == expected.functions)
        #expect(result.facts.map(\.value) == ["CP1L-EL20DR-D", "01.00"])
    }

    @Test func tcpCountsMatchTshark() throws {
        let expected = try Self.golden("tcp")
        let result = ITStreamRunner.run(FINSTCP.self, path: Self.capture.path, ports: [9600])
        #expect(result.parsed == expected.messages && result.malformed == 0)
        #expect(result.functions == expected.functions)
        #expect(result.facts.map(\.value) == ["CP1L-EL20DR-D", "01.00"])
    }
}
