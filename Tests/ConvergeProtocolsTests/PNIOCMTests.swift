import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct PNIOCMTests {
    /// PNIO-Device interface UUID dea00001-6c97-11d1-8271-00a02442df7d, little-endian fields first.
    static let deviceInterfaceLE: [UInt8] =
        [0x01, 0x00, 0xa0, 0xde, 0x97, 0x6c, 0xd1, 0x11, 0x82, 0x71, 0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d]
    /// The same UUID as a big-endian sender writes it.
    static let deviceInterfaceBE: [UInt8] =
        [0xde, 0xa0, 0x00, 0x01, 0x6c, 0x97, 0x11, 0xd1, 0x82, 0x71, 0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d]
    /// Endpoint mapper e1af8308-5d1f-11c9-91a4-08002b14a0fa, little-endian.
    static let mapperInterfaceLE: [UInt8] =
        [0x08, 0x83, 0xaf, 0xe1, 0x1f, 0x5d, 0xc9, 0x11, 0x91, 0xa4, 0x08, 0x00, 0x2b, 0x14, 0xa0, 0xfa]
    static let activity: [UInt8] = Array(0x10...0x1f)

    /// An 80-byte little-endian connectionless header.
    static func header(
        type: UInt8, opnum: UInt8, sequence: UInt8, bodyLength: Int, interface: [UInt8] = deviceInterfaceLE
    ) -> [UInt8] {
        [0x04, type, 0x08, 0x00]  // version 4, packet type, flags1 (no fack), flags2
            + [0x10, 0x00, 0x00, 0x00]  // drep: little-endian, ASCII, IEEE; serial high 0
            + [UInt8](repeating: 0xAA, count: 16)  // object UUID
            + interface  // interface UUID
            + activity  // activity UUID
            + [0x00, 0x00, 0x00, 0x00]  // server boot
            + [0x01, 0x00, 0x00, 0x00]  // interface version 1
            + [sequence, 0x00, 0x00, 0x00]  // sequence number
            + [opnum, 0x00]  // opnum
            + [0xff, 0xff, 0xff, 0xff]  // interface hint, activity hint
            + [UInt8(bodyLength & 0xFF), UInt8(bodyLength >> 8)]  // fragment length
            + [0x00, 0x00]  // fragment number 0
            + [0x00, 0x00]  // auth protocol none, serial low 0
    }

    /// NDR arguments header of a request: ArgsMaximum, ArgsLength, MaximumCount, Offset, ActualCount.
    static func requestArguments(_ length: Int) -> [UInt8] {
        let l = [UInt8(length & 0xFF), UInt8(length >> 8), 0x00, 0x00]
        return [0x40, 0x80, 0x00, 0x00] + l + [0x40, 0x80, 0x00, 0x00] + [0x00, 0x00, 0x00, 0x00] + l
    }

    /// AR block request with station name "plc-1" (63 bytes).
    static let arBlock: [UInt8] =
        [0x01, 0x01, 0x00, 0x3B, 0x01, 0x00]  // block type 0x0101, length 59 (after the length), version 1.0
        + [0x00, 0x06]  // AR type 6 (IOCARSingle)
        + [UInt8](repeating: 0x55, count: 16)  // AR UUID
        + [0x00, 0x01]  // session key
        + [0x00, 0x0e, 0x8c, 0x00, 0x00, 0x01]  // CMInitiatorMacAdd
        + [UInt8](repeating: 0x66, count: 16)  // CMInitiatorObjectUUID
        + [0x00, 0x00, 0x00, 0x11]  // ARProperties
        + [0x00, 0x64, 0x88, 0x92]  // activity timeout factor 100, UDP RT port 0x8892
        + [0x00, 0x05]  // station name length 5
        + Array("plc-1".utf8)

    static var connectRequest: [UInt8] {
        header(type: 0, opnum: 0, sequence: 1, bodyLength: 20 + arBlock.count)
            + requestArguments(arBlock.count) + arBlock
    }

    /// Connect response: PNIOStatus OK, arguments of 0 bytes.
    static let connectResponse: [UInt8] =
        header(type: 2, opnum: 0, sequence: 1, bodyLength: 20)
        + [0x00, 0x00, 0x00, 0x00]  // PNIOStatus OK
        + [0x00, 0x00, 0x00, 0x00, 0x40, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]

    /// IODWriteReq header block: index 0xAFF3 (I&M3), slot 1, subslot 0x8001, 4 bytes of data.
    static let writeBlock: [UInt8] =
        [0x00, 0x08, 0x00, 0x3C, 0x01, 0x00]  // block type 0x0008, length 60, version 1.0
        + [0x00, 0x07]  // SeqNumber 7
        + [UInt8](repeating: 0x55, count: 16)  // AR UUID
        + [0x00, 0x00, 0x00, 0x00]  // API 0
        + [0x00, 0x01, 0x80, 0x01]  // slot 1, subslot 0x8001
        + [0x00, 0x00]  // padding
        + [0xAF, 0xF3]  // index
        + [0x00, 0x00, 0x00, 0x04]  // RecordDataLength 4
        + [UInt8](repeating: 0x00, count: 24)  // RWPadding

    static var writeRequest: [UInt8] {
        let body = writeBlock + [0x01, 0x02, 0x03, 0x04]
        return header(type: 0, opnum: 3, sequence: 2, bodyLength: 20 + body.count) + requestArguments(body.count)
            + body
    }

    /// Write response with PNIOStatus DF 80 B0 00 (write error, PNIORW, invalid index).
    static var writeFailed: [UInt8] {
        let block: [UInt8] = [0x80, 0x08] + writeBlock[2...]
        return header(type: 2, opnum: 3, sequence: 2, bodyLength: 20 + block.count)
            + [0xDF, 0x80, 0xB0, 0x00]  // PNIOStatus
            + [0x40, 0x00, 0x00, 0x00, 0x40, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00] + block
    }

    /// IODControlReq (Prm End): control command 0x0001.
    static var controlRequest: [UInt8] {
        let block: [UInt8] =
            [0x01, 0x10, 0x00, 0x1C, 0x01, 0x00]  // block type 0x0110, length 28, version 1.0
            + [0x00, 0x00]  // reserved
            + [UInt8](repeating: 0x55, count: 16)  // AR UUID
            + [0x00, 0x01, 0x00, 0x00]  // session key 1, reserved
            + [0x00, 0x01, 0x00, 0x00]  // ControlCommand PrmEnd, ControlBlockProperties
        return header(type: 0, opnum: 4, sequence: 3, bodyLength: 20 + block.count) + requestArguments(block.count)
            + block
    }

    func context(_ direction: Direction) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: 0), flowID: 1, client: Endpoint(address: IPAddress(v4: 1), port: 50000),
            server: Endpoint(address: IPAddress(v4: 2), port: 34964), direction: direction)
    }

    func parse(_ bytes: [UInt8], state: inout PNIOCM.State, time: Int64 = 0) throws -> (PNIOCM.Frame, Int) {
        try PNIOCM.parse(bytes.span, direction: .toServer, time: .init(nanoseconds: time), state: &state)
    }

    @Test func connectNamesControllerAndPairs() throws {
        var state = PNIOCM.makeState()
        let bytes = Self.connectRequest
        let (frame, used) = try parse(bytes, state: &state)
        #expect(used == bytes.count && frame.interface == .device && frame.littleEndian && frame.opnum == 0)
        #expect(frame.interfaceUUID == PNIOCM.Interface.deviceUUID && frame.sequence == 1)
        #expect(frame.hasARBlock && frame.arType == 6 && frame.firstBlockType == 0x0101 && frame.anomalies.isEmpty)
        #expect(PNIOCM.probe(bytes.span, direction: .toServer) == .match)
        let event = PNIOCM.event(frame, bytes: bytes.span, context: context(.toServer), state: &state)
        #expect(event.functionName == "connect" && event.operation == .session && event.status == .pending)
        #expect(event.targets.first?.kind == "pnio_ar" && event.targets.first?.name == "plc-1")
        #expect(event.targets.first?.value == "55555555-5555-5555-5555-555555555555")
        let facts = PNIOCM.facts(frame, bytes: bytes.span, context: context(.toServer), state: state)
        #expect(facts.contains { $0.kind == .moduleName && $0.value == "plc-1" && $0.address == IPAddress(v4: 1) })
        #expect(facts.contains { $0.kind == .role && $0.value == "io_controller" && $0.address == IPAddress(v4: 1) })
        #expect(PNIOCM.requestOperation(frame, bytes: bytes.span, direction: .toServer, state: &state) == .session)

        let (answer, _) = try parse(Self.connectResponse, state: &state, time: 3_000)
        #expect(answer.roundTripNanoseconds == 3_000 && answer.anomalies.isEmpty && state.pending.count == 0)
        let answerFacts = PNIOCM.facts(
            answer, bytes: Self.connectResponse.span, context: context(.toClient), state: state)
        #expect(answerFacts.map(\.value) == ["io_device"] && answerFacts.first?.address == IPAddress(v4: 2))
        let answerEvent = PNIOCM.event(answer, bytes: Self.connectResponse.span, context: context(.toClient),
            state: &state)
        #expect(answerEvent.status == .ok && answerEvent.roundTripNanoseconds == 3_000)
    }

    @Test func writeNamesRecordAndFailureIsException() throws {
        var state = PNIOCM.makeState()
        let (frame, _) = try parse(Self.writeRequest, state: &state)
        #expect(frame.hasRecord && frame.index == 0xAFF3 && frame.slot == 1 && frame.subslot == 0x8001)
        #expect(frame.anomalies.isEmpty && frame.blockCount == 1)
        let event = PNIOCM.event(frame, bytes: Self.writeRequest.span, context: context(.toServer), state: &state)
        #expect(event.functionName == "write" && event.operation == .write)
        #expect(
            event.targets == [
                Message.Target(kind: "pnio_record", address: 0xAFF3, count: 4, values: [0, 1, 0x8001],
                    name: "iod_write_req")
            ])
        let (failed, _) = try parse(Self.writeFailed, state: &state, time: 10)
        #expect(failed.pnioStatus == 0xDF80_B000 && failed.recordBlockType == 0x8008 && failed.anomalies.isEmpty)
        let failedEvent = PNIOCM.event(failed, bytes: Self.writeFailed.span, context: context(.toClient),
            state: &state)
        #expect(failedEvent.status == .exception(code: 0xDF80_B000, name: "pnio_status_0xdf80b000"))
    }

    @Test func controlCommandIsNamed() throws {
        var state = PNIOCM.makeState()
        let (frame, _) = try parse(Self.controlRequest, state: &state)
        #expect(frame.hasControl && frame.controlCommand == 1 && frame.controlBlockType == 0x0110)
        let event = PNIOCM.event(frame, bytes: Self.controlRequest.span, context: context(.toServer), state: &state)
        #expect(event.operation == .control && event.targets.first?.name == "prm_end")
        #expect(PNIOCM.controlCommandName(0x0006) == "application_ready+release")

        // ApplicationReady: the device calls the controller's interface dea00002-….
        var ready = Self.controlRequest
        ready[24] = 0x02
        ready[80 + 20 + 29] = 0x02
        let (call, _) = try parse(ready, state: &state)
        #expect(call.interface == .controller && call.controlCommand == 2 && PNIOCM.identityHint(call) == .sample)
        let facts = PNIOCM.facts(call, bytes: ready.span, context: context(.toServer), state: state)
        #expect(facts.map(\.value) == ["io_device"] && facts.first?.address == IPAddress(v4: 1))
        #expect(PNIOCM.controlCommandName(0x8000) == "control_command_32768")
    }

    @Test func bigEndianHeaderAndMapperLookup() throws {
        var state = PNIOCM.makeState()
        var bytes = Self.header(type: 0, opnum: 2, sequence: 9, bodyLength: 0, interface: Self.mapperInterfaceLE)
        let (lookup, _) = try parse(bytes, state: &state)
        #expect(lookup.interface == .endpointMapper && lookup.opnum == 2)
        let event = PNIOCM.event(lookup, bytes: bytes.span, context: context(.toServer), state: &state)
        #expect(event.functionName == "ept_lookup" && event.operation == .discovery)

        bytes = Self.header(type: 0, opnum: 5, sequence: 1, bodyLength: 0)
        bytes[4] = 0x00  // big-endian data representation
        bytes.replaceSubrange(24..<40, with: Self.deviceInterfaceBE)
        bytes[64...67] = [0x00, 0x00, 0x01, 0x02]  // sequence 0x0102
        bytes[68...69] = [0x00, 0x05]  // opnum 5
        let (frame, _) = try parse(bytes, state: &state)
        #expect(frame.interface == .device && frame.opnum == 5 && frame.sequence == 0x0102 && !frame.littleEndian)
    }

    @Test func faultsPingsAndUnknownInterfaces() throws {
        var state = PNIOCM.makeState()
        let fault = Self.header(type: 3, opnum: 2, sequence: 4, bodyLength: 4) + [0x05, 0x00, 0x00, 0x1C]
        let (frame, _) = try parse(fault, state: &state)
        #expect(frame.faultStatus == 0x1C00_0005 && frame.anomalies == .unsolicitedResponse)
        let event = PNIOCM.event(frame, bytes: fault.span, context: context(.toClient), state: &state)
        #expect(event.status == .exception(code: 0x1C00_0005, name: "fault"))
        #expect(PNIOCM.requestOperation(frame, bytes: fault.span, direction: .toClient, state: &state) == nil)

        let ping = Self.header(type: 1, opnum: 2, sequence: 4, bodyLength: 0)
        let (pinged, _) = try parse(ping, state: &state)
        let pingEvent = PNIOCM.event(pinged, bytes: ping.span, context: context(.toServer), state: &state)
        #expect(pingEvent.functionName == "ping" && pingEvent.operation == .session && pinged.functionCode == 2)

        let other = Self.header(type: 0, opnum: 7, sequence: 5, bodyLength: 0,
            interface: [UInt8](repeating: 0x12, count: 16))
        let (unknown, _) = try parse(other, state: &state)
        let otherEvent = PNIOCM.event(unknown, bytes: other.span, context: context(.toServer), state: &state)
        #expect(otherEvent.functionName == "opnum_7" && otherEvent.operation == .other)
        #expect(otherEvent.targets.first?.name == "12121212-1212-1212-1212-121212121212")
    }

    @Test func probeRejectsOtherPayloads() {
        var bytes = Self.connectRequest
        let short = Array(bytes.prefix(79))
        #expect(PNIOCM.probe(short.span, direction: .toServer) == .needMore)
        bytes[0] = 5  // connection-oriented DCE/RPC is version 5
        #expect(PNIOCM.probe(bytes.span, direction: .toServer) == .reject)
        bytes = Self.connectRequest
        bytes[1] = 11
        #expect(PNIOCM.probe(bytes.span, direction: .toServer) == .reject)
        bytes = Self.connectRequest
        bytes.replaceSubrange(24..<40, with: [UInt8](repeating: 0, count: 16))  // nil interface UUID
        #expect(PNIOCM.probe(bytes.span, direction: .toServer) == .reject)
        bytes = Self.connectRequest
        bytes[4] = 0x20  // no such byte order
        var state = PNIOCM.makeState()
        #expect(throws: DissectError.self) { try parse(bytes, state: &state) }
    }

    @Test(arguments: 0..<80)
    func truncatedHeader(_ length: Int) {
        var state = PNIOCM.makeState()
        let prefix = Array(Self.connectRequest.prefix(length))
        #expect(throws: DissectError.needMore(80)) { try parse(prefix, state: &state) }
    }

    /// A datagram cut inside its body is an anomaly on a message, never a trap.
    @Test(arguments: 80..<(80 + 20 + 63))
    func truncatedBody(_ length: Int) throws {
        var state = PNIOCM.makeState()
        let prefix = Array(Self.connectRequest.prefix(length))
        let (frame, used) = try parse(prefix, state: &state)
        #expect(used == length && frame.anomalies.contains(.truncatedBody))
        _ = PNIOCM.event(frame, bytes: prefix.span, context: context(.toServer), state: &state)
        let facts = PNIOCM.facts(frame, bytes: prefix.span, context: context(.toServer), state: state)
        #expect(facts.allSatisfy { $0.value.count <= PNIOCM.maxStationNameLength })
    }

    @Test func badLengthsAreFlagged() throws {
        var state = PNIOCM.makeState()
        var bytes = Self.connectRequest
        bytes[80 + 20 + 57] = 0xFF  // station name length 255, only 5 bytes there
        let (frame, _) = try parse(bytes, state: &state)
        #expect(frame.anomalies.contains(.badBlock) && frame.stationNameLength == 5)
        bytes = Self.connectRequest
        bytes[80 + 16] = 0xF0  // ActualCount beyond the body
        #expect(try parse(bytes, state: &state).0.anomalies.contains(.badArguments))
        bytes = Self.connectRequest
        bytes[80 + 20 + 2] = 0x00
        bytes[80 + 20 + 3] = 0x00  // block length 0
        #expect(try parse(bytes, state: &state).0.anomalies.contains(.badBlock))
    }

    @Test func blocksAreCapped() throws {
        var state = PNIOCM.makeState()
        let tiny: [UInt8] = [0x00, 0x20, 0x00, 0x02, 0x01, 0x00]  // an unknown 6-byte block
        let blocks = Array([[UInt8]](repeating: tiny, count: 100).joined())
        let bytes = Self.header(type: 0, opnum: 2, sequence: 1, bodyLength: 20 + blocks.count)
            + Self.requestArguments(blocks.count) + blocks
        let (frame, _) = try parse(bytes, state: &state)
        #expect(frame.blockCount == PNIOCM.maxBlocks && frame.anomalies.contains(.tooManyBlocks))
    }

    @Test func pendingIsBounded() throws {
        var state = PNIOCM.makeState()
        var bytes = Self.connectRequest
        for sequence in 0..<200 {
            bytes[64] = UInt8(sequence)
            _ = try parse(bytes, state: &state, time: Int64(sequence))
        }
        #expect(state.pending.count == PNIOCM.pendingCapacity && state.pendingOverflows > 0)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 34964)
        var state = PNIOCM.makeState()
        let seeds = [Self.connectRequest, Self.writeRequest, Self.writeFailed, Self.controlRequest]
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
                if bytes.count >= 6 { bytes[0] = 4; bytes[1] %= 11; bytes[3] = 0; bytes[4] = 0x10; bytes[5] = 0 }
            } else {
                bytes = seeds[round / 2 % seeds.count]
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    let at = Int.random(in: 80..<bytes.count, using: &generator)
                    bytes[at] = UInt8.random(in: 0...255, using: &generator)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            _ = PNIOCM.probe(bytes.span, direction: .toServer)
            guard let (frame, _) = try? parse(bytes, state: &state) else { continue }
            _ = PNIOCM.event(frame, bytes: bytes.span, context: context(.toServer), state: &state)
            _ = PNIOCM.facts(frame, bytes: bytes.span, context: context(.toServer), state: state)
        }
        #expect(state.pending.count <= PNIOCM.pendingCapacity)
    }

    @Test func captureMatchesTshark() throws {
        let folder = ITUDPCaptureHarness.fixtures("pnio-cm")
        let golden = try ITUDPCaptureHarness.golden(folder.appendingPathComponent("profinet.tshark.txt"))
        let result = ITUDPCaptureHarness.run(
            PNIOCM.self, url: folder.appendingPathComponent("profinet.pcap"), ports: [34964])
        #expect(result.messages == golden.messages && result.functions == golden.functions && result.malformed == 0,
            "\(result.messages) \(result.functions) \(result.malformed)")
        #expect(result.events.allSatisfy { $0.anomalies.isEmpty })
        #expect(result.events.map(\.functionName) == ["read_implicit", "read_implicit"])
        #expect(result.events.first?.targets.first?.address == 0xF840)
        #expect(result.events.last?.targets.first?.name == "iod_read_res")
        #expect(result.events.last?.status == .ok && result.events.last?.roundTripNanoseconds == 2_060_000)
        #expect(result.facts.contains { $0.kind == .role && $0.value == "io_device" })
    }

    /// The test's own requests as tshark 4.0.17 decodes them (station name, PrmEnd, record index).
    @Test func handmadeCaptureMatchesTshark() throws {
        let folder = ITUDPCaptureHarness.fixtures("pnio-cm")
        let golden = try ITUDPCaptureHarness.golden(folder.appendingPathComponent("handmade.tshark.txt"))
        let result = ITUDPCaptureHarness.run(
            PNIOCM.self, url: folder.appendingPathComponent("handmade.pcap"), ports: [34964])
        #expect(result.messages == golden.messages && result.functions == golden.functions && result.malformed == 0,
            "\(result.messages) \(result.functions) \(result.malformed)")
        #expect(result.events.map(\.functionName) == ["connect", "control", "write"])
        #expect(result.events.map(\.operation) == [.session, .control, .write])
        #expect(result.events.allSatisfy { $0.anomalies.isEmpty && $0.status == .pending },
            "\(result.events.map(\.anomalies))")
        #expect(result.facts.contains { $0.kind == .moduleName && $0.value == "plc-1" })
        #expect(result.events[1].targets.first?.name == "prm_end")
        #expect(result.events[2].targets.first?.address == 0xAFF3)
    }
}
