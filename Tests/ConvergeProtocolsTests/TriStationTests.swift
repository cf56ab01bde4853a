import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// TriStation datagrams built from the layout published from the TRITON analyses (Mandiant 2018,
/// Nozomi Networks' TriStation dissector): no public capture carries TriStation and tshark 4.0.17
/// has no dissector, so each value is checked by hand against that layout.
enum TriStationFixtures {
    /// TCM connect request, no data.
    static let connectRequest: [UInt8] = [
        0x01,  // TCM type 1: connect request
        0x00,  // channel
        0x00, 0x00,  // data length 0
        0x12, 0x34,  // CRC-16 (not checked)
    ]

    /// A TCM command message: TriStation header (path, connection id, command, sequence, two
    /// unknown bytes, checksum, length = 10 + data) and `data`, then a CRC.
    static func command(path: UInt8, command: UInt8, sequence: UInt8, data: [UInt8] = []) -> [UInt8] {
        let tsLength = 10 + data.count
        return [
            0x05, 0x00,  // TCM type 5 (command), channel 0
            UInt8(tsLength & 0xFF), UInt8(tsLength >> 8),  // TCM data length
            path, 0x01, command, sequence,  // path, connection id 1, command, sequence
            0x00, 0x00,  // unknown
            0x00, 0x00,  // checksum
            UInt8(tsLength & 0xFF), UInt8(tsLength >> 8),  // TriStation length
        ] + data + [0xAA, 0xBB]  // CRC-16
    }

    /// Get CP status (19) from the workstation.
    static let getCPStatus = command(path: 0, command: 19, sequence: 1)
    /// Its reply (108): datagram byte 21 key switch 1 (program), byte 22 run state 0 (running).
    static let cpStatusRunning = command(
        path: 1, command: 108, sequence: 1,
        data: [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00])  // bytes 14..23
    /// Allocate program (55): id 2, next 0, full chunks 1, offset 0, 4 blocks of program bytes.
    static let allocateProgram = command(
        path: 0, command: 55, sequence: 2,
        data: [0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00]
            + [UInt8](repeating: 0x60, count: 16))
    static let programIsHalted = command(path: 1, command: 110, sequence: 3)
    static let notHalted = command(path: 1, command: 203, sequence: 2)

    static let context = MessageContext(
        time: Timestamp(nanoseconds: 0), flowID: 1,
        client: Endpoint(address: IPAddress(v4: 0x0A00_0001), port: 1502),
        server: Endpoint(address: IPAddress(v4: 0x0A00_0002), port: 1502), direction: .toServer)

    static func parse(_ bytes: [UInt8], _ direction: Direction, state: inout TriStation.State) throws
        -> TriStation.Frame
    {
        let (frame, consumed) = try TriStation.parse(bytes.span, direction: direction, time: .zero, state: &state)
        #expect(consumed == bytes.count)
        return frame
    }

    static func event(_ frame: TriStation.Frame, _ bytes: [UInt8], state: inout TriStation.State) -> Message {
        var context = Self.context
        context.direction = frame.direction
        return TriStation.event(frame, bytes: bytes.span, context: context, state: &state)
    }
}

@Suite struct TriStationTests {
    @Test func connectRequestIsSession() throws {
        var state = TriStation.makeState()
        #expect(TriStation.probe(TriStationFixtures.connectRequest.span, direction: .toServer) == .match)
        let frame = try TriStationFixtures.parse(TriStationFixtures.connectRequest, .toServer, state: &state)
        #expect(frame.type == .connectRequest && !frame.hasFunction)
        let event = TriStationFixtures.event(frame, TriStationFixtures.connectRequest, state: &state)
        #expect(event.functionName == "connect_request" && event.operation == .session && event.status == .pending)
    }

    @Test func statusReplyTracksTheRunningProgram() throws {
        var state = TriStation.makeState()
        let request = try TriStationFixtures.parse(TriStationFixtures.getCPStatus, .toServer, state: &state)
        #expect(request.functionCode == 19 && request.tsLength == 10 && request.anomalies.isEmpty)
        let requestEvent = TriStationFixtures.event(request, TriStationFixtures.getCPStatus, state: &state)
        #expect(requestEvent.operation == .diagnostic)
        let reply = try TriStationFixtures.parse(TriStationFixtures.cpStatusRunning, .toClient, state: &state)
        #expect(reply.functionCode == 108 && reply.keyState == 1 && reply.runState == 0 && state.running == true)
        var context = TriStationFixtures.context
        context.direction = .toClient
        let facts = TriStation.facts(
            reply, bytes: TriStationFixtures.cpStatusRunning.span, context: context, state: state)
        #expect(facts.map(\.value) == ["Triconex", "safety_controller"])
        #expect(facts.allSatisfy { $0.address == context.server.address })
    }

    /// The TRITON path: allocating a program on a controller whose program runs is flagged.
    @Test func allocateProgramToRunningControllerIsFlagged() throws {
        var state = TriStation.makeState()
        _ = try TriStationFixtures.parse(TriStationFixtures.cpStatusRunning, .toClient, state: &state)
        let frame = try TriStationFixtures.parse(TriStationFixtures.allocateProgram, .toServer, state: &state)
        #expect(frame.anomalies == [.programToRunningController])
        let event = TriStationFixtures.event(frame, TriStationFixtures.allocateProgram, state: &state)
        #expect(event.functionName == "allocate_program" && event.operation == .program)
        #expect(event.anomalies == ["tristation.program_to_running_controller"])
        _ = try TriStationFixtures.parse(TriStationFixtures.programIsHalted, .toClient, state: &state)
        #expect(state.running == false)
        let halted = try TriStationFixtures.parse(TriStationFixtures.allocateProgram, .toServer, state: &state)
        #expect(halted.anomalies.isEmpty && state.programChanges == 2)
        var unknown = TriStation.makeState()
        let unknownState = try TriStationFixtures.parse(TriStationFixtures.allocateProgram, .toServer, state: &unknown)
        #expect(unknownState.anomalies.isEmpty)
    }

    @Test func rejectionIsAnException() throws {
        var state = TriStation.makeState()
        let frame = try TriStationFixtures.parse(TriStationFixtures.notHalted, .toClient, state: &state)
        let event = TriStationFixtures.event(frame, TriStationFixtures.notHalted, state: &state)
        #expect(event.status == .exception(code: 203, name: "control_program_not_halted"))
    }

    @Test(arguments: [
        (UInt8(0), "start_download_all", ConvergeModel.Operation.program), (1, "start_download_change", .program),
        (20, "run_program", .control), (21, "halt_program", .control), (65, "upload_program", .program),
        (27, "set_io_point_values", .write), (28, "get_io_point_values", .read),
        (54, "get_module_versions", .discovery), (99, "unknown_99", .other)])
    func commandNames(code: UInt8, name: String, operation: ConvergeModel.Operation) {
        #expect(TriStation.Command.name(code) == name && TriStation.Command.operation(code) == operation)
    }

    @Test func badLengthsAndDirections() throws {
        var state = TriStation.makeState()
        var mismatch = TriStationFixtures.getCPStatus
        mismatch[12] = 0x20  // TriStation length 32 ≠ TCM data length 10
        #expect(try TriStationFixtures.parse(mismatch, .toServer, state: &state).anomalies == [.lengthMismatch])
        #expect(TriStation.probe((TriStationFixtures.getCPStatus + [0]).span, direction: .toServer) == .reject)
        #expect(try TriStationFixtures.parse(TriStationFixtures.getCPStatus + [0], .toServer, state: &state)
            .anomalies == [.trailingBytes])
        #expect(try TriStationFixtures.parse(TriStationFixtures.getCPStatus, .toClient, state: &state)
            .anomalies == [.wrongDirection])
        var unknownType = TriStationFixtures.connectRequest
        unknownType[0] = 0x40
        #expect(TriStation.probe(unknownType.span, direction: .toServer) == .reject)
        #expect(throws: DissectError.self) { try TriStationFixtures.parse(unknownType, .toServer, state: &state) }
        var unknownCommand = TriStationFixtures.getCPStatus
        unknownCommand[6] = 90
        #expect(try TriStationFixtures.parse(unknownCommand, .toServer, state: &state).anomalies == [.unknownCommand])
    }

    @Test(arguments: 0..<TriStationFixtures.allocateProgram.count)
    func truncatedDatagramIsRefused(length: Int) {
        var state = TriStation.makeState()
        let prefix = Array(TriStationFixtures.allocateProgram.prefix(length))
        #expect(TriStation.probe(prefix.span, direction: .toServer) != .match)
        #expect(throws: DissectError.self) {
            try TriStation.parse(prefix.span, direction: .toServer, time: .zero, state: &state)
        }
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x1502)
        var state = TriStation.makeState()
        var parsed = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<80, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 6 {
                bytes[0] = UInt8.random(in: 1...11, using: &generator)
                bytes[2] = UInt8(bytes.count - 6)
                bytes[3] = 0
            }
            let direction: Direction = bytes.count % 2 == 0 ? .toClient : .toServer
            _ = TriStation.probe(bytes.span, direction: direction)
            if let (frame, _) = try? TriStation.parse(bytes.span, direction: direction, time: .zero, state: &state) {
                parsed += 1
                _ = TriStationFixtures.event(frame, bytes, state: &state)
                _ = TriStation.facts(frame, bytes: bytes.span, context: TriStationFixtures.context, state: state)
            }
        }
        #expect(parsed > 100)
    }
}
