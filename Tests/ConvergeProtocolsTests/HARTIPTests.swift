import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct HARTIPTests {
    /// Pass-through request for command 0, sequence 3.
    static let command0Request: [UInt8] =
        [0x01, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x0D]  // v1, request, pass-through, status 0, seq 3, 13 bytes
        + [0x02, 0x80]  // delimiter STX short frame, polling address 0 (primary master)
        + [0x00, 0x00]  // command 0, byte count 0
        + [0x82]  // checksum

    /// Pass-through response to command 0 (HART 7 layout).
    static let command0Response: [UInt8] =
        [0x01, 0x01, 0x03, 0x00, 0x00, 0x03, 0x00, 0x25]  // v1, response, pass-through, status 0, seq 3, 37 bytes
        + [0x06, 0x00]  // delimiter (short frame, slave to master), polling address 0
        + [0x00, 0x18]  // command 0, byte count 24
        + [0x00, 0x00]  // response code, device status
        + [0xfe, 0x26, 0x0a, 0x05, 0x07, 0x01, 0x02, 0x08, 0x00]  // 254, device type 0x260a, preambles, revs, flags
        + [0x12, 0x34, 0x56]  // device id
        + [0x05, 0x00, 0x00, 0x00, 0x00]  // preambles, variables, change counter, status
        + [0x00, 0x26]  // manufacturer id 0x0026
        + [0x00, 0x26, 0x01]  // private label, profile
        + [0x00]  // checksum

    /// Response to command 13 (tag, descriptor, date), long frame, sequence 9.
    static let command13Response: [UInt8] =
        [0x01, 0x01, 0x03, 0x00, 0x00, 0x09, 0x00, 0x27]  // v1, response, pass-through, seq 9, 39 bytes
        + [0x86, 0x26, 0x0a, 0x12, 0x34, 0x56]  // long-frame delimiter, address: device type 0x260a, id 0x123456
        + [0x0D, 0x17]  // command 13, byte count 23
        + [0x00, 0x00]  // response code, device status
        + [0x41, 0x4b, 0x71, 0xc3, 0x18, 0x20]  // tag "PT-101  " in packed ASCII
        + [UInt8](repeating: 0x82, count: 12)  // descriptor " " × 16
        + [0x01, 0x01, 0x7C]  // date
        + [0x00]  // checksum

    /// Request for command 42 (device reset), sequence 4.
    static let resetRequest: [UInt8] =
        [0x01, 0x00, 0x03, 0x00, 0x00, 0x04, 0x00, 0x0D] + [0x02, 0x80, 0x2A, 0x00, 0xA8]

    func context(_ direction: Direction = .toClient) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: 0), flowID: 1, client: Endpoint(address: IPAddress(v4: 1), port: 50000),
            server: Endpoint(address: IPAddress(v4: 2), port: 5094), direction: direction)
    }

    func parse(_ bytes: [UInt8], state: inout HARTIP.State, time: Int64 = 0) throws -> (HARTIP.Frame, Int) {
        try HARTIP.parse(bytes.span, direction: .toClient, time: .init(nanoseconds: time), state: &state)
    }

    @Test func command0PairsAndGivesFacts() throws {
        var state = HARTIP.makeState()
        let (request, _) = try parse(Self.command0Request, state: &state)
        let requestEvent = HARTIP.event(request, bytes: Self.command0Request.span, context: context(.toServer),
            state: &state)
        #expect(requestEvent.status == .pending && requestEvent.functionName == "read_unique_identifier")
        #expect(state.pending.count == 1)
        let bytes = Self.command0Response
        let (frame, used) = try parse(bytes, state: &state, time: 2_000_000)
        #expect(used == 37 && frame.functionCode == 3 && frame.command == 0 && frame.anomalies.isEmpty)
        #expect(frame.roundTripNanoseconds == 2_000_000 && state.pending.count == 0)
        let facts = HARTIP.facts(frame, bytes: bytes.span, context: context(), state: state)
        #expect(facts.contains { $0.kind == .serial && $0.value == "\(0x123456)" && $0.address == IPAddress(v4: 2) })
        #expect(facts.contains { $0.kind == .productCode && $0.value == "\(0x260a)" })
        #expect(facts.contains { $0.kind == .vendor && $0.value == "hart:38" })
        #expect(facts.contains { $0.kind == .revision && $0.value == "hart 7 device 1 software 2" })
        let event = HARTIP.event(frame, bytes: bytes.span, context: context(), state: &state)
        #expect(event.targets == [Message.Target(kind: "hart_command", address: 0, name: "read_unique_identifier")])
        #expect(event.status == .ok && event.operation == .discovery && event.roundTripNanoseconds == 2_000_000)
    }

    @Test func command13GivesTagAndLongAddress() throws {
        var state = HARTIP.makeState()
        let (frame, _) = try parse(Self.command13Response, state: &state)
        #expect(frame.command == 13 && frame.longAddress == 0x260a_123456 && frame.anomalies == .unsolicitedResponse)
        let facts = HARTIP.facts(frame, bytes: Self.command13Response.span, context: context(), state: state)
        #expect(facts.map(\.value) == ["PT-101"] && facts.first?.kind == .moduleName)
        let event = HARTIP.event(frame, bytes: Self.command13Response.span, context: context(), state: &state)
        #expect(event.functionName == "read_tag_descriptor_date" && event.operation == .read)
        #expect(event.anomalies == ["hart_ip.unsolicited_response"])
        #expect(event.targets.contains { $0.kind == "hart_device" && $0.address == 0x260a_123456 })
    }

    @Test func writesAndResetsAreNamed() throws {
        var state = HARTIP.makeState()
        let (frame, _) = try parse(Self.resetRequest, state: &state)
        let event = HARTIP.event(frame, bytes: Self.resetRequest.span, context: context(.toServer), state: &state)
        #expect(event.functionName == "perform_device_reset" && event.operation == .control)
        #expect(HARTIP.command(6)?.operation == .write && HARTIP.command(18)?.operation == .write)
        #expect(HARTIP.command(17)?.name == "write_message" && HARTIP.command(19)?.operation == .write)
        #expect(HARTIP.command(200) == nil)
    }

    @Test func responseCodeIsStatus() throws {
        var state = HARTIP.makeState()
        var bytes = Self.command0Response
        bytes[12] = 0x40  // response code 64: command not implemented
        let (frame, _) = try parse(bytes, state: &state)
        let event = HARTIP.event(frame, bytes: bytes.span, context: context(), state: &state)
        #expect(event.status == .exception(code: 64, name: "command_not_implemented"))
        #expect(HARTIP.facts(frame, bytes: bytes.span, context: context(), state: state).isEmpty)
    }

    @Test func sessionInitiateCarriesTimer() throws {
        var state = HARTIP.makeState()
        let bytes: [UInt8] = [0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0D]  // request, session initiate, 13 bytes
            + [0x01, 0x00, 0x00, 0x75, 0x30]  // primary host, inactivity timer 30,000 ms
        let (frame, _) = try parse(bytes, state: &state)
        let event = HARTIP.event(frame, bytes: bytes.span, context: context(.toServer), state: &state)
        #expect(event.functionName == "session_initiate" && event.operation == .session)
        #expect(event.targets == [Message.Target(kind: "hart_session", address: 30_000, values: [1])])
    }

    @Test(arguments: 0..<37)
    func truncatedPrefix(_ length: Int) {
        var state = HARTIP.makeState()
        let prefix = Array(Self.command0Response.prefix(length))
        #expect(throws: DissectError.self) { try parse(prefix, state: &state) }
    }

    @Test func badByteCount() {
        var state = HARTIP.makeState()
        var bytes = Self.command0Response
        bytes[7] = 4
        #expect(throws: DissectError.self) { try parse(bytes, state: &state) }
        bytes[7] = 12  // the PDU is cut short inside a good frame: an anomaly
        let frame = try? parse(bytes, state: &state).0
        #expect(frame?.anomalies.contains(.truncatedPDU) == true)
    }

    @Test func pendingIsBounded() throws {
        var state = HARTIP.makeState()
        var bytes = Self.command0Request
        for sequence in 0..<200 {
            bytes[5] = UInt8(sequence & 0xFF)
            bytes[4] = UInt8(sequence >> 8)
            _ = try parse(bytes, state: &state, time: Int64(sequence))
        }
        #expect(state.pending.count == HARTIP.pendingCapacity)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 5094)
        var state = HARTIP.makeState()
        for _ in 0..<3_000 {
            var bytes = (0..<Int.random(in: 0..<60, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            if bytes.count >= 8 { bytes[0] = 1; bytes[6] = 0; bytes[7] = UInt8(bytes.count) }
            if bytes.count >= 3, Bool.random(using: &generator) { bytes[2] = 3 }
            _ = HARTIP.probe(bytes.span, direction: .toServer)
            guard let (frame, _) = try? parse(bytes, state: &state) else { continue }
            _ = HARTIP.event(frame, bytes: bytes.span, context: context(), state: &state)
            _ = HARTIP.facts(frame, bytes: bytes.span, context: context(), state: state)
        }
        #expect(state.pending.count <= HARTIP.pendingCapacity)
    }

    /// UDP: the gateway answers the session initiate from 5095 and the session continues there.
    @Test func udpCaptureMatchesTshark() throws {
        let folder = ITUDPCaptureHarness.fixtures("hartip")
        let golden = try ITUDPCaptureHarness.golden(folder.appendingPathComponent("hart_ip.udp.tshark.txt"))
        let result = ITUDPCaptureHarness.run(
            HARTIP.self, url: folder.appendingPathComponent("hart_ip.pcap"), ports: [5094, 5095])
        #expect(result.messages == golden.messages && result.functions == golden.functions && result.malformed == 0,
            "\(result.messages) \(result.functions) \(result.malformed)")
        #expect(result.events.allSatisfy { $0.anomalies.isEmpty })
        #expect(result.facts.contains { $0.kind == .vendor })
    }

    @Test func tcpCaptureMatchesTshark() throws {
        let folder = ITUDPCaptureHarness.fixtures("hartip")
        let golden = try ITUDPCaptureHarness.golden(folder.appendingPathComponent("hart_ip.tcp.tshark.txt"))
        let result = ITStreamRunner.run(HARTIP.self, path: folder.appendingPathComponent("hart_ip.pcap").path,
            ports: [5094])
        #expect(result.parsed == golden.messages && result.functions == golden.functions && result.malformed == 0,
            "\(result.parsed) \(result.functions) \(result.malformed)")
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
        #expect(result.messages.contains { $0.functionName == "read_tag_descriptor_date" && $0.status == .ok })
    }
}
