import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// MBAP framing on a byte stream: partial ADUs ask for more, broken framing is malformed, and no
/// input traps.
@Suite struct ModbusTCPFramingTests {
    /// Write Multiple Registers request (17 bytes): long enough to cut at many places.
    static let request: [UInt8] = [
        0x12, 0x34,  // transaction id 0x1234
        0x00, 0x00,  // protocol id 0
        0x00, 0x0b,  // length 11
        0x01,  // unit 1
        0x10,  // function 16: write multiple registers
        0x00, 0x01, 0x00, 0x02,  // address 1, quantity 2
        0x04,  // byte count 4
        0x00, 0x0a, 0x01, 0x02,  // 10, 258
    ]
    /// Read Device Identification response (Schneider, from modbus_attack.pcap frame 118).
    static let deviceID: [UInt8] = [
        0x00, 0x19, 0x00, 0x00, 0x00, 0x30, 0x01,  // MBAP: transaction 25, length 48, unit 1
        0x2b, 0x0e,  // function 43, MEI 14
        0x01, 0x83, 0x00, 0x00, 0x03,  // basic, conformity 0x83, no more, next 0, 3 objects
        0x00, 0x12, 0x53, 0x63, 0x68, 0x6e, 0x65, 0x69, 0x64, 0x65, 0x72, 0x20,  // 0: "Schneider "
        0x45, 0x6c, 0x65, 0x63, 0x74, 0x72, 0x69, 0x63,  // "Electric"
        0x01, 0x0c, 0x42, 0x4d, 0x58, 0x20, 0x50, 0x33, 0x34, 0x20, 0x32, 0x30, 0x32, 0x30,  // 1: "BMX P34 2020"
        0x02, 0x04, 0x33, 0x2e, 0x32, 0x30,  // 2: "3.20"
    ]

    @Test(arguments: 0..<request.count)
    func truncatedRequestNeedsMore(length: Int) {
        var state = ModbusTCP.makeState()
        let result = ModbusHarness.parse(Array(Self.request.prefix(length)), .toServer, state: &state)
        guard case .failure(.needMore(let needed)) = result else {
            Issue.record("prefix \(length): \(result)")
            return
        }
        #expect(needed > length)
        #expect(needed <= Self.request.count)
        #expect(state.pending.count == 0)
    }

    @Test(arguments: 0..<deviceID.count)
    func truncatedResponseNeedsMore(length: Int) {
        var state = ModbusTCP.makeState()
        let result = ModbusHarness.parse(Array(Self.deviceID.prefix(length)), .toClient, state: &state)
        guard case .failure(.needMore(let needed)) = result else {
            Issue.record("prefix \(length): \(result)")
            return
        }
        #expect(needed > length)
    }

    @Test func twoADUsInOneSegment() {
        let reply: [UInt8] = [0x12, 0x34, 0, 0, 0, 6, 1, 0x10, 0, 1, 0, 2]  // echo of the request
        let stream = Self.request + reply + [0x00, 0x01]  // and the start of a third ADU
        var state = ModbusTCP.makeState()
        var offset = 0
        var frames: [ModbusTCP.Frame] = []
        var ended: DissectError?
        while offset < stream.count {
            switch ModbusHarness.parse(Array(stream[offset...]), .toServer, state: &state) {
            case .success(let parsed):
                frames.append(parsed.message)
                offset += parsed.consumed
            case .failure(let error):
                ended = error
                offset = stream.count
            }
        }
        #expect(frames.count == 2)
        #expect(frames.map(\.functionCode) == [16, 16])
        #expect(frames.first?.aduLength == 17)
        #expect(ended == .needMore(ModbusTCP.minADULength))
    }

    @Test func drippedByteByByte() {
        var state = ModbusTCP.makeState()
        var buffer: [UInt8] = []
        var parsedAt: [Int] = []
        for (index, byte) in Self.deviceID.enumerated() {
            buffer.append(byte)
            switch ModbusHarness.parse(buffer, .toClient, state: &state) {
            case .success(let parsed):
                #expect(parsed.consumed == buffer.count)
                parsedAt.append(index)
                buffer.removeFirst(parsed.consumed)
            case .failure(.needMore(let needed)):
                #expect(needed > buffer.count)
            case .failure(.malformed(let reason)):
                Issue.record("malformed at byte \(index): \(reason)")
            }
        }
        #expect(parsedAt == [Self.deviceID.count - 1])
        #expect(buffer.isEmpty)
    }

    @Test func badProtocolID() {
        var bytes = Self.request
        bytes[3] = 0x10
        var state = ModbusTCP.makeState()
        guard case .failure(.malformed) = ModbusHarness.parse(bytes, .toServer, state: &state) else {
            Issue.record("protocol id 0x0010 accepted")
            return
        }
        // Known from the first four bytes, before the length arrives.
        guard case .failure(.malformed) = ModbusHarness.parse(Array(bytes.prefix(4)), .toServer, state: &state)
        else {
            Issue.record("protocol id not rejected early")
            return
        }
        #expect(ModbusTCP.probe(bytes.span, direction: .toServer) == .reject)
    }

    @Test(arguments: [0, 1, 261, 0x8804, 0xffff])
    func lengthFieldOutsideCapIsMalformed(length: Int) {
        var bytes = Self.request
        bytes[4] = UInt8(length >> 8)
        bytes[5] = UInt8(length & 0xff)
        var state = ModbusTCP.makeState()
        guard case .failure(.malformed) = ModbusHarness.parse(bytes, .toServer, state: &state) else {
            Issue.record("length \(length) accepted")
            return
        }
        #expect(ModbusTCP.probe(bytes.span, direction: .toServer) == .reject)
    }

    @Test func lengthAboveSpecWithinCapIsAnAnomaly() {
        // Length 256: over the spec's 254 but within the cap, PDU of 255 bytes of an unknown function.
        var bytes: [UInt8] = [0, 9, 0, 0, 0x01, 0x00, 1, 0x41]
        bytes += [UInt8](repeating: 0, count: 254)
        var state = ModbusTCP.makeState()
        guard case .success(let parsed) = ModbusHarness.parse(bytes, .toServer, state: &state) else {
            Issue.record("length 256 not parsed")
            return
        }
        #expect(parsed.consumed == 262)
        #expect(parsed.message.anomalies == .invalidLength)
    }

    @Test func lengthDisagreeingWithPDUShape() {
        // Read holding registers whose length field claims one more byte than the layout has.
        let bytes: [UInt8] = [0, 1, 0, 0, 0, 7, 1, 0x03, 0, 0, 0, 1, 0xee]
        var state = ModbusTCP.makeState()
        let parsed = ModbusHarness.message(bytes, .toServer, state: &state)
        #expect(parsed?.frame.functionCode == 3)
        #expect(parsed?.message.anomalies == ["modbus.invalid_length"])
        // A read response whose byte count overruns the length field.
        let response: [UInt8] = [0, 1, 0, 0, 0, 5, 1, 0x03, 0x04, 0x00, 0x01]
        let answer = ModbusHarness.message(response, .toClient, state: &state)
        #expect(answer?.message.anomalies == ["modbus.invalid_length", "modbus.response_mismatch"])
        #expect(answer?.message.targets.first?.values == [1])
    }

    @Test func probe() {
        #expect(ModbusTCP.probe(Self.request.span, direction: .toServer) == .match)
        #expect(ModbusTCP.probe(Self.deviceID.span, direction: .toClient) == .match)
        #expect(ModbusTCP.probe(Array(Self.request.prefix(7)).span, direction: .toServer) == .needMore)
        #expect(ModbusTCP.probe([UInt8]().span, direction: .toServer) == .needMore)
        let exception: [UInt8] = [0, 1, 0, 0, 0, 3, 1, 0x83, 0x02]
        #expect(ModbusTCP.probe(exception.span, direction: .toClient) == .match)
        #expect(ModbusTCP.probe(exception.span, direction: .toServer) == .reject)
        // An unassigned function code is still Modbus framing (a function scan must be seen).
        let unassigned: [UInt8] = [0, 1, 0, 0, 0, 2, 1, 0x0a]
        #expect(ModbusTCP.probe(unassigned.span, direction: .toServer) == .match)
        let badLength: [UInt8] = [0, 1, 0, 0, 0x01, 0x00, 1, 0x03]
        #expect(ModbusTCP.probe(badLength.span, direction: .toServer) == .reject)
        let http = Array("GET / HTTP/1.1\r\n".utf8)
        #expect(ModbusTCP.probe(http.span, direction: .toServer) == .reject)
        let tls: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc]
        #expect(ModbusTCP.probe(tls.span, direction: .toServer) == .reject)
    }

    /// Random bytes, and random bodies behind a plausible MBAP header, through parse, event and
    /// facts: nothing traps and every success consumes a whole, in-bounds ADU.
    @Test(arguments: [1, 2, 3])
    func randomInputsNeverTrap(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var state = ModbusTCP.makeState()
        var parsedCount = 0
        for round in 0..<3000 {
            let size = Int.random(in: 0...300, using: &generator)
            var bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 2 == 0, size >= 8 {
                // Valid-looking framing so the body checks and event builders see hostile bodies.
                bytes[2] = 0
                bytes[3] = 0
                let length = Int.random(in: 2...min(260, size - 6), using: &generator)
                bytes[4] = UInt8(length >> 8)
                bytes[5] = UInt8(length & 0xff)
                let functions: [UInt8] = [1, 2, 3, 4, 5, 6, 8, 15, 16, 20, 21, 22, 23, 24, 43, 90]
                if round % 4 == 0 { bytes[7] = functions[round / 4 % functions.count] }
                if round % 8 == 0, size > 8 { bytes[8] = 0x0e }
            }
            let direction: Direction = round % 3 == 0 ? .toServer : .toClient
            _ = ModbusTCP.probe(bytes.span, direction: direction)
            switch ModbusHarness.parse(bytes, direction, state: &state, time: Int64(round)) {
            case .success(let parsed):
                parsedCount += 1
                #expect(parsed.consumed >= ModbusTCP.minADULength && parsed.consumed <= bytes.count)
                let context = ModbusHarness.context(direction, time: Int64(round))
                let message = ModbusTCP.event(parsed.message, bytes: bytes.span, context: context, state: &state)
                #expect(message.functionCode == Int(bytes[7] & 0x7f))
                _ = ModbusTCP.facts(parsed.message, bytes: bytes.span, context: context)
            case .failure(.needMore(let needed)):
                #expect(needed > bytes.count)
            case .failure(.malformed):
                break
            }
            #expect(state.pending.count <= ModbusTCP.PendingTable.capacity)
        }
        #expect(parsedCount > 1000)
    }
}

@Suite struct ModbusTCPResyncTests {
    @Test func findsTheNextHeaderAfterGarbage() {
        let request = ModbusTCPFramingTests.request
        // The tail of a lost ADU (register data that even contains "00 00"), then two requests.
        let garbage: [UInt8] = [0x03, 0x00, 0x00, 0x00, 0x11, 0xff, 0x01]
        let stream = garbage + request + request
        #expect(ModbusTCP.resynchronize(stream.span, direction: .toServer) == garbage.count)
        #expect(ModbusTCP.resynchronize(request.span, direction: .toServer) == 0)
        #expect(ModbusTCP.resynchronize(garbage.span, direction: .toServer) == nil)
        #expect(ModbusTCP.resynchronize([UInt8]().span, direction: .toServer) == nil)
    }

    @Test func randomStreamsNeverTrap() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...2000, using: &generator)).map { _ in
                UInt8.random(in: 0...3, using: &generator)  // small values: many near-headers
            }
            if let offset = ModbusTCP.resynchronize(bytes.span, direction: .toClient) {
                #expect(offset >= 0 && offset < min(bytes.count, ModbusTCP.resyncWindow))
            }
        }
    }
}
