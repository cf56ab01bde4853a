import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// MC protocol 3E/4E binary frames, built by hand from the manual (SH-080008): the ITI MELSEC
/// captures carry MELSOFT engineering frames (subheaders 57/D7, 5A/DA), not MC frames.
enum MELSECFixtures {
    /// 3E batch read, word units: D100, 3 points.
    static let batchRead: [UInt8] = [
        0x50, 0x00,  // subheader 3E request
        0x00, 0xFF,  // network 0, PC 0xFF
        0xFF, 0x03,  // module I/O 0x03FF
        0x00,  // station 0
        0x0C, 0x00,  // data length 12
        0x10, 0x00,  // monitoring timer 16 × 250 ms
        0x01, 0x04,  // command 0401 batch read
        0x00, 0x00,  // subcommand 0000 word units
        0x64, 0x00, 0x00,  // head device 100
        0xA8,  // device D
        0x03, 0x00,  // 3 points
    ]
    static let batchReadResponse: [UInt8] = [
        0xD0, 0x00,  // subheader 3E response
        0x00, 0xFF, 0xFF, 0x03, 0x00,  // routing
        0x08, 0x00,  // data length 8
        0x00, 0x00,  // end code 0
        0x34, 0x12, 0x78, 0x56, 0x01, 0x00,  // 0x1234, 0x5678, 1
    ]
    /// 3E batch write, bit units: M10, 4 points 1 0 1 1.
    static let batchWriteBits: [UInt8] = [
        0x50, 0x00, 0x00, 0xFF, 0xFF, 0x03, 0x00,
        0x0E, 0x00,  // data length 14
        0x10, 0x00,  // timer
        0x01, 0x14,  // command 1401 batch write
        0x01, 0x00,  // subcommand 0001 bit units
        0x0A, 0x00, 0x00,  // device 10
        0x90,  // M
        0x04, 0x00,  // 4 points
        0x10, 0x11,  // nibbles 1 0 1 1
    ]
    /// 4E remote stop, serial 0x1234.
    static let remoteStop4E: [UInt8] = [
        0x54, 0x00,  // subheader 4E request
        0x34, 0x12,  // serial
        0x00, 0x00,  // reserved
        0x00, 0xFF, 0xFF, 0x03, 0x00,  // routing
        0x08, 0x00,  // data length 8
        0x10, 0x00,  // timer
        0x02, 0x10,  // command 1002 remote stop
        0x00, 0x00,  // subcommand
        0x01, 0x00,  // mode: do not run forcibly
    ]
    static let remoteStop4EError: [UInt8] = [
        0xD4, 0x00, 0x34, 0x12, 0x00, 0x00,  // 4E response, serial
        0x00, 0xFF, 0xFF, 0x03, 0x00,  // routing
        0x0B, 0x00,  // data length 11
        0x59, 0xC0,  // end code 0xC059
        0x00, 0xFF, 0xFF, 0x03, 0x00, 0x02, 0x10, 0x00, 0x00,  // error information
    ]
    /// Read CPU model and its answer.
    static let readModel: [UInt8] = [
        0x50, 0x00, 0x00, 0xFF, 0xFF, 0x03, 0x00,
        0x06, 0x00,  // data length 6
        0x10, 0x00, 0x01, 0x01, 0x00, 0x00,  // timer, command 0101, subcommand 0000
    ]
    static let readModelResponse: [UInt8] =
        [0xD0, 0x00, 0x00, 0xFF, 0xFF, 0x03, 0x00, 0x14, 0x00, 0x00, 0x00]  // length 20, end code 0
        + Array("Q03UDECPU       ".utf8)  // model name, 16 bytes
        + [0x68, 0x02]  // model code 0x0268

    static let context = MessageContext(
        time: Timestamp(nanoseconds: 0), flowID: 1,
        client: Endpoint(address: IPAddress(v4: 0xC0A8_0312), port: 5001),
        server: Endpoint(address: IPAddress(v4: 0xC0A8_03FA), port: 5007), direction: .toServer)

    static func parse(_ bytes: [UInt8], _ direction: Direction, state: inout MELSEC.State) throws -> MELSEC.Frame {
        let (frame, consumed) = try MELSEC.parse(
            bytes.span, direction: direction, time: Timestamp(nanoseconds: 5), state: &state)
        #expect(consumed == bytes.count)
        return frame
    }

    static func event(_ frame: MELSEC.Frame, _ bytes: [UInt8], state: inout MELSEC.State) -> Message {
        var context = Self.context
        context.direction = frame.direction
        return MELSEC.event(frame, bytes: bytes.span, context: context, state: &state)
    }
}

@Suite struct MELSECTests {
    @Test func batchReadPairsAndCarriesWords() throws {
        var state = MELSEC.makeState()
        #expect(MELSEC.probe(MELSECFixtures.batchRead.span, direction: .toServer) == .match)
        let request = try MELSECFixtures.parse(MELSECFixtures.batchRead, .toServer, state: &state)
        #expect(request.functionCode == 0x0401 && request.moduleIO == 0x03FF && request.pc == 0xFF)
        let requestEvent = MELSECFixtures.event(request, MELSECFixtures.batchRead, state: &state)
        #expect(requestEvent.functionName == "batch_read" && requestEvent.operation == .read)
        #expect(requestEvent.targets == [Message.Target(kind: "d", address: 100, count: 3)])
        let response = try MELSECFixtures.parse(MELSECFixtures.batchReadResponse, .toClient, state: &state)
        #expect(response.functionCode == 0x0401 && response.hasFunction && response.anomalies.isEmpty)
        let event = MELSECFixtures.event(response, MELSECFixtures.batchReadResponse, state: &state)
        #expect(event.status == .ok)
        #expect(event.targets == [Message.Target(kind: "d", address: 100, count: 3, values: [0x1234, 0x5678, 1])])
    }

    @Test func batchWriteInBitUnits() throws {
        var state = MELSEC.makeState()
        let frame = try MELSECFixtures.parse(MELSECFixtures.batchWriteBits, .toServer, state: &state)
        let event = MELSECFixtures.event(frame, MELSECFixtures.batchWriteBits, state: &state)
        #expect(event.operation == .write && event.functionCode == 0x1401)
        #expect(event.targets == [Message.Target(kind: "m", address: 10, count: 4, values: [1, 0, 1, 1])])
    }

    @Test func remoteStop4EPairsBySerialWithEndCode() throws {
        var state = MELSEC.makeState()
        let request = try MELSECFixtures.parse(MELSECFixtures.remoteStop4E, .toServer, state: &state)
        #expect(request.kind == .request4E && request.serial == 0x1234)
        #expect(MELSECFixtures.event(request, MELSECFixtures.remoteStop4E, state: &state).operation == .control)
        let response = try MELSECFixtures.parse(MELSECFixtures.remoteStop4EError, .toClient, state: &state)
        let event = MELSECFixtures.event(response, MELSECFixtures.remoteStop4EError, state: &state)
        #expect(event.functionName == "remote_stop")
        #expect(event.status == .exception(code: 0xC059, name: "end_code_0xc059"))
    }

    @Test func readCPUModelGivesModelFact() throws {
        var state = MELSEC.makeState()
        _ = try MELSECFixtures.parse(MELSECFixtures.readModel, .toServer, state: &state)
        let response = try MELSECFixtures.parse(MELSECFixtures.readModelResponse, .toClient, state: &state)
        var context = MELSECFixtures.context
        context.direction = .toClient
        let facts = MELSEC.facts(response, bytes: MELSECFixtures.readModelResponse.span, context: context, state: state)
        #expect(facts.map(\.value) == ["Q03UDECPU"] && facts.first?.kind == .model)
        #expect(MELSECFixtures.event(response, MELSECFixtures.readModelResponse, state: &state).operation == .discovery)
    }

    @Test(arguments: [
        (UInt16(0x1001), "remote_run", ConvergeModel.Operation.control), (0x1003, "remote_pause", .control),
        (0x1006, "remote_reset", .control), (0x0101, "read_cpu_model", .discovery), (0x1829, "file_write", .program)])
    func commandNames(code: UInt16, name: String, operation: ConvergeModel.Operation) {
        #expect(MELSEC.Command.name(code) == name && MELSEC.Command.operation(code) == operation)
    }

    @Test func unknownCommandUnsolicitedAndBadLengths() throws {
        var state = MELSEC.makeState()
        var bytes = MELSECFixtures.readModel
        bytes[11] = 0x77
        #expect(try MELSECFixtures.parse(bytes, .toServer, state: &state).anomalies.contains(.unknownCommand))
        var fresh = MELSEC.makeState()
        let orphan = try MELSECFixtures.parse(MELSECFixtures.batchReadResponse, .toClient, state: &fresh)
        #expect(orphan.anomalies == [.unsolicitedResponse] && !orphan.hasFunction)
        var short = MELSECFixtures.readModel
        short[7] = 2  // data length 2 < 6
        #expect(throws: DissectError.self) { try MELSECFixtures.parse(short, .toServer, state: &state) }
        short[7] = 0xFF
        short[8] = 0xFF  // 65535 > maxDataLength
        #expect(throws: DissectError.self) { try MELSECFixtures.parse(short, .toServer, state: &state) }
        // MELSOFT engineering frames from the ITI captures are not MC protocol.
        let melsoft: [UInt8] = [0x57, 0x00, 0x00, 0x00, 0x00, 0x11, 0x11, 0x07, 0x00, 0x00, 0xFF, 0xFF]
        #expect(MELSEC.probe(melsoft.span, direction: .toServer) == .reject)
        #expect(MELSEC.probe(MELSECFixtures.batchRead.span, direction: .toClient) == .reject)
    }

    @Test(arguments: 0..<MELSECFixtures.remoteStop4E.count)
    func truncatedFrameAsksForMore(length: Int) {
        var state = MELSEC.makeState()
        #expect(throws: DissectError.self) {
            try MELSEC.parse(
                Array(MELSECFixtures.remoteStop4E.prefix(length)).span, direction: .toServer,
                time: Timestamp(nanoseconds: 0), state: &state)
        }
    }

    @Test func twoFramesInOneSegment() throws {
        let stream = MELSECFixtures.batchRead + MELSECFixtures.readModel
        var state = MELSEC.makeState()
        let time = Timestamp(nanoseconds: 0)
        let (first, used) = try MELSEC.parse(stream.span, direction: .toServer, time: time, state: &state)
        let rest = Array(stream[used...])
        let (second, _) = try MELSEC.parse(rest.span, direction: .toServer, time: time, state: &state)
        #expect(first.functionCode == 0x0401 && second.functionCode == 0x0101)
        #expect(MELSEC.resynchronize(([1, 2] + MELSECFixtures.readModel).span, direction: .toServer) == 2)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x3E_4E)
        var state = MELSEC.makeState()
        var parsed = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<64, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 13 {
                bytes[0] = [0x50, 0xD0, 0x54, 0xD4][Int.random(in: 0..<4, using: &generator)]
                bytes[1] = 0
                let lengthOffset = bytes[0] & 0x04 != 0 ? 11 : 7
                bytes[lengthOffset] = UInt8(max(0, bytes.count - lengthOffset - 2) & 0xFF)
                bytes[lengthOffset + 1] = 0
            }
            let direction: Direction = bytes.first.map { $0 & 0x80 != 0 } == true ? .toClient : .toServer
            _ = MELSEC.probe(bytes.span, direction: direction)
            _ = MELSEC.resynchronize(bytes.span, direction: direction)
            if let (frame, _) = try? MELSEC.parse(
                bytes.span, direction: direction, time: Timestamp(nanoseconds: 0), state: &state)
            {
                parsed += 1
                _ = MELSECFixtures.event(frame, bytes, state: &state)
                _ = MELSEC.facts(frame, bytes: bytes.span, context: MELSECFixtures.context, state: state)
            }
        }
        #expect(parsed > 100)
        #expect(state.pending.count <= MELSEC.pendingCapacity)
    }

    /// The ITI MELSEC captures hold MELSOFT frames only: no flow may be taken for MC protocol.
    @Test func itiCapturesAreNotMCProtocol() throws {
        guard let path = ITStreamRunner.shared("public/iti/MELSEC/melsoft_129_clean.pcap") else {
            print("MELSECTests: ../shared/captures missing, capture check skipped")
            return
        }
        let result = ITStreamRunner.run(MELSEC.self, path: path, ports: [5562])
        #expect(result.parsed == 0 && result.malformed == 0 && result.functions.isEmpty)
    }
}

@Suite struct MELSECUDPTests {
    @Test func datagramParsesAsOverTCP() throws {
        var state = MELSECUDP.makeState()
        let bytes = MELSECFixtures.batchRead
        #expect(MELSECUDP.probe(bytes.span, direction: .toServer) == .match)
        let (frame, consumed) = try MELSECUDP.parse(
            bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
        #expect(consumed == bytes.count && frame.functionCode == 0x0401)
        let event = MELSECUDP.event(frame, bytes: bytes.span, context: MELSECFixtures.context, state: &state)
        #expect(event.proto == "melsec_udp" && event.targets.first?.kind == "d")
    }
}
