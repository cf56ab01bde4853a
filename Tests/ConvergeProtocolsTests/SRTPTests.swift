import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// GE SRTP messages built from the published layout (DFRWS 2017 SRTP paper, Table 1 and 4; the
/// public SRTP clients): tshark 4.0.17 has no SRTP dissector and no public capture carries SRTP,
/// so every value below is checked by hand against that layout.
enum SRTPFixtures {
    /// The client's init: 56 zero bytes.
    static let initialize = [UInt8](repeating: 0, count: 56)

    /// The PLC's init ack: packet type 1, byte 8 = 0x0F, otherwise zero.
    static let initializeAck: [UInt8] =
        [0x01] + [UInt8](repeating: 0, count: 7) + [0x0F] + [UInt8](repeating: 0, count: 47)

    /// Read System Memory %R1..%R4 (index 0, 4 words), short request, sequence 2.
    static let readRegisters: [UInt8] = [
        0x02, 0x00,  // 0: packet type 2 (request), reserved
        0x02, 0x00,  // 2: sequence 2
        0x00, 0x00,  // 4: text length 0
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,  // 6..13 (byte 9 = 1 in short requests)
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,  // 14..21 (byte 17 = 1)
        0x00, 0x00, 0x00, 0x00,  // 22..25
        0x00, 0x00, 0x00, 0x00,  // 26..29: time (s, min, h), reserved
        0x02,  // 30: mailbox sequence 2
        0xC0,  // 31: mailbox type C0 (short request)
        0x00, 0x00, 0x00, 0x00,  // 32: mailbox source
        0x10, 0x0E, 0x00, 0x00,  // 36: mailbox destination (CPU slot 1)
        0x01, 0x01,  // 40: packet 1 of 1
        0x04,  // 42: service 04 read system memory
        0x08,  // 43: segment selector 08 (%R, words)
        0x00, 0x00,  // 44: index 0 (%R1)
        0x04, 0x00,  // 46: count 4 words
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 48..55
    ]

    /// A message of `type` with `mailbox` type, mailbox sequence `sequence`, bytes 42–55 from
    /// `tail` (14 bytes) and `text` after the header (its length in bytes 4–5).
    static func message(type: UInt8, sequence: UInt8, mailbox: UInt8, tail: [UInt8], text: [UInt8] = []) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 56)
        bytes[0] = type
        bytes[2] = sequence
        bytes[4] = UInt8(text.count & 0xFF)
        bytes[5] = UInt8(text.count >> 8)
        bytes[30] = sequence
        bytes[31] = mailbox
        bytes[36] = 0x10
        bytes[37] = 0x0E
        bytes[40] = 1
        bytes[41] = 1
        for (offset, byte) in tail.prefix(14).enumerated() { bytes[42 + offset] = byte }
        return bytes + text
    }

    /// The read's answer: ACK with text (94), service echoed at 50, 8 bytes of data.
    static let readRegistersAck = message(
        type: 0x03, sequence: 2, mailbox: 0x94,
        tail: [0x00, 0x00, 0, 0, 0, 0, 0x01, 0x01, 0x04, 0x08, 0, 0, 0, 0],  // 42 status ok, 50 service 04, 51 %R
        text: [0x34, 0x12, 0x78, 0x56, 0x00, 0x00, 0x01, 0x00])

    /// PLC short status, answered by a short ACK with the piggyback status.
    static let shortStatus = message(type: 0x02, sequence: 3, mailbox: 0xC0, tail: [0x00])
    static let shortStatusAck = message(
        type: 0x03, sequence: 3, mailbox: 0xD4,
        tail: [0x00, 0x00, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 0x0A, 0x00, 0x04, 0x00])  // prog 1, priv 2, sweep 10 ms

    /// Return Controller Type and ID, and its answer: service at +8, device indicator +9, PLC name +12.
    static let controllerType = message(type: 0x02, sequence: 4, mailbox: 0xC0, tail: [0x43])
    static let controllerTypeAck = message(
        type: 0x03, sequence: 4, mailbox: 0x94, tail: [0x00, 0x00, 0, 0, 0, 0, 0x01, 0x01, 0x43, 0x00],
        text: [0, 0, 0, 0, 0, 0, 0, 0, 0x43, 0x10, 0x00, 0x00] + Array("PLANT_A1".utf8) + [0, 0, 0, 0])

    /// Set PLC state (run/stop), refused by an error NACK major 0x02 (privilege) minor 0x01.
    static let setPLCState = message(type: 0x02, sequence: 5, mailbox: 0xC0, tail: [0x23, 0x00, 0x02, 0x00])
    static let setPLCStateNack = message(type: 0x03, sequence: 5, mailbox: 0xD1, tail: [0x02, 0x01])

    /// Program load (download to the PLC) as a request with text: service at 50.
    static let programLoad = message(
        type: 0x02, sequence: 6, mailbox: 0x80, tail: [0, 0, 0, 0, 0, 0, 0x01, 0x01, 0x40, 0x00, 0, 0, 0x10, 0x00],
        text: [UInt8](repeating: 0xAB, count: 16))

    static let context = MessageContext(
        time: Timestamp(nanoseconds: 0), flowID: 1,
        client: Endpoint(address: IPAddress(v4: 0xC0A8_0102), port: 50000),
        server: Endpoint(address: IPAddress(v4: 0xC0A8_0103), port: 18245), direction: .toServer)

    static func parse(_ bytes: [UInt8], _ direction: Direction, state: inout SRTP.State) throws -> SRTP.Frame {
        let (frame, consumed) = try SRTP.parse(bytes.span, direction: direction, time: .zero, state: &state)
        #expect(consumed == bytes.count)
        return frame
    }

    static func event(_ frame: SRTP.Frame, _ bytes: [UInt8], state: inout SRTP.State) -> Message {
        var context = Self.context
        context.direction = frame.direction
        return SRTP.event(frame, bytes: bytes.span, context: context, state: &state)
    }
}

@Suite struct SRTPTests {
    @Test func initHandshakeIsSession() throws {
        var state = SRTP.makeState()
        #expect(SRTP.probe(SRTPFixtures.initialize.span, direction: .toServer) == .match)
        #expect(SRTP.probe(SRTPFixtures.initializeAck.span, direction: .toClient) == .match)
        #expect(SRTP.probe(SRTPFixtures.initializeAck.span, direction: .toServer) == .reject)
        let request = try SRTPFixtures.parse(SRTPFixtures.initialize, .toServer, state: &state)
        #expect(request.type == .initialize && !request.hasFunction)
        let event = SRTPFixtures.event(request, SRTPFixtures.initialize, state: &state)
        #expect(event.functionName == "init" && event.operation == .session)
        let ack = try SRTPFixtures.parse(SRTPFixtures.initializeAck, .toClient, state: &state)
        #expect(SRTPFixtures.event(ack, SRTPFixtures.initializeAck, state: &state).functionName == "init_ack")
    }

    @Test func readSystemMemoryPairsByMailboxSequence() throws {
        var state = SRTP.makeState()
        #expect(SRTP.probe(SRTPFixtures.readRegisters.span, direction: .toServer) == .match)
        let request = try SRTPFixtures.parse(SRTPFixtures.readRegisters, .toServer, state: &state)
        #expect(request.functionCode == 0x04 && request.selector == 0x08 && request.count == 4)
        let event = SRTPFixtures.event(request, SRTPFixtures.readRegisters, state: &state)
        #expect(event.functionName == "read_system_memory" && event.operation == .read && event.status == .pending)
        #expect(event.targets == [Message.Target(kind: "r", address: 0, count: 4)])
        let ack = try SRTPFixtures.parse(SRTPFixtures.readRegistersAck, .toClient, state: &state)
        #expect(ack.functionCode == 0x04 && ack.textLength == 8 && ack.anomalies.isEmpty && ack.request != nil)
        let answer = SRTPFixtures.event(ack, SRTPFixtures.readRegistersAck, state: &state)
        #expect(answer.status == .ok && answer.targets == [Message.Target(kind: "r", address: 0, count: 4)])
        #expect(state.pending.count == 0)
    }

    @Test func shortAckTakesItsServiceFromTheRequest() throws {
        var state = SRTP.makeState()
        _ = try SRTPFixtures.parse(SRTPFixtures.shortStatus, .toServer, state: &state)
        let ack = try SRTPFixtures.parse(SRTPFixtures.shortStatusAck, .toClient, state: &state)
        #expect(ack.hasFunction && ack.functionCode == 0x00)
        #expect(ack.piggyback == SRTP.Piggyback(controlProgram: 1, privilegeLevel: 2, lastSweep: 10, statusWord: 4))
        #expect(SRTPFixtures.event(ack, SRTPFixtures.shortStatusAck, state: &state).operation == .diagnostic)
        var fresh = SRTP.makeState()
        let orphan = try SRTPFixtures.parse(SRTPFixtures.shortStatusAck, .toClient, state: &fresh)
        #expect(!orphan.hasFunction && orphan.anomalies == [.unsolicitedResponse])
    }

    @Test func controllerTypeGivesThePLCName() throws {
        var state = SRTP.makeState()
        let request = try SRTPFixtures.parse(SRTPFixtures.controllerType, .toServer, state: &state)
        #expect(SRTPFixtures.event(request, SRTPFixtures.controllerType, state: &state).operation == .discovery)
        let ack = try SRTPFixtures.parse(SRTPFixtures.controllerTypeAck, .toClient, state: &state)
        var context = SRTPFixtures.context
        context.direction = .toClient
        let facts = SRTP.facts(ack, bytes: SRTPFixtures.controllerTypeAck.span, context: context, state: state)
        #expect(facts.map(\.value) == ["PLANT_A1"] && facts.first?.kind == .moduleName)
        #expect(facts.first?.address == context.server.address)
    }

    @Test func setPLCStateRefusedIsAnException() throws {
        var state = SRTP.makeState()
        let request = try SRTPFixtures.parse(SRTPFixtures.setPLCState, .toServer, state: &state)
        #expect(SRTPFixtures.event(request, SRTPFixtures.setPLCState, state: &state).operation == .control)
        let nack = try SRTPFixtures.parse(SRTPFixtures.setPLCStateNack, .toClient, state: &state)
        let event = SRTPFixtures.event(nack, SRTPFixtures.setPLCStateNack, state: &state)
        #expect(event.functionName == "set_plc_state")
        #expect(event.status == .exception(code: 0x0201, name: "major_0x02_minor_0x01"))
    }

    @Test func programLoadWithTextIsProgram() throws {
        var state = SRTP.makeState()
        let frame = try SRTPFixtures.parse(SRTPFixtures.programLoad, .toServer, state: &state)
        #expect(frame.functionCode == 0x40 && frame.textLength == 16 && frame.count == 16)
        let event = SRTPFixtures.event(frame, SRTPFixtures.programLoad, state: &state)
        #expect(event.functionName == "program_load" && event.operation == .program)
    }

    @Test(arguments: [
        (UInt8(0x07), "write_system_memory", ConvergeModel.Operation.write), (0x3F, "program_store", .program),
        (0x20, "programmer_logon", .auth), (0x39, "clear_fault_table", .control), (0x4F, "session_control", .session),
        (0x7E, "unknown_0x7e", .other)])
    func serviceNames(code: UInt8, name: String, operation: ConvergeModel.Operation) {
        #expect(SRTP.Service.name(code) == name && SRTP.Service.operation(code) == operation)
    }

    @Test func unknownServiceAndBadTypes() throws {
        var state = SRTP.makeState()
        let unknown = SRTPFixtures.message(type: 0x02, sequence: 9, mailbox: 0xC0, tail: [0x7E])
        #expect(try SRTPFixtures.parse(unknown, .toServer, state: &state).anomalies.contains(.unknownService))
        var bad = SRTPFixtures.readRegisters
        bad[0] = 0x09
        #expect(SRTP.probe(bad.span, direction: .toServer) == .reject)
        #expect(throws: DissectError.self) { try SRTPFixtures.parse(bad, .toServer, state: &state) }
        var mailbox = SRTPFixtures.readRegisters
        mailbox[31] = 0x55
        #expect(SRTP.probe(mailbox.span, direction: .toServer) == .reject)
        #expect(try SRTPFixtures.parse(mailbox, .toServer, state: &state).anomalies == [.unknownMailboxType])
        var notZero = SRTPFixtures.initialize
        notZero[20] = 1
        #expect(SRTP.probe(notZero.span, direction: .toServer) == .reject)
        // A text length past the bytes asks for them.
        var long = SRTPFixtures.readRegisters
        long[5] = 0x01
        #expect(throws: DissectError.needMore(56 + 256)) { try SRTPFixtures.parse(long, .toServer, state: &state) }
    }

    @Test(arguments: 0..<SRTPFixtures.readRegistersAck.count)
    func truncatedMessageAsksForMore(length: Int) {
        var state = SRTP.makeState()
        let prefix = Array(SRTPFixtures.readRegistersAck.prefix(length))
        #expect(throws: DissectError.self) {
            try SRTP.parse(prefix.span, direction: .toClient, time: .zero, state: &state)
        }
    }

    @Test func twoMessagesInOneSegmentAndResync() throws {
        let stream = SRTPFixtures.readRegisters + SRTPFixtures.shortStatus
        var state = SRTP.makeState()
        let (first, used) = try SRTP.parse(stream.span, direction: .toServer, time: .zero, state: &state)
        let rest = Array(stream[used...])
        let (second, _) = try SRTP.parse(rest.span, direction: .toServer, time: .zero, state: &state)
        #expect(first.functionCode == 0x04 && second.functionCode == 0x00)
        #expect(SRTP.resynchronize(([7, 7, 7] + SRTPFixtures.readRegisters).span, direction: .toServer) == 3)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x5257)
        var state = SRTP.makeState()
        var parsed = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<96, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 56 {
                bytes[0] = [0x00, 0x01, 0x02, 0x03, 0x05, 0x08][Int.random(in: 0..<6, using: &generator)]
                bytes[4] = UInt8(bytes.count - 56)
                bytes[5] = 0
                bytes[31] = [0x80, 0x94, 0xC0, 0xD1, 0xD4, 0x00][Int.random(in: 0..<6, using: &generator)]
            }
            let direction: Direction = bytes.first.map { $0 & 1 == 1 } == true ? .toClient : .toServer
            _ = SRTP.probe(bytes.span, direction: direction)
            _ = SRTP.resynchronize(bytes.span, direction: direction)
            if let (frame, _) = try? SRTP.parse(bytes.span, direction: direction, time: .zero, state: &state) {
                parsed += 1
                _ = SRTPFixtures.event(frame, bytes, state: &state)
                _ = SRTP.facts(frame, bytes: bytes.span, context: SRTPFixtures.context, state: state)
            }
        }
        #expect(parsed > 100)
        #expect(state.pending.count <= SRTP.pendingCapacity)
    }
}
