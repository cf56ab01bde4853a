import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Process values: point values of responses and unsolicited responses, commanded values of
/// select/operate/direct operate, with flags and the point's own time.
@Suite struct DNP3ProcessValueTests {
    /// Packet time of every test message: 5 s after the epoch.
    static let packetTime: Int64 = 5_000_000_000
    static let outstation = "dnp3://10.0.0.2/2/"

    /// A response from outstation 2 to master 3: static analogs, an analog event with time,
    /// packed binaries, a binary with flags, a counter and a float analog output status.
    static let response: [UInt8] = [
        0xe2, 0x81, 0x00, 0x00,  // FIR FIN CON, sequence 2; response; IIN 0
        0x1e, 0x01, 0x00, 0x03, 0x04,  // g30v1 (32-bit analog input, flags), 1-byte start/stop 3…4
        0x01, 0x2c, 0x01, 0x00, 0x00,  //   index 3: online, 300
        0x03, 0xff, 0xff, 0xff, 0xff,  //   index 4: online + restart, -1
        0x20, 0x03, 0x17, 0x01,  // g32v3 (32-bit analog event with time), 1-byte count and index prefix, 1
        0x07, 0x01, 0x0a, 0x00, 0x00, 0x00,  //   index 7: online, 10
        0x7b, 0x68, 0xe5, 0xcf, 0x8b, 0x01,  //   time 1 700 000 000 123 ms
        0x01, 0x01, 0x00, 0x00, 0x09,  // g1v1 (packed binary inputs), 0…9
        0x05, 0x02,  //   bits: 0 and 2 on, 9 on
        0x01, 0x02, 0x00, 0x05, 0x05,  // g1v2 (binary input with flags), 5…5
        0x81,  //   online, state on
        0x14, 0x01, 0x00, 0x00, 0x00,  // g20v1 (32-bit counter, flags), 0…0
        0x01, 0x40, 0xe2, 0x01, 0x00,  //   online, 123456
        0x28, 0x03, 0x00, 0x02, 0x02,  // g40v3 (float analog output status), 2…2
        0x01, 0x00, 0x00, 0x48, 0x41,  //   online, 12.5
    ]

    /// An unsolicited response with a common time of occurrence and a relative-time binary event.
    static let unsolicited: [UInt8] = [
        0xf3, 0x82, 0x00, 0x00,  // FIR FIN CON UNS, sequence 3; unsolicited response; IIN 0
        0x33, 0x01, 0x07, 0x01,  // g51v1 (CTO, synchronised), 1-byte count 1
        0x7b, 0x68, 0xe5, 0xcf, 0x8b, 0x01,  //   1 700 000 000 123 ms
        0x02, 0x03, 0x17, 0x01,  // g2v3 (binary event, relative time), 1-byte index prefix, count 1
        0x04, 0x01, 0xe8, 0x03,  //   index 4: online, state off, +1000 ms
        0x20, 0x06, 0x17, 0x01,  // g32v6 (double analog event), 1-byte index prefix, count 1
        0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0xc0,  //   index 9: online, -3.25
    ]

    /// Direct operate of an analog output block and a CROB (latch off) at once.
    static let directOperate: [UInt8] = [
        0xc4, 0x05,  // FIR FIN, sequence 4; direct operate
        0x29, 0x03, 0x17, 0x01,  // g41v3 (float analog output block), 1-byte index prefix, count 1
        0x03, 0x00, 0x00, 0x48, 0x41, 0x00,  //   index 3: 12.5, status 0
        0x0c, 0x01, 0x17, 0x01,  // g12v1 (CROB), 1-byte index prefix, count 1
        0x06, 0x04, 0x01,  //   index 6: latch off, count 1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  //   on 0, off 0, status 0
    ]

    struct Values {
        var dissector: [ProcessValue]
        var state: [ProcessValue]
        var message: Message
    }

    /// Parses `app` (split into segments of `chunk` bytes) on a fresh flow and returns the last
    /// frame's values through the `Dissector` requirement and through the flow's state.
    static func values(_ app: [UInt8], _ direction: Direction, chunk: Int = 249) -> Values? {
        var state = DNP3.makeState()
        let response = direction == .toClient
        let frames = DNP3Bytes.fragment(
            app, chunk: chunk, control: response ? 0x44 : 0xc4, destination: response ? 3 : 2,
            source: response ? 2 : 3)
        let context = DNP3Bytes.context(direction, time: packetTime)
        var last: Values?
        for bytes in frames {
            guard case .success(let parsed) = DNP3Bytes.parse(bytes, direction, state: &state, time: packetTime)
            else { return nil }
            let event = DNP3.event(parsed.message, bytes: bytes.span, context: context, state: &state)
            last = Values(
                dissector: DNP3.processValues(parsed.message, event: event, bytes: bytes.span, context: context),
                state: DNP3.processValues(parsed.message, context: context, state: state), message: event)
        }
        return last
    }

    static func value(_ values: [ProcessValue], _ tag: String) -> ProcessValue? {
        values.first { $0.tag == outstation + tag }
    }

    static func at(_ milliseconds: Int64) -> Timestamp { Timestamp(nanoseconds: milliseconds * 1_000_000) }

    @Test func responseValuesCarryFlagsAndTimes() throws {
        let result = try #require(Self.values(Self.response, .toClient))
        let values = result.dissector
        #expect(values == result.state)
        #expect(values.count == 2 + 1 + 10 + 1 + 1 + 1)
        #expect(values.allSatisfy { !$0.written })
        let packet = Timestamp(nanoseconds: Self.packetTime)
        #expect(Self.value(values, "analog_input/3") == ProcessValue(
            time: packet, tag: Self.outstation + "analog_input/3", value: 300, written: false, quality: 0x01))
        #expect(Self.value(values, "analog_input/4")?.value == -1)
        #expect(Self.value(values, "analog_input/4")?.quality == 0x03)
        let event = try #require(Self.value(values, "analog_input/7"))
        #expect(event.value == 10)
        #expect(event.time == Self.at(1_700_000_000_123))
        let bits = (0...9).map { Self.value(values, "binary_input/\($0)")?.value }
        #expect(bits == [1, 0, 1, 0, 0, 0, 0, 0, 0, 1])
        #expect(Self.value(values, "binary_input/0")?.quality == nil)
        // Index 5 comes twice: packed (off) and then with flags (on); both are reported in order.
        #expect(values.filter { $0.tag.hasSuffix("binary_input/5") }.map(\.value) == [0, 1])
        #expect(values.last { $0.tag.hasSuffix("binary_input/5") }?.quality == 0x81)
        #expect(Self.value(values, "counter/0")?.value == 123_456)
        #expect(Self.value(values, "analog_output/2")?.value == 12.5)
        #expect(Self.value(values, "analog_output/2")?.written == false)
    }

    @Test func unsolicitedRelativeTimeAddsToTheCommonTime() throws {
        let result = try #require(Self.values(Self.unsolicited, .toClient))
        #expect(result.dissector == result.state)
        #expect(result.dissector.count == 2)
        let binary = try #require(Self.value(result.dissector, "binary_input/4"))
        #expect(binary.value == 0)
        #expect(binary.quality == 0x01)
        #expect(binary.time == Self.at(1_700_000_001_123))
        let analog = try #require(Self.value(result.dissector, "analog_input/9"))
        #expect(analog.value == -3.25)
        #expect(analog.time == Timestamp(nanoseconds: Self.packetTime))
    }

    @Test func relativeTimeWithoutCommonTimeTakesThePacketTime() throws {
        let app: [UInt8] = [
            0xf3, 0x82, 0x00, 0x00,  // unsolicited response
            0x02, 0x03, 0x17, 0x01, 0x04, 0x81, 0xe8, 0x03,  // g2v3 index 4: on, +1000 ms, no CTO before it
        ]
        let result = try #require(Self.values(app, .toClient))
        #expect(result.state.map(\.time) == [Timestamp(nanoseconds: Self.packetTime)])
        #expect(result.state.map(\.value) == [1])
    }

    @Test func commandsCarryTheCommandedValues() throws {
        let result = try #require(Self.values(Self.directOperate, .toServer))
        #expect(result.dissector == result.state)
        let tags = ["analog_output/3", "binary_output/6"].map { Self.outstation + $0 }
        #expect(result.dissector.map(\.tag) == tags)
        #expect(result.dissector.map(\.value) == [12.5, 0])
        #expect(result.dissector.allSatisfy { $0.written && $0.quality == nil })
    }

    @Test func selectOfARealCaptureCommandsLatchOn() throws {
        var state = DNP3.makeState()
        let bytes = DNP3Bytes.selectCROB
        guard case .success(let parsed) = DNP3Bytes.parse(bytes, .toServer, state: &state) else {
            Issue.record("select did not parse")
            return
        }
        let context = DNP3Bytes.context(.toServer)
        let event = DNP3.event(parsed.message, bytes: bytes.span, context: context, state: &state)
        let values = DNP3.processValues(parsed.message, event: event, bytes: bytes.span, context: context)
        #expect(values == [ProcessValue(
            time: .zero, tag: Self.outstation + "binary_output/1", value: 1, written: true)])
    }

    @Test(arguments: [
        (UInt8(0x01), 1.0), (0x02, 0), (0x03, 1), (0x04, 0), (0x41, 1), (0x81, 0), (0x00, nil), (0x05, nil),
    ] as [(UInt8, Double?)])
    func crobControlCodeGivesTheCommandedState(code: UInt8, state: Double?) {
        #expect(DNP3.ProcessValues.commandedState(code) == state)
    }

    @Test func echoesReadsAndConfirmsCarryNone() throws {
        // The response to a direct operate echoes the blocks: their values are not new.
        var echo = Self.directOperate
        echo[0] = 0xc4
        echo[1] = 0x81
        echo.insert(contentsOf: [0x00, 0x00], at: 2)
        #expect(try #require(Self.values(echo, .toClient)).state.isEmpty)
        let read: [UInt8] = [0xc1, 0x01, 0x1e, 0x01, 0x00, 0x00, 0x04]  // read g30v1 0…4
        #expect(try #require(Self.values(read, .toServer)).state.isEmpty)
        #expect(try #require(Self.values([0xc1, 0x00], .toServer)).dissector.isEmpty)
    }

    @Test func notFiniteFloatsAreLeftOut() throws {
        let app: [UInt8] = [
            0xe2, 0x81, 0x00, 0x00,  // response
            0x1e, 0x05, 0x00, 0x00, 0x01,  // g30v5 (float analog, flags), 0…1
            0x01, 0x00, 0x00, 0xc0, 0x7f,  //   index 0: NaN
            0x01, 0x00, 0x00, 0x80, 0x3f,  //   index 1: 1.0
        ]
        let result = try #require(Self.values(app, .toClient))
        #expect(result.state.map(\.tag) == [Self.outstation + "analog_input/1"])
    }

    @Test func timeBeyondTheTimestampRangeFallsBackToThePacketTime() throws {
        let app: [UInt8] = [
            0xe2, 0x81, 0x00, 0x00,  // response
            0x02, 0x02, 0x17, 0x01,  // g2v2 (binary event with time), count 1
            0x00, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  //   index 0: on, time 2^48 - 1 ms (year 10889)
        ]
        let result = try #require(Self.values(app, .toClient))
        #expect(result.state.map(\.time) == [Timestamp(nanoseconds: Self.packetTime)])
    }

    /// A fragment of three segments: the flow's state gives everything; the `Dissector`
    /// requirement, without the state, falls back to the event's integer values.
    @Test func multiSegmentFragmentFallsBackToTheEvent() throws {
        let result = try #require(Self.values(Self.response, .toClient, chunk: 20))
        #expect(result.state == (try #require(Self.values(Self.response, .toClient))).state)
        let fallback = result.dissector
        #expect(fallback.map(\.tag) == result.state.map(\.tag))
        // The event rounds floats: 12.5 is listed as 13.
        #expect(fallback.map(\.value) == result.state.map { $0.value.rounded() })
        #expect(fallback.allSatisfy { $0.quality == nil && $0.time == Timestamp(nanoseconds: Self.packetTime) })
    }

    @Test func valuesPerMessageAreCapped() throws {
        // 3000 packed binary inputs: 375 bytes of bits, two segments.
        let app: [UInt8] = [0xe2, 0x81, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x00, 0xb7, 0x0b]  // g1v1 0…2999
            + [UInt8](repeating: 0xff, count: 375)
        let result = try #require(Self.values(app, .toClient))
        #expect(result.state.count == DNP3.ProcessValues.maxPerMessage)
        #expect(result.dissector.count == DNP3.ProcessValues.maxPerMessage)
        #expect(result.message.anomalies.contains("dnp3.too_many_points"))
    }

    @Test(arguments: 0..<response.count)
    func truncatedResponsesDoNotTrap(length: Int) {
        let app = Array(Self.response.prefix(length))
        guard let result = Self.values(app, .toClient) else { return }
        #expect(result.state.count <= 16)
        #expect(result.dissector == result.state)
    }

    @Test func randomFragmentsDoNotTrap() {
        var generator = SeededGenerator(seed: 0xd1_3b_3)
        let heads: [[UInt8]] = [[0xe2, 0x81, 0x00, 0x00], [0xf3, 0x82, 0x00, 0x00], [0xc4, 0x05], [0xc4, 0x03]]
        var total = 0
        for round in 0..<3000 {
            let length = Int.random(in: 0..<120, using: &generator)
            var app = heads[round % heads.count]
            for _ in 0..<length { app.append(UInt8.random(in: 0...255, using: &generator)) }
            // Bias towards value-carrying groups so the decoders are reached.
            let objects = heads[round % heads.count].count
            if app.count > objects + 3, round % 2 == 0 {
                app[objects] = [1, 2, 12, 20, 30, 32, 40, 41][round % 8]  // group
                app[objects + 1] = UInt8(1 + round % 3)  // variation
                app[objects + 2] = [0x00, 0x17, 0x28, 0x07][(round / 8) % 4]  // qualifier
            }
            let direction: Direction = app[1] >= 0x81 ? .toClient : .toServer
            guard let result = Self.values(app, direction) else { continue }
            #expect(result.state.count <= DNP3.ProcessValues.maxPerMessage)
            #expect(result.dissector == result.state)
            total += result.state.count
        }
        #expect(total > 0)
    }
}
