import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// APCI framing: I, S and U frames, probe, truncation, bad lengths, resynchronisation, noise.
@Suite struct IEC104FramingTests {
    static let startDTAct: [UInt8] = [
        0x68, 0x04,  // start, length 4
        0x07, 0x00, 0x00, 0x00,  // U: STARTDT act
    ]
    static let testFRCon: [UInt8] = [0x68, 0x04, 0x83, 0x00, 0x00, 0x00]  // U: TESTFR con
    static let supervisory: [UInt8] = [
        0x68, 0x04,
        0x01, 0x00,  // S format
        0x0a, 0x00,  // N(R) = 5
    ]
    /// C_IC_NA_1 activation, station interrogation: the smallest common I frame.
    static let interrogation: [UInt8] = [
        0x68, 0x0e,  // start, length 14
        0x02, 0x00, 0x04, 0x00,  // I: N(S) = 1, N(R) = 2
        0x64,  // type 100 C_IC_NA_1
        0x01,  // SQ 0, one object
        0x06,  // cause 6 activation
        0x00,  // originator address
        0x2f, 0x00,  // common address 47
        0x00, 0x00, 0x00,  // IOA 0
        0x14,  // QOI 20: station interrogation
    ]

    @Test func unnumberedFrames() throws {
        let (frame, message) = try #require(IEC104Harness.single(Self.startDTAct, .toServer))
        #expect(frame.format == .unnumbered)
        #expect(frame.uFunction == .startDataTransferActivation)
        #expect(!frame.hasFunction)
        #expect(frame.anomalies.isEmpty)
        #expect(message.functionName == "startdt_act")
        #expect(message.functionCode == IEC104.noFunctionCode)
        #expect(message.operation == .session)
        #expect(message.status == .pending)
        let confirmation = try #require(IEC104Harness.single(Self.testFRCon, .toClient))
        #expect(confirmation.message.functionName == "testfr_con")
        #expect(confirmation.message.status == .ok)
    }

    @Test(arguments: [
        (UInt8(0x07), "startdt_act"), (0x0b, "startdt_con"), (0x13, "stopdt_act"), (0x23, "stopdt_con"),
        (0x43, "testfr_act"), (0x83, "testfr_con"),
    ])
    func everyUFunctionIsNamed(control: UInt8, name: String) throws {
        let (frame, message) = try #require(IEC104Harness.single([0x68, 0x04, control, 0, 0, 0]))
        #expect(message.functionName == name)
        #expect(frame.anomalies.isEmpty)
    }

    @Test func invalidUFunctions() throws {
        // Two function bits at once, no function bit, and a non-zero second octet.
        for bytes: [UInt8] in [[0x68, 0x04, 0x0f, 0, 0, 0], [0x68, 0x04, 0x03, 0, 0, 0], [0x68, 0x04, 0x07, 1, 0, 0]] {
            let (frame, message) = try #require(IEC104Harness.single(bytes))
            #expect(frame.anomalies.contains(.invalidControlField))
            #expect(message.anomalies.contains("iec104.invalid_control_field"))
        }
        #expect(IEC104Harness.single([0x68, 0x04, 0x0f, 0, 0, 0])?.message.functionName == "u_invalid")
    }

    @Test func supervisoryFrame() throws {
        let (frame, message) = try #require(IEC104Harness.single(Self.supervisory, .toServer))
        #expect(frame.format == .supervisory)
        #expect(frame.receiveSequence == 5)
        #expect(!frame.hasFunction)
        #expect(message.functionName == "s_ack")
        #expect(message.operation == .session)
        #expect(message.anomalies.isEmpty)
    }

    @Test func informationFrame() throws {
        let (frame, message) = try #require(IEC104Harness.single(Self.interrogation, .toServer))
        #expect(frame.format == .information)
        #expect(frame.sendSequence == 1)
        #expect(frame.receiveSequence == 2)
        #expect(frame.hasFunction)
        #expect(frame.functionCode == 100)
        #expect(frame.commonAddress == 47)
        #expect(frame.qualifier == 20)
        #expect(frame.anomalies.isEmpty)
        #expect(message.functionName == "c_ic_na_1.activation")
        #expect(message.operation == .read)
        #expect(message.unit == 47)
        #expect(message.targets == [Message.Target(kind: "interrogation", address: 0, values: [20, 0])])
    }

    @Test func sequenceNumbersUseFifteenBits() throws {
        // N(S) = 0x7fff, N(R) = 0x4000: the low bit of each pair is the format bit, not data.
        let bytes: [UInt8] = [0x68, 0x0e, 0xfe, 0xff, 0x00, 0x80, 0x64, 0x01, 0x06, 0x00, 0x01, 0x00, 0, 0, 0, 0x14]
        let (frame, _) = try #require(IEC104Harness.single(bytes))
        #expect(frame.sendSequence == 0x7fff)
        #expect(frame.receiveSequence == 0x4000)
    }

    @Test func probe() {
        #expect(IEC104.probe(Self.startDTAct.span, direction: .toServer) == .match)
        #expect(IEC104.probe(Self.interrogation.span, direction: .toServer) == .match)
        #expect(IEC104.probe(Self.supervisory.span, direction: .toServer) == .match)
        #expect(IEC104.probe([UInt8]().span, direction: .toServer) == .needMore)
        #expect(IEC104.probe([0x68].span, direction: .toServer) == .needMore)
        #expect(IEC104.probe([0x68, 0x04].span, direction: .toServer) == .needMore)
        #expect(IEC104.probe([0x00, 0x04, 0x07].span, direction: .toServer) == .reject)  // Modbus-like start
        #expect(IEC104.probe([0x68, 0x03, 0x07].span, direction: .toServer) == .reject)  // length below 4
        #expect(IEC104.probe([0x68, 0xfe, 0x00].span, direction: .toServer) == .reject)  // length above 253
        #expect(IEC104.probe([0x68, 0x04, 0x00].span, direction: .toServer) == .reject)  // I frame, no ASDU
        #expect(IEC104.probe([0x68, 0x05, 0x07].span, direction: .toServer) == .reject)  // U frame with ASDU
        #expect(IEC104.probe([0x68, 0x04, 0x0f].span, direction: .toServer) == .reject)  // two U functions
    }

    @Test(arguments: 0..<interrogation.count)
    func truncatedPrefixNeedsMore(length: Int) {
        var state = IEC104.makeState()
        let result = IEC104Harness.parse(Array(Self.interrogation.prefix(length)), .toServer, state: &state)
        guard case .failure(.needMore(let needed)) = result else {
            Issue.record("prefix \(length): \(result)")
            return
        }
        #expect(needed > length)
        #expect(needed <= Self.interrogation.count)
    }

    @Test func badStartAndLengthAreMalformed() {
        var state = IEC104.makeState()
        for bytes: [UInt8] in [[0x67, 0x04, 0x07, 0, 0, 0], [0x68, 0x00, 0x07, 0, 0, 0], [0x68, 0x03, 0x07, 0, 0, 0]] {
            guard case .failure(.malformed) = IEC104Harness.parse(bytes, .toServer, state: &state) else {
                Issue.record("\(bytes) was not malformed")
                continue
            }
        }
    }

    @Test func lengthsBeyondTheSpecAreAnomalies() throws {
        // Length 254: above the spec's 253 but within the byte; parsed, flagged, fully consumed.
        let asdu: [UInt8] = [0x01, 0x01, 0x03, 0x00, 0x01, 0x00] + [UInt8](repeating: 0, count: 244)
        let bytes = IEC104Harness.iFrame(asdu)
        #expect(bytes[1] == 254)
        var state = IEC104.makeState()
        guard case .success(let parsed) = IEC104Harness.parse(bytes, .toClient, state: &state) else {
            Issue.record("did not parse")
            return
        }
        #expect(parsed.consumed == 256)
        #expect(parsed.message.anomalies.contains(.invalidLength))
        // An S frame or U frame that claims ASDU bytes.
        let longS = try #require(IEC104Harness.single([0x68, 0x05, 0x01, 0x00, 0x00, 0x00, 0xaa]))
        #expect(longS.frame.anomalies.contains(.invalidControlField))
        let longU = try #require(IEC104Harness.single([0x68, 0x05, 0x43, 0x00, 0x00, 0x00, 0xaa]))
        #expect(longU.frame.anomalies.contains(.invalidLength))
    }

    @Test func emptyAndShortASDUs() throws {
        // An I frame without ASDU counts no function; one with a type id but no header counts it.
        let empty = try #require(IEC104Harness.single([0x68, 0x04, 0x00, 0x00, 0x00, 0x00]))
        #expect(!empty.frame.hasFunction)
        #expect(empty.frame.anomalies.contains(.shortASDU))
        #expect(empty.message.functionName == "i_empty")
        let short = try #require(IEC104Harness.single([0x68, 0x06, 0x00, 0x00, 0x00, 0x00, 0x2d, 0x01]))
        #expect(short.frame.hasFunction)
        #expect(short.frame.functionCode == 45)
        #expect(short.frame.anomalies.contains(.shortASDU))
        #expect(short.message.functionName == "c_sc_na_1")
        #expect(short.message.targets.isEmpty)
    }

    @Test func twoAPDUsInOneSegment() throws {
        let bytes = Self.supervisory + Self.interrogation
        var state = IEC104.makeState()
        guard case .success(let first) = IEC104Harness.parse(bytes, .toServer, state: &state) else {
            Issue.record("first did not parse")
            return
        }
        #expect(first.consumed == 6)
        let rest = Array(bytes[first.consumed...])
        guard case .success(let second) = IEC104Harness.parse(rest, .toServer, state: &state) else {
            Issue.record("second did not parse")
            return
        }
        #expect(second.consumed == Self.interrogation.count)
        #expect(second.message.functionCode == 100)
    }

    @Test func drippedByteByByte() {
        let stream = Self.startDTAct + Self.interrogation + Self.supervisory
        var state = IEC104.makeState()
        var buffer: [UInt8] = []
        var formats: [IEC104.Format] = []
        for byte in stream {
            buffer.append(byte)
            while case .success(let parsed) = IEC104Harness.parse(buffer, .toServer, state: &state) {
                formats.append(parsed.message.format)
                buffer.removeFirst(parsed.consumed)
            }
        }
        #expect(formats == [.unnumbered, .information, .supervisory])
        #expect(buffer.isEmpty)
    }

    @Test func resynchronizeFindsTheNextStart() {
        let junk: [UInt8] = [0x00, 0x11, 0x68, 0x02, 0x22]  // a 0x68 with a length below 4 is skipped
        #expect(IEC104.resynchronize((junk + Self.startDTAct).span, direction: .toServer) == junk.count)
        #expect(IEC104.resynchronize(junk.span, direction: .toServer) == nil)
        #expect(IEC104.resynchronize([0x00, 0x68].span, direction: .toServer) == 1)  // length still to come
        let garbage = [UInt8](repeating: 0x55, count: IEC104.resyncWindow + 10) + Self.startDTAct
        #expect(IEC104.resynchronize(garbage.span, direction: .toServer) == nil)  // bounded scan
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 104)
        var parsed = 0
        for round in 0..<3_000 {
            var state = IEC104.makeState()
            let length = Int.random(in: 0...300, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Most rounds get a valid start and length, so the ASDU code is exercised too.
            if round % 4 != 0, bytes.count >= 2 {
                bytes[0] = 0x68
                bytes[1] = UInt8(truncatingIfNeeded: min(255, max(4, bytes.count - 2)))
            }
            var offset = 0
            while offset < bytes.count {
                let rest = Array(bytes[offset...])
                let direction: Direction = round % 2 == 0 ? .toServer : .toClient
                switch IEC104Harness.parse(rest, direction, state: &state, time: Int64(round)) {
                case .success(let result):
                    parsed += 1
                    let context = IEC104Harness.context(direction)
                    _ = IEC104.event(result.message, bytes: rest.span, context: context, state: &state)
                    _ = IEC104.facts(result.message, bytes: rest.span, context: context)
                    #expect(result.consumed > 0 && result.consumed <= rest.count)
                    offset += result.consumed
                case .failure(.needMore(let needed)):
                    #expect(needed > rest.count)
                    offset = bytes.count
                case .failure(.malformed):
                    let after = Array(bytes[(offset + 1)...])
                    offset += 1 + (IEC104.resynchronize(after.span, direction: direction) ?? bytes.count)
                }
            }
        }
        #expect(parsed > 1_000)
    }
}
