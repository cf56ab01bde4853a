import ConvergeEngine
import ConvergeModel
import Foundation
import Testing

@testable import ConvergeDetection

/// Learning a baseline and the deviations it raises, on hand-built messages (exact values) and on
/// the generated Modbus captures (learn on the first half of normal traffic, detect on the rest).
@Suite struct BaselineTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/baseline")
    static let normal = fixtures.appendingPathComponent("modbus_normal.pcap").path
    static let attack = fixtures.appendingPathComponent("modbus_attack.pcap").path

    static let hmi = IPAddress("10.0.0.9") ?? .none
    static let plc = IPAddress("10.0.0.5") ?? .none
    static let rogue = IPAddress("10.0.0.66") ?? .none

    /// A Modbus request at `second` seconds, frame `frame` of capture 0.
    static func request(
        _ second: Double, from client: IPAddress = hmi, to server: IPAddress = plc, function: Int = 3,
        name: String = "read_holding_registers", operation: ConvergeModel.Operation = .read,
        targets: [Message.Target]? = nil,
        frame: Int = 1
    ) -> Message {
        var m = Message(
            time: Timestamp(nanoseconds: Int64(second * 1e9)), flowID: 1,
            client: Endpoint(address: client, port: 40_000), server: Endpoint(address: server, port: 502),
            proto: "modbus", direction: .toServer, functionCode: function, functionName: name, operation: operation,
            targets: targets ?? [Message.Target(kind: "holding_register", address: 0, count: 10)], status: .pending)
        m.frame = frame
        m.captureIndex = 0
        return m
    }

    static func write(
        _ second: Double, register: Int, value: Int, from client: IPAddress = hmi, frame: Int = 1
    )
        -> Message
    {
        request(
            second, from: client, function: 6, name: "write_single_register", operation: .write,
            targets: [Message.Target(kind: "holding_register", address: register, values: [value])], frame: frame)
    }

    /// An HMI polling once a second for 20 s and writing set points 0…120 to register 40.
    static func learned() -> Baseline {
        var b = Baseline()
        for i in 0..<20 { b.learn(request(Double(i))) }
        for (i, v) in [0, 60, 120].enumerated() { b.learn(write(Double(i) + 0.5, register: 40, value: v)) }
        return b
    }

    static func detector(_ baseline: Baseline) -> BaselineDetector {
        BaselineDetector(baseline: baseline, mode: .detect, captures: ["plant.pcap"])
    }

    @Test func learningRecordsAssetsPairsFunctionsWritesAndPeriods() throws {
        let b = Self.learned()
        #expect(b.learned)
        #expect(b.knowsAsset(Self.hmi) && b.knowsAsset(Self.plc) && !b.knowsAsset(Self.rogue))
        #expect(b.knowsPair(client: Self.hmi, server: Self.plc, proto: "modbus"))
        #expect(!b.knowsPair(client: Self.plc, server: Self.hmi, proto: "modbus"))
        #expect(!b.knowsPair(client: Self.hmi, server: Self.plc, proto: "s7comm"))
        #expect(b.knowsFunction(client: Self.hmi, server: Self.plc, proto: "modbus", function: 3))
        #expect(b.knowsFunction(client: Self.hmi, server: Self.plc, proto: "modbus", function: 6))
        #expect(!b.knowsFunction(client: Self.hmi, server: Self.plc, proto: "modbus", function: 16))
        #expect(b.knowsWriter(client: Self.hmi, server: Self.plc, proto: "modbus"))
        let pair = try #require(b.pairs[Baseline.Pair(client: Self.hmi, server: Self.plc, proto: "modbus")])
        let range = try #require(pair.written[Baseline.TargetKey(kind: "holding_register", address: 40)])
        #expect(range.min == 0 && range.max == 120 && range.writes == 3)
        let slot = Baseline.PollSlot(function: 3, target: Baseline.TargetKey(kind: "holding_register", address: 0))
        #expect(pair.polls[slot]?.period == 1_000_000_000)
        #expect(pair.polls[slot]?.requests == 20)
    }

    @Test func noBaselineRaisesNothing() {
        let d = Self.detector(Baseline())
        d.observe(.message(Self.write(1, register: 40, value: 9999, from: Self.rogue)))
        #expect(d.finish().isEmpty)
    }

    @Test func knownTrafficRaisesNothing() {
        let d = Self.detector(Self.learned())
        for i in 0..<10 { d.observe(.message(Self.request(100 + Double(i)))) }
        d.observe(.message(Self.write(105.5, register: 40, value: 100)))
        #expect(d.finish().isEmpty)
    }

    @Test func anOutOfRangeWriteNamesWhatDiffers() throws {
        let d = Self.detector(Self.learned())
        d.observe(.message(Self.write(200, register: 40, value: 9999, frame: 77)))
        d.observe(.message(Self.write(201, register: 40, value: -5000, frame: 78)))
        let alerts = d.finish()
        let alert = try #require(alerts.first { $0.rule == "baseline.write_out_of_range" })
        #expect(alerts.count == 1)
        #expect(alert.id == "baseline.write_out_of_range:10.0.0.9>10.0.0.5/modbus/holding_register/40")
        #expect(alert.description == "10.0.0.9 wrote 9999 to holding register 40 of 10.0.0.5; learned range 0–120")
        #expect(alert.severity == .high && alert.count == 2)
        #expect(alert.techniques.contains("T0836"))
        #expect(alert.fields["observed_min"] == "-5000" && alert.fields["observed_max"] == "9999")
        #expect(
            alert.evidence == [
                Alert.EvidenceFrame(capture: "plant.pcap", frame: 77),
                Alert.EvidenceFrame(capture: "plant.pcap", frame: 78),
            ])
    }

    @Test func aWriteToARegisterNeverWrittenIsMedium() throws {
        let d = Self.detector(Self.learned())
        d.observe(.message(Self.write(200, register: 41, value: 5)))
        let alert = try #require(d.finish().first)
        #expect(alert.rule == "baseline.write_out_of_range" && alert.severity == .medium)
        #expect(alert.description.hasSuffix("holding register 41 of 10.0.0.5; never written while learning"))
    }

    @Test func aNewHostWritingIsANewAssetAndAHighNewPair() throws {
        let d = Self.detector(Self.learned())
        d.observe(.message(Self.request(300, from: Self.rogue)))
        d.observe(.message(Self.write(301, register: 40, value: 50, from: Self.rogue)))
        let alerts = d.finish()
        #expect(alerts.map(\.rule) == ["baseline.new_asset", "baseline.new_pair"])
        let pair = try #require(alerts.last)
        #expect(pair.id == "baseline.new_pair:10.0.0.66>10.0.0.5/modbus")
        #expect(pair.count == 2)
        // It began with a read (medium) and then wrote: the alert is raised to high.
        #expect(pair.severity == .high && pair.techniques.contains("T0855"))
        #expect(alerts.first?.id == "baseline.new_asset:10.0.0.66")
    }

    @Test func aNewFunctionOnAKnownPair() throws {
        let d = Self.detector(Self.learned())
        d.observe(
            .message(
                Self.request(
                    400, function: 8, name: "diagnostics.restart_communications", operation: .control, targets: [])))
        let alert = try #require(d.finish().first)
        #expect(alert.rule == "baseline.new_function" && alert.severity == .high)
        #expect(alert.id == "baseline.new_function:10.0.0.9>10.0.0.5/modbus/8")
        #expect(alert.description.contains("function 8 diagnostics.restart_communications (control)"))
        #expect(alert.description.hasSuffix("learned functions: 3, 6"))
    }

    @Test func aPollTooSoonOrTooLateBreaksTheCycle() throws {
        let d = Self.detector(Self.learned())
        for t in [500.0, 501, 502, 502.1, 503.1, 510] { d.observe(.message(Self.request(t))) }
        let alert = try #require(d.finish().first)
        #expect(alert.rule == "baseline.poll_cycle_broken")
        #expect(alert.count == 2)  // 0.1 s and 6.9 s against a 1 s period
        #expect(alert.description.contains("learned period 1.0 s"))
    }

    @Test func aPollThatStopsIsReportedAtTheEnd() throws {
        let d = Self.detector(Self.learned())
        d.observe(.message(Self.request(600)))
        d.observe(.message(Self.request(601)))
        // Something else goes on for a minute; the HMI never polls again.
        d.observe(.message(Self.write(660, register: 40, value: 60)))
        let alert = try #require(d.finish().first { $0.rule == "baseline.poll_cycle_broken" })
        #expect(alert.description.contains("stopped polling"))
    }

    @Test func learnModeAddsToTheBaselineAndRaisesNothing() throws {
        let d = BaselineDetector(baseline: Self.learned(), mode: .learn)
        d.observe(.message(Self.write(700, register: 40, value: 500, from: Self.rogue)))
        #expect(d.finish().isEmpty)
        #expect(d.baseline.knowsWriter(client: Self.rogue, server: Self.plc, proto: "modbus"))
    }

    @Test func pruneAndRemoveForgetPairs() {
        var b = Self.learned()
        b.learn(Self.request(5_000, from: Self.rogue))
        let gone = b.remove(pair: Baseline.Pair(client: Self.rogue, server: Self.plc, proto: "modbus"))
        #expect(gone)
        #expect(b.knowsAsset(Self.rogue))
        let removed = b.prune(lastSeenBefore: Timestamp(nanoseconds: 1_000_000_000_000))
        #expect(removed.pairs == 1 && b.pairs.isEmpty)
        #expect(!b.knowsAsset(Self.hmi))
    }

    @Test func pairTextRoundTrips() {
        let pair = Baseline.Pair(client: Self.hmi, server: Self.plc, proto: "modbus")
        #expect(Baseline.Pair(pair.description) == pair)
        #expect(Baseline.Pair("10.0.0.9>10.0.0.5") == nil)
        #expect(Baseline.Pair("x>10.0.0.5/modbus") == nil)
        #expect(Baseline.Pair("10.0.0.9>10.0.0.5/") == nil)
    }

    @Test func theBaselineSurvivesJSON() throws {
        let b = Self.learned()
        let back = try JSONDecoder().decode(Baseline.self, from: JSONEncoder().encode(b))
        #expect(back.assets == b.assets)
        #expect(back.reviewLines() == b.reviewLines())
    }

    @Test func tablesStopAtTheirCaps() {
        var b = Baseline()
        for i in 0..<(Baseline.maxFunctionsPerPair + 10) {
            b.learn(Self.request(Double(i), function: i, name: "f\(i)"))
        }
        let pair = b.pairs[Baseline.Pair(client: Self.hmi, server: Self.plc, proto: "modbus")]
        #expect(pair?.functions.count == Baseline.maxFunctionsPerPair)
        #expect(b.dropped == 20)  // 10 functions and their 10 poll slots
        // A block write of 100,000 values at the top of the address space: cut, no overflow.
        var wide = Baseline()
        let block = Message.Target(
            kind: "holding_register", address: Int.max - 2, count: 100_000, values: Array(repeating: 1, count: 100_000))
        wide.learn(Self.request(1, function: 16, name: "write_multiple_registers", operation: .write, targets: [block]))
        let written = wide.pairs.first?.value.written
        #expect(written?.count == Baseline.maxValuesPerWrite)
    }

    /// Capture times a century apart (u32 pcap seconds 0 and 2³²−1) make intervals near Int64's
    /// limit: periods and their accepted ranges clamp instead of trapping.
    @Test func extremeIntervalsDoNotTrap() {
        var b = Baseline()
        let far = Int64(UInt32.max) * 1_000_000_000
        for i in 0..<12 {
            var m = Self.request(0)
            m.time = Timestamp(nanoseconds: i % 2 == 0 ? 0 : far)
            b.learn(m)
            m.time = Timestamp(nanoseconds: far &* Int64(i))
            b.learn(m)
        }
        let d = Self.detector(b)
        for t in [Int64.min, 0, far, Int64.max] {
            var m = Self.request(0)
            m.time = Timestamp(nanoseconds: t)
            d.observe(.message(m))
        }
        _ = d.finish()
        var poll = Baseline.PollRecord()
        for i in 0..<10 { poll.record(Timestamp(nanoseconds: far &* Int64(i))) }
        #expect(poll.period == far)
        #expect(poll.accepted?.upperBound == Int64.max)
    }

    /// Thousands of random messages (random addresses, functions, values, times, some huge) in
    /// learn mode and then detect mode: nothing traps, the alert table stays bounded.
    @Test func randomMessagesNeverTrapAndStayBounded() {
        var rng = BaselineRandom(seed: 0xB45E)
        var b = Baseline()
        func random() -> Message {
            let ops: [ConvergeModel.Operation] = [.read, .write, .control, .program, .other]
            var m = Self.request(
                Double(rng.next() % 1_000_000) / 7, from: IPAddress(v4: UInt32(truncatingIfNeeded: rng.next() % 64)),
                to: IPAddress(v4: UInt32(truncatingIfNeeded: rng.next() % 8)), function: Int(rng.next() % 300),
                operation: ops[Int(rng.next() % 5)],
                targets: [
                    Message.Target(
                        kind: ["coil", "holding_register", ""][Int(rng.next() % 3)],
                        address: Int(truncatingIfNeeded: rng.next()), count: 1,
                        values: (0..<Int(rng.next() % 4)).map { _ in Int(truncatingIfNeeded: rng.next()) },
                        value: rng.next() % 5 == 0 ? "nan" : nil)
                ],
                frame: Int(rng.next() % 10_000))
            m.direction = rng.next() % 4 == 0 ? .toClient : .toServer
            m.captureIndex = Int(rng.next() % 3) - 1
            return m
        }
        for _ in 0..<3_000 { b.learn(random()) }
        let d = Self.detector(b)
        for _ in 0..<3_000 { d.observe(.message(random())) }
        let alerts = d.finish()
        #expect(!alerts.isEmpty && alerts.count <= BaselineDetector.maxAlerts)
        #expect(alerts.allSatisfy { $0.evidence.count <= Alert.maxEvidence })
    }

    // MARK: - captures

    /// Every message of a capture, in order.
    static func messages(_ path: String) -> [Message] {
        var out: [Message] = []
        let analyzer = Analyzer()
        analyzer.eventSink = { if case .message(let m) = $0 { out.append(m) } }
        _ = analyzer.run(paths: [path])
        return out
    }

    @Test func normalTrafficAfterLearningItsFirstHalfRaisesNoHighAlert() {
        let messages = Self.messages(Self.normal)
        #expect(messages.count > 250)
        var b = Baseline()
        for m in messages where (m.frame ?? 0) <= 180 { b.learn(m) }
        let d = BaselineDetector(baseline: b, mode: .detect, captures: [Self.normal])
        for m in messages where (m.frame ?? 0) > 180 { d.observe(.message(m)) }
        let alerts = d.finish()
        #expect(alerts.filter { $0.severity >= .high }.isEmpty, "\(alerts.map(\.description))")
        // The one register written only in the second half (1500 to register 1) is named, at medium.
        #expect(alerts.map(\.id) == ["baseline.write_out_of_range:10.10.2.20>10.10.1.10/modbus/holding_register/1"])
    }

    @Test func theAttackCaptureNamesItsDeviations() throws {
        var b = Baseline()
        for m in Self.messages(Self.normal) { b.learn(m) }
        let d = BaselineDetector(baseline: b, mode: .detect, captures: [Self.attack])
        for m in Self.messages(Self.attack) { d.observe(.message(m)) }
        let alerts = d.finish()
        let ids = Set(alerts.map(\.id))
        #expect(ids.contains("baseline.new_asset:192.168.10.50"))
        let pair = try #require(alerts.first { $0.id == "baseline.new_pair:192.168.10.50>10.10.1.10/modbus" })
        #expect(pair.severity == .high && pair.count > 30)
        #expect(pair.evidence.count == Alert.maxEvidence || pair.evidence.count == pair.count)
        #expect(pair.evidence.allSatisfy { $0.capture == Self.attack && $0.frame > 0 })
        #expect(pair.fields["functions"] == "1,3,4,5,8,10,15,16,17,22,23,43,90,100")
        #expect(pair.description.hasSuffix("functions used: 1, 3, 4, 5, 8, 10, 15, 16, 17, 22, 23, 43, 90, 100"))
        // Its writes are measured against what the PLC's registers held while learning.
        let high = try #require(alerts.first {
            $0.id == "baseline.write_out_of_range:192.168.10.50>10.10.1.10/modbus/holding_register/1"
        })
        #expect(high.description == "192.168.10.50 wrote 3000 to holding register 1 of 10.10.1.10; learned range 1500–1500")
        #expect(high.severity == .high && high.count == 2 && high.fields["observed_min"] == "2999")
        #expect(ids.contains("baseline.write_out_of_range:192.168.10.50>10.10.1.10/modbus/holding_register/0"))
        // The HMI's own traffic is still known: no deviation names it as the client.
        #expect(!alerts.contains { $0.rule != "baseline.poll_cycle_broken" && $0.id.contains(":10.10.2.20>") })
    }
}

/// A small seeded generator (BaselineRandom64), so random tests repeat exactly.
struct BaselineRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
