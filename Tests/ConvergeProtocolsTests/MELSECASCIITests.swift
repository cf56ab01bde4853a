import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// MC protocol ASCII code frames, built from the layouts and examples of SH-080008: each field
/// is upper-case hexadecimal text, high digit first.
enum MELSECASCIIFixtures {
    static func ascii(_ fields: [String]) -> [UInt8] { Array(fields.joined().utf8) }

    /// 3E batch read, word units: D100, 3 points.
    static let batchRead = ascii([
        "5000",  // subheader 3E request
        "00", "FF",  // network 0, PC 0xFF
        "03FF",  // module I/O
        "00",  // station
        "0018",  // data length 24 characters
        "0010",  // monitoring timer
        "0401",  // batch read
        "0000",  // word units
        "D*",  // device D
        "000100",  // head device 100 (decimal)
        "0003",  // 3 points
    ])
    static let batchReadResponse = ascii([
        "D000", "00", "FF", "03FF", "00",  // subheader, routing
        "0010",  // data length 16
        "0000",  // end code
        "1234", "5678", "0001",  // three words
    ])
    /// 3E batch write, bit units: M10, 4 points 1 0 1 1.
    static let batchWriteBits = ascii([
        "5000", "00", "FF", "03FF", "00",
        "001C",  // data length 28
        "0010", "1401", "0001",  // timer, batch write, bit units
        "M*", "000010", "0004",  // M10, 4 points
        "1011",  // one character a point
    ])
    /// Remote run: mode 0001 (do not run forcibly), clear mode 00, fixed 00.
    static let remoteRun = ascii([
        "5000", "00", "FF", "03FF", "00",
        "0014",  // data length 20
        "0010", "1001", "0000",  // timer, remote run, subcommand
        "0001", "00", "00",
    ])
    static let readModel = ascii(["5000", "00", "FF", "03FF", "00", "000C", "0010", "0101", "0000"])
    static let readModelResponse = ascii([
        "D000", "00", "FF", "03FF", "00",
        "0018",  // data length 24
        "0000",  // end code
        "Q03UDECPU       ",  // model name, 16 characters as they are
        "0268",  // model code
    ])
    /// 4E batch read, word units: X0A0 (hexadecimal device number), 2 points, serial 0x1234.
    static func read4E(serial: String) -> [UInt8] {
        ascii([
            "5400",  // subheader 4E request
            serial,  // serial number
            "0000",  // reserved
            "00", "FF", "03FF", "00",
            "0018", "0010", "0401", "0000",
            "X*", "0000A0", "0002",
        ])
    }
    static func read4EResponse(serial: String, endCode: String = "0000", data: String = "00FFABCD") -> [UInt8] {
        let length = String(4 + data.count, radix: 16, uppercase: true)
        return ascii([
            "D400", serial, "0000", "00", "FF", "03FF", "00",
            String(repeating: "0", count: 4 - length.count) + length,
            endCode, data,
        ])
    }

    static func parse(_ bytes: [UInt8], _ direction: Direction, state: inout MELSEC.State) throws -> MELSEC.Frame {
        let (frame, consumed) = try MELSEC.parse(
            bytes.span, direction: direction, time: Timestamp(nanoseconds: 5), state: &state)
        #expect(consumed == bytes.count)
        return frame
    }
}

@Suite struct MELSECASCIITests {
    typealias F = MELSECASCIIFixtures

    @Test func batchReadParsesFieldsAndPairs() throws {
        var state = MELSEC.makeState()
        #expect(MELSEC.probe(F.batchRead.span, direction: .toServer) == .match)
        #expect(MELSEC.probe(F.batchReadResponse.span, direction: .toClient) == .match)
        #expect(MELSEC.probe(F.batchRead.span, direction: .toClient) == .reject)
        let request = try F.parse(F.batchRead, .toServer, state: &state)
        #expect(request.isASCII && request.kind == .request3E)
        #expect(request.pc == 0xFF && request.moduleIO == 0x03FF && request.timer == 0x10)
        #expect(request.command == 0x0401 && request.subcommand == 0 && request.anomalies.isEmpty)
        let requestEvent = MELSECFixtures.event(request, F.batchRead, state: &state)
        #expect(requestEvent.functionName == "batch_read" && requestEvent.operation == .read)
        #expect(requestEvent.targets == [Message.Target(kind: "d", address: 100, count: 3)])
        let response = try F.parse(F.batchReadResponse, .toClient, state: &state)
        #expect(response.isASCII && response.functionCode == 0x0401 && response.anomalies.isEmpty)
        let event = MELSECFixtures.event(response, F.batchReadResponse, state: &state)
        #expect(event.status == .ok)
        #expect(event.targets == [Message.Target(kind: "d", address: 100, count: 3, values: [0x1234, 0x5678, 1])])
    }

    @Test func batchWriteInBitUnits() throws {
        var state = MELSEC.makeState()
        let frame = try F.parse(F.batchWriteBits, .toServer, state: &state)
        let event = MELSECFixtures.event(frame, F.batchWriteBits, state: &state)
        #expect(event.operation == .write && event.functionCode == 0x1401)
        #expect(event.targets == [Message.Target(kind: "m", address: 10, count: 4, values: [1, 0, 1, 1])])
    }

    @Test func remoteRunIsControl() throws {
        var state = MELSEC.makeState()
        let frame = try F.parse(F.remoteRun, .toServer, state: &state)
        let event = MELSECFixtures.event(frame, F.remoteRun, state: &state)
        #expect(event.functionName == "remote_run" && event.operation == .control && event.targets.isEmpty)
    }

    @Test func readCPUModelGivesModelFact() throws {
        var state = MELSEC.makeState()
        _ = try F.parse(F.readModel, .toServer, state: &state)
        let response = try F.parse(F.readModelResponse, .toClient, state: &state)
        var context = MELSECFixtures.context
        context.direction = .toClient
        let facts = MELSEC.facts(response, bytes: F.readModelResponse.span, context: context, state: state)
        #expect(facts.map(\.value) == ["Q03UDECPU"] && facts.first?.kind == .model)
    }

    @Test func fourEPairsBySerialOutOfOrder() throws {
        var state = MELSEC.makeState()
        let first = try F.parse(F.read4E(serial: "0001"), .toServer, state: &state)
        _ = try F.parse(F.read4E(serial: "00A2"), .toServer, state: &state)
        #expect(first.kind == .request4E && first.serial == 1)
        let second = try F.parse(F.read4EResponse(serial: "00A2", endCode: "C059", data: ""), .toClient, state: &state)
        #expect(second.serial == 0xA2 && second.functionCode == 0x0401 && second.anomalies.isEmpty)
        let secondEvent = MELSECFixtures.event(second, F.read4EResponse(serial: "00A2", endCode: "C059", data: ""),
            state: &state)
        #expect(secondEvent.status == .exception(code: 0xC059, name: "end_code_0xc059"))
        let bytes = F.read4EResponse(serial: "0001")
        let response = try F.parse(bytes, .toClient, state: &state)
        #expect(response.request?.serial == 1 && response.anomalies.isEmpty)
        let event = MELSECFixtures.event(response, bytes, state: &state)
        #expect(event.targets == [Message.Target(kind: "x", address: 0xA0, count: 2, values: [0x00FF, 0xABCD])])
        let orphan = try F.parse(F.read4EResponse(serial: "0001"), .toClient, state: &state)
        #expect(orphan.anomalies == [.unsolicitedResponse])
    }

    @Test func binaryAndASCIIShareAStream() throws {
        let stream = F.batchRead + MELSECFixtures.readModel + F.readModel
        var state = MELSEC.makeState()
        let time = Timestamp(nanoseconds: 0)
        var rest = stream
        var kinds: [Bool] = []
        for _ in 0..<3 {
            let (frame, used) = try MELSEC.parse(rest.span, direction: .toServer, time: time, state: &state)
            kinds.append(frame.isASCII)
            rest = Array(rest[used...])
        }
        #expect(kinds == [true, false, true] && rest.isEmpty)
        #expect(MELSEC.resynchronize(([0x01, 0x35] + F.readModel).span, direction: .toServer) == 2)
    }

    @Test(arguments: 0..<MELSECASCIIFixtures.batchWriteBits.count)
    func truncatedFrameAsksForMore(length: Int) {
        var state = MELSEC.makeState()
        let prefix = Array(F.batchWriteBits.prefix(length))
        #expect(MELSEC.probe(prefix.span, direction: .toServer) != .reject)
        #expect(throws: DissectError.self) {
            try MELSEC.parse(prefix.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
        }
    }

    @Test(arguments: 0..<MELSECASCIIFixtures.read4E(serial: "0001").count)
    func truncated4EAsksForMore(length: Int) {
        var state = MELSEC.makeState()
        let prefix = Array(F.read4E(serial: "0001").prefix(length))
        do {
            _ = try MELSEC.parse(prefix.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
            Issue.record("a \(length)-byte prefix parsed")
        } catch {
            guard case .needMore = error else { Issue.record("prefix \(length): \(error)"); return }
        }
    }

    @Test(arguments: ["0000", "000B", "4001", "00G0"])
    func badDataLengthIsMalformed(length: String) {
        var state = MELSEC.makeState()
        var bytes = F.readModel
        bytes.replaceSubrange(14..<18, with: Array(length.utf8))
        #expect(MELSEC.probe(bytes.span, direction: .toServer) == .reject)
        #expect(throws: DissectError.self) { try F.parse(bytes, .toServer, state: &state) }
    }

    /// A non-hex character anywhere in the header after the subheader is malformed.
    @Test(arguments: 4..<30)
    func nonHexHeaderIsMalformed(offset: Int) {
        var state = MELSEC.makeState()
        var bytes = F.batchRead
        bytes[offset] = UInt8(ascii: "G")
        do {
            _ = try MELSEC.parse(bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
            Issue.record("offset \(offset): parsed")
        } catch {
            guard case .malformed = error else { Issue.record("offset \(offset): \(error)"); return }
        }
    }

    @Test func badDeviceGivesNoTarget() throws {
        var state = MELSEC.makeState()
        var bytes = F.batchRead
        bytes[32] = UInt8(ascii: "A")  // decimal device number with a hex digit
        let frame = try F.parse(bytes, .toServer, state: &state)
        #expect(MELSECFixtures.event(frame, bytes, state: &state).targets.isEmpty)
        #expect(state.pending.take(0).map { $0.device == nil && $0.command == 0x0401 } == true)
        #expect(MELSEC.probe(Array("5001".utf8).span, direction: .toServer) == .reject)
        #expect(MELSEC.probe(Array("D0".utf8).span, direction: .toClient) == .needMore)
        #expect(MELSEC.probe(Array("DA".utf8).span, direction: .toClient) == .reject)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0xA5C1)
        var state = MELSEC.makeState()
        let alphabet = Array("0123456789ABCDEF*DMXYZRW G".utf8)
        let subheaders = ["5000", "D000", "5400", "D400"]
        var parsed = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<80, using: &generator)
            var bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            if bytes.count >= 26, Int.random(in: 0..<4, using: &generator) != 0 {
                let subheader = subheaders[Int.random(in: 0..<4, using: &generator)]
                bytes.replaceSubrange(0..<4, with: Array(subheader.utf8))
                let header = subheader.hasSuffix("400") ? 26 : 18
                // Mostly hex header fields, so that many frames get past the header checks.
                for index in 4..<min(bytes.count, header + 12) where Int.random(in: 0..<50, using: &generator) != 0 {
                    bytes[index] = alphabet[Int.random(in: 0..<16, using: &generator)]
                }
                let dataLength = String(bytes.count - header, radix: 16, uppercase: true)
                let field = String(repeating: "0", count: max(0, 4 - dataLength.count)) + dataLength
                bytes.replaceSubrange((header - 4)..<header, with: Array(field.utf8))
            }
            let direction: Direction = bytes.first == UInt8(ascii: "D") ? .toClient : .toServer
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
        #expect(parsed > 50)
        #expect(state.pending.count <= MELSEC.pendingCapacity)
    }
}
