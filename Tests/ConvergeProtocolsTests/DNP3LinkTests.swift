import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Link layer: framing, CRCs, truncation, resynchronisation, several frames per delivery.
@Suite struct DNP3LinkTests {
    typealias B = DNP3Bytes

    @Test func crcMatchesCapturedFrames() {
        // The builder's CRCs reproduce the captured ones byte for byte.
        let userData = Array(B.readClasses[10..<25])
        #expect(B.frame(control: 0xc4, destination: 2, source: 3, userData) == B.readClasses)
        let crob = Array(B.selectCROB[10..<26]) + Array(B.selectCROB[28..<33])
        #expect(B.frame(crob) == B.selectCROB)
    }

    @Test func capturedReadParses() throws {
        var state = DNP3.makeState()
        let parsed = try B.parse(B.readClasses, state: &state).get()
        #expect(parsed.consumed == B.readClasses.count)
        let frame = parsed.message
        #expect(frame.link == DNP3.Link.Header(length: 20, control: 0xc4, destination: 2, source: 3))
        #expect(frame.link.fromMaster && frame.link.isPrimary && frame.link.function == 4)
        #expect(frame.hasFunction && frame.functionCode == 1)
        #expect(frame.transportSequence == 7 && frame.applicationSequence == 8)
        #expect(frame.objectHeaders == 4 && frame.touched == .classData)
        #expect(frame.anomalies.isEmpty)
        #expect(frame.operation == .read)
    }

    @Test func probeWantsStartLengthAndHeaderCRC() {
        #expect(probe(B.readClasses) == .match)
        #expect(probe([0x05, 0x64, 0x14]) == .needMore)
        #expect(probe([0x05, 0x65]) == .reject)
        #expect(probe([0x05, 0x64, 0x04]) == .reject)
        var badCRC = B.readClasses
        badCRC[9] ^= 0xff
        #expect(probe(badCRC) == .reject)
        #expect(probe([UInt8]()) == .needMore)
    }

    @Test(arguments: 0..<27)
    func everyTruncatedPrefixAsksForMore(length: Int) {
        var state = DNP3.makeState()
        let prefix = Array(B.readClasses.prefix(length))
        switch B.parse(prefix, state: &state) {
        case .failure(.needMore(let needed)): #expect(needed > length && needed <= B.readClasses.count)
        default: Issue.record("prefix of \(length) bytes did not ask for more")
        }
    }

    @Test func linkOnlyFramesCarryNoFunction() throws {
        var state = DNP3.makeState()
        // Request link status (primary 9) and link status (secondary 11): header only.
        for control: UInt8 in [0xc9, 0x0b, 0xc0, 0x00] {
            let bytes = B.frame(control: control, [])
            let parsed = try B.parse(bytes, state: &state).get()
            #expect(parsed.consumed == 10)
            #expect(!parsed.message.hasFunction && !parsed.message.hasTransport)
            let event = DNP3.event(parsed.message, bytes: bytes.span, context: B.context(.toServer), state: &state)
            #expect(event.functionCode == DNP3.noFunction && event.functionName.hasPrefix("link."))
        }
        let status = DNP3.event(
            try B.parse(B.frame(control: 0x0b, []), state: &state).get().message, bytes: [UInt8]().span,
            context: B.context(.toClient), state: &state)
        #expect(status.functionName == "link.link_status")
    }

    @Test func badStartOrLengthIsMalformed() {
        var state = DNP3.makeState()
        var wrongStart = B.readClasses
        wrongStart[1] = 0x65
        #expect(isMalformed(B.parse(wrongStart, state: &state)))
        var shortLength = B.readClasses
        shortLength[2] = 4
        #expect(isMalformed(B.parse(shortLength, state: &state)))
        #expect(isMalformed(B.parse([0x00], state: &state)))
    }

    @Test func badHeaderCRCIsAnAnomalyButTheFrameIsRead() throws {
        var state = DNP3.makeState()
        var bytes = B.readClasses
        bytes[8] ^= 0x01
        let frame = try B.parse(bytes, state: &state).get().message
        #expect(frame.anomalies == .headerCRC)
        #expect(frame.hasFunction)
    }

    @Test func badDataCRCDropsTheSegment() throws {
        var state = DNP3.makeState()
        var bytes = B.readClasses
        bytes[bytes.count - 1] ^= 0x01
        let frame = try B.parse(bytes, state: &state).get().message
        #expect(frame.anomalies == .dataCRC)
        #expect(!frame.hasFunction && frame.hasTransport)
        let event = DNP3.event(frame, bytes: bytes.span, context: B.context(.toServer), state: &state)
        #expect(event.anomalies == ["dnp3.bad_transport_crc"])
    }

    @Test func lengthFieldDisagreeingWithTheBytes() throws {
        var state = DNP3.makeState()
        // A length field claiming more data than follows: the stream waits for it.
        var longer = B.readClasses
        longer[2] = 40
        longer[8...9] = B.crc(Array(longer[0..<8]))[...]
        guard case .failure(.needMore(let needed)) = B.parse(longer, state: &state) else {
            Issue.record("a long length field did not ask for more")
            return
        }
        #expect(needed == DNP3.Link.frameLength(lengthField: 40))
        // A shorter one cuts the data: its CRC no longer matches and the rest is not this frame.
        var shorter = B.readClasses
        shorter[2] = 10
        shorter[8...9] = B.crc(Array(shorter[0..<8]))[...]
        let parsed = try B.parse(shorter, state: &state).get()
        #expect(parsed.consumed == DNP3.Link.frameLength(lengthField: 10))
        #expect(parsed.message.anomalies.contains(.dataCRC))
    }

    @Test func severalFramesInOneDatagramAndDripped() throws {
        let stream = B.readClasses + B.frame(control: 0x0b, []) + B.selectCROB
        var state = DNP3.makeState()
        var offset = 0
        var functions: [Int] = []
        while offset < stream.count {
            let parsed = try B.parse(Array(stream[offset...]), state: &state).get()
            if parsed.message.hasFunction { functions.append(parsed.message.functionCode) }
            offset += parsed.consumed
        }
        #expect(functions == [1, 3])
        // Byte by byte: only whole frames parse, with the same result.
        state = DNP3.makeState()
        var buffer: [UInt8] = []
        var dripped: [Int] = []
        for byte in stream {
            buffer.append(byte)
            if case .success(let parsed) = B.parse(buffer, state: &state) {
                if parsed.message.hasFunction { dripped.append(parsed.message.functionCode) }
                buffer.removeFirst(parsed.consumed)
            }
        }
        #expect(dripped == [1, 3] && buffer.isEmpty)
    }

    @Test func resynchronizeFindsTheNextValidHeader() {
        let junk: [UInt8] = [0x05, 0x64, 0x00, 0x11, 0x05, 0x64, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x99]
        let stream = junk + B.readClasses
        #expect(resync(stream) == junk.count)
        #expect(resync([UInt8](repeating: 0x64, count: 400)) == nil)
        // A partial header at the end may still become a frame.
        #expect(resync([0x00, 0x05, 0x64]) == 1)
    }

    func probe(_ bytes: [UInt8]) -> ProbeResult { DNP3.probe(bytes.span, direction: .toServer) }
    func resync(_ bytes: [UInt8]) -> Int? { DNP3.resynchronize(bytes.span, direction: .toServer) }

    func isMalformed(_ result: Result<(message: DNP3.Frame, consumed: Int), DissectError>) -> Bool {
        if case .failure(.malformed) = result { return true }
        return false
    }
}
