import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

@Suite struct C37118Tests {
    /// Appends the CRC-CCITT the frame needs.
    static func withCRC(_ bytes: [UInt8]) -> [UInt8] {
        let crc = C37118.crc(bytes.span, count: bytes.count)
        return bytes + [UInt8(crc >> 8), UInt8(crc & 0xFF)]
    }

    static func header(type: UInt8, size: Int, idcode: UInt16 = 7) -> [UInt8] {
        [0xAA, 0x02 | type << 4]  // SYNC: frame type, version 2 (2011)
            + [UInt8(size >> 8), UInt8(size & 0xFF)]  // FRAMESIZE
            + [UInt8(idcode >> 8), UInt8(idcode & 0xFF)]  // IDCODE
            + [0x5F, 0x00, 0x00, 0x00]  // SOC
            + [0x00, 0x07, 0xA1, 0x20]  // FRACSEC: time quality 0, fraction 500,000
    }

    /// CFG-2 of one PMU "STATION A", IDCODE 7: polar integer phasors, integer FREQ and analogs,
    /// one phasor (0.001 V per bit), one analog, one digital word, 60 Hz, 30 frames/s.
    static let configuration: [UInt8] = withCRC(
        header(type: 3, size: 354)
            + [0x00, 0x0F, 0x42, 0x40]  // TIME_BASE 1,000,000
            + [0x00, 0x01]  // NUM_PMU 1
            + Array("STATION A       ".utf8)  // STN
            + [0x00, 0x07]  // IDCODE 7
            + [0x00, 0x01]  // FORMAT: polar, integer phasors/analogs/frequency
            + [0x00, 0x01, 0x00, 0x01, 0x00, 0x01]  // PHNMR 1, ANNMR 1, DGNMR 1
            + Array("VA              ".utf8) + Array("TEMP            ".utf8)  // phasor and analog names
            + [UInt8](repeating: 0x42, count: 256)  // 16 digital bit names
            + [0x00, 0x00, 0x00, 0x64]  // PHUNIT: voltage, 100 × 10^-5 V per bit
            + [0x00, 0x00, 0x00, 0x01]  // ANUNIT
            + [0x00, 0x00, 0xFF, 0xFF]  // DIGUNIT
            + [0x00, 0x00]  // FNOM: 60 Hz
            + [0x00, 0x01]  // CFGCNT
            + [0x00, 0x1E])  // DATA_RATE 30

    /// A data frame for that configuration.
    static let data: [UInt8] = withCRC(
        header(type: 0, size: 30)
            + [0x00, 0x00]  // STAT: good, in sync
            + [0x27, 0x10, 0x3D, 0x5C]  // phasor: magnitude 10000 (10 V), angle 15708 (π/2)
            + [0x00, 0x19]  // FREQ: +25 mHz
            + [0xFF, 0xCE]  // DFREQ: -50 (-0.5 Hz/s)
            + [0x00, 0x7B]  // analog 123
            + [0x00, 0xF0])  // digital word

    /// Command: turn off transmission.
    static let turnOff: [UInt8] = withCRC(header(type: 4, size: 18) + [0x00, 0x01])

    func context(_ direction: Direction = .toClient) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: 0), flowID: 1, client: Endpoint(address: IPAddress(v4: 1), port: 50000),
            server: Endpoint(address: IPAddress(v4: 2), port: 4712), direction: direction)
    }

    func parse(_ bytes: [UInt8], state: inout C37118.State) throws -> (C37118.Frame, Int) {
        try C37118.parse(bytes.span, direction: .toClient, time: .init(nanoseconds: 0), state: &state)
    }

    @Test func crcIsCCITTFalse() {
        #expect(C37118.crc(Array("123456789".utf8).span, count: 9) == 0x29B1)
    }

    @Test func configurationThenDataGivesValues() throws {
        var state = C37118.State()
        let (cfg, used) = try parse(Self.configuration, state: &state)
        #expect(used == 354 && cfg.type == .configuration2 && cfg.pmuCount == 1 && cfg.dataRate == 30)
        #expect(cfg.anomalies.isEmpty && cfg.timeBase == 1_000_000 && cfg.idcode == 7)
        let cfgEvent = C37118.event(cfg, bytes: Self.configuration.span, context: context(), state: &state)
        #expect(cfgEvent.functionName == "cfg2" && cfgEvent.functionCode == 3)
        #expect(cfgEvent.targets.contains { $0.kind == "pmu" && $0.name == "STATION A" && $0.values == [1, 1, 1] })
        let stored = try #require(state.configuration(7))
        #expect(stored.dataFrameSize == 30 && stored.pmus.first?.phasorUnits == [100])
        let facts = C37118.facts(cfg, bytes: Self.configuration.span, context: context(), state: state)
        #expect(facts.contains { $0.kind == .moduleName && $0.value == "STATION A" && $0.address == IPAddress(v4: 2) })
        #expect(facts.contains { $0.kind == .role && $0.value == "pmu" })
        #expect(facts.contains {
            $0.kind == .capabilities && $0.value == "idcode=7 phasors=1 analogs=1 digitals=1 fnom=60 rate=30"
        })

        let (frame, dataUsed) = try parse(Self.data, state: &state)
        #expect(dataUsed == 30 && frame.type == .data && frame.soc == 0x5F00_0000 && frame.fraction == 500_000)
        let event = C37118.event(frame, bytes: Self.data.span, context: context(), state: &state)
        #expect(event.anomalies.isEmpty && event.status == .ok && event.operation == .read)
        let values = C37118.processValues(frame, event: event, bytes: Self.data.span, context: context(), state: state)
        func value(_ quantity: String) -> Double? {
            values.first { $0.tag == "c37118://\(IPAddress(v4: 2))/7/\(quantity)" }?.value
        }
        #expect(abs((value("phasor/0/magnitude") ?? 0) - 10) < 1e-9)
        #expect(abs((value("phasor/0/angle") ?? 0) - 90) < 0.01)
        #expect(abs((value("frequency") ?? 0) - 60.025) < 1e-9)
        #expect(value("rocof") == -0.5 && value("analog/0") == 123 && value("digital/0") == 240)
        #expect(values.count == 6 && values.allSatisfy { $0.quality == 0 && !$0.written })
    }

    @Test func dataWithoutConfigurationHasNoValues() throws {
        var state = C37118.State()
        let (frame, _) = try parse(Self.data, state: &state)
        let event = C37118.event(frame, bytes: Self.data.span, context: context(), state: &state)
        #expect(event.functionName == "data" && event.anomalies.isEmpty)
        let values = C37118.processValues(frame, event: event, bytes: Self.data.span, context: context(), state: state)
        #expect(values.isEmpty)
    }

    @Test func dataOfTheWrongSizeIsAnAnomaly() throws {
        var state = C37118.State()
        let (cfg, _) = try parse(Self.configuration, state: &state)
        _ = C37118.event(cfg, bytes: Self.configuration.span, context: context(), state: &state)
        let short = Self.withCRC(Self.header(type: 0, size: 20) + [0x00, 0x00, 0x00, 0x00])
        let (frame, _) = try parse(short, state: &state)
        let event = C37118.event(frame, bytes: short.span, context: context(), state: &state)
        #expect(event.anomalies == ["c37118.configuration_mismatch"])
        #expect(C37118.processValues(frame, event: event, bytes: short.span, context: context(), state: state).isEmpty)
    }

    @Test func commandIsControl() throws {
        var state = C37118.State()
        let (frame, used) = try parse(Self.turnOff, state: &state)
        #expect(used == 18 && frame.command == 1 && frame.functionCode == 4)
        let event = C37118.event(frame, bytes: Self.turnOff.span, context: context(.toServer), state: &state)
        #expect(event.functionName == "turn_off_transmission" && event.operation == .control)
        #expect(event.targets.contains(Message.Target(kind: "command", address: 1, name: "turn_off_transmission")))
        #expect(C37118.commandName(5) == ("send_cfg2", .read))
    }

    @Test func badChecksumIsAnAnomalyNotAnError() throws {
        var state = C37118.State()
        var bytes = Self.configuration
        bytes[bytes.count - 1] ^= 0xFF
        let (frame, used) = try parse(bytes, state: &state)
        #expect(used == 354 && frame.anomalies.contains(.badChecksum))
        let event = C37118.event(frame, bytes: bytes.span, context: context(), state: &state)
        #expect(event.anomalies.contains("c37118.bad_checksum"))
        #expect(state.configurations.isEmpty)
        #expect(C37118.probe(bytes.span, direction: .toClient) == .reject)
    }

    @Test func probe() {
        #expect(C37118.probe(Self.turnOff.span, direction: .toServer) == .match)
        #expect(C37118.probe(Array(Self.data.prefix(3)).span, direction: .toClient) == .needMore)
        #expect(C37118.probe([0x16, 0x03, 0x01, 0x00].span, direction: .toClient) == .reject)
        #expect(C37118.probe([0xAA, 0x72, 0x00, 0x20].span, direction: .toClient) == .reject)  // type 7
    }

    @Test(arguments: 0..<30)
    func truncatedPrefixAsksForMore(_ length: Int) {
        var state = C37118.State()
        let prefix = Array(Self.data.prefix(length))
        #expect(throws: DissectError.self) { try parse(prefix, state: &state) }
    }

    @Test func badLengths() {
        var state = C37118.State()
        var bytes = Self.turnOff
        bytes[2] = 0; bytes[3] = 15  // below the 16-byte minimum
        #expect(throws: DissectError.malformed("c37118: frame size 15 below 16")) { try parse(bytes, state: &state) }
        var cfg = Self.configuration
        cfg[19] = 0x09  // NUM_PMU 9: the blocks do not fit
        let frame = try? parse(cfg, state: &state).0
        #expect(frame?.anomalies.contains(.truncatedBody) == true)
    }

    @Test func twoFramesInOneSegment() throws {
        var state = C37118.State()
        let both = Self.turnOff + Self.data
        let (first, used) = try parse(both, state: &state)
        let (second, _) = try parse(Array(both[used...]), state: &state)
        #expect(first.type == .command && second.type == .data)
        #expect(C37118.resynchronize([0x00, 0xAA, 0x0F, 0xAA, 0x02].span, direction: .toClient) == 3)
    }

    @Test func stateIsBounded() {
        var state = C37118.State()
        for id in 0..<100 {
            state.remember(C37118.StreamConfiguration(
                idcode: UInt16(id), timeBase: 1, dataRate: 1, fromType: .configuration2, pmus: []))
        }
        #expect(state.configurations.count == C37118.State.maxStreams && state.configuration(99) != nil)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 4712)
        var state = C37118.State()
        let seeds = [Self.configuration, Self.data, Self.turnOff]
        for round in 0..<3_000 {
            var bytes = seeds[round % 3]
            for _ in 0..<Int.random(in: 1..<8, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            if round % 5 == 0 { bytes = Self.withCRC(Array(bytes.dropLast(2))) }
            if round % 7 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator))) }
            _ = C37118.probe(bytes.span, direction: .toClient)
            _ = C37118.resynchronize(bytes.span, direction: .toClient)
            guard let (frame, _) = try? parse(bytes, state: &state) else { continue }
            let event = C37118.event(frame, bytes: bytes.span, context: context(), state: &state)
            _ = C37118.facts(frame, bytes: bytes.span, context: context(), state: state)
            _ = C37118.processValues(frame, event: event, bytes: bytes.span, context: context(), state: state)
        }
        #expect(state.configurations.count <= C37118.State.maxStreams)
    }
}
