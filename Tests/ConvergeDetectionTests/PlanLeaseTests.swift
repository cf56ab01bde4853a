import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeDetection

/// A counting plan's lease (`Detector.PlanLease`) takes a poll's messages without meeting the
/// rules while none could change an alert. Random Modbus traffic with polls, floods, unit and
/// function scans, exceptions, anomalies and clocks that jump back and forth goes to one detector
/// message by message and to another through the feed's gate as the engine drives it: the alerts
/// and the match counts must be equal, and the leases must have taken messages.
@Suite struct PlanLeaseTests {
    /// What the engine keys a message's shape by on its flow (`FeedKey`), here without the unit,
    /// so that one plan's messages address several units.
    struct Shape: Hashable {
        var flow: UInt64
        var direction: Direction
        var function: Int
        var status: Int
        var anomalies: [String]
    }

    static func traffic(seed: UInt64, count: Int) -> [Message] {
        var random = SeededGenerator(seed: seed)
        let clients = (1...3).map { Endpoint(address: IPAddress("10.0.1.\($0)")!, port: 40000) }
        let servers = (1...2).map { Endpoint(address: IPAddress("10.0.2.\($0)")!, port: 502) }
        let functions: [(Int, String, Operation)] = [
            (3, "read_holding_registers", .read), (3, "read_holding_registers", .read),
            (3, "read_holding_registers", .read), (4, "read_input_registers", .read), (1, "read_coils", .read),
            (16, "write_multiple_registers", .write), (6, "write_single_register", .write),
            (8, "diagnostics", .diagnostic), (43, "read_device_identification", .read),
        ]
        var time: Int64 = 1_000_000_000_000
        var burst = 0
        var messages: [Message] = []
        for frame in 1...count {
            if burst > 0 {
                burst -= 1
                time += Int64.random(in: 0...2_000_000, using: &random)
            } else {
                switch Int.random(in: 0..<1000, using: &random) {
                case 0..<8: burst = Int.random(in: 100...1600, using: &random)
                case 8..<10: time -= Int64.random(in: 0...30_000_000_000, using: &random)
                case 10..<14: time += Int64.random(in: 0...120_000_000_000, using: &random)
                default: time += Int64.random(in: 0...200_000_000, using: &random)
                }
            }
            let pair = Int.random(in: 0..<6, using: &random)
            // Pair 0 has a second connection: its windows are shared by two flows' plans.
            let flow = UInt64(pair == 0 && Bool.random(using: &random) ? 7 : pair + 1)
            let pick = burst > 0 && pair % 2 == 0 ? 5 : Int.random(in: 0..<functions.count, using: &random)
            let (code, name, operation) = functions[pick]
            var m = Message(
                time: Timestamp(nanoseconds: time), flowID: flow, client: clients[pair % 3], server: servers[pair / 3],
                proto: "modbus", direction: .toServer, functionCode: code, functionName: name, operation: operation,
                status: .pending)
            m.unit = Int.random(in: 0..<100, using: &random) < 97 ? 1 : Int.random(in: 0...20, using: &random)
            m.frame = frame
            m.captureIndex = 0
            if Int.random(in: 0..<10, using: &random) < 4 {
                m.direction = .toClient
                let failed = Int.random(in: 0..<100, using: &random) < 3 || (burst > 0 && pair == 4)
                m.status = failed ? .exception(code: 2, name: "illegal_data_address") : .ok
                if code == 16, !failed, Bool.random(using: &random) { m.anomalies = ["modbus.response_mismatch"] }
            } else if Int.random(in: 0..<500, using: &random) == 0 {
                m.anomalies = ["modbus.invalid_length"]  // the malformed-message rule's
            }
            messages.append(m)
        }
        return messages
    }

    /// Feeds `messages` through the gate the way `ApplicationLayer.emitMessage` does.
    static func gated(_ messages: [Message], into detector: Detector) {
        var verdicts: [Shape: FeedVerdict] = [:]
        for m in messages {
            let shape = Shape(
                flow: m.flowID, direction: m.direction, function: m.functionCode, status: m.status.kindIndex,
                anomalies: m.anomalies)
            switch verdicts[shape] {
            case .skip?:
                continue
            case .count(let plan)?:
                let sighting = FeedSighting(time: m.time, unit: m.unit, frame: m.frame ?? -1, capture: 0)
                if detector.count(plan: plan, sighting) { continue }
                verdicts[shape] = nil
            case .build?, nil:
                break
            }
            detector.observe(m)
            if verdicts[shape] == nil { verdicts[shape] = detector.feedVerdict(m) }
        }
    }

    @Test(arguments: 1...12 as ClosedRange<UInt64>, [Detector.defaultPlanSlots, 3])
    func leasedCountsRaiseTheAlertsOfEveryMessage(seed: UInt64, planSlots: Int) throws {
        let rules = try RuleLoader.builtIn()
        let messages = Self.traffic(seed: seed, count: 40_000)
        let reference = Detector(rules: rules, captures: ["bench.pcap"])
        for m in messages { reference.observe(m) }
        let fed = Detector(rules: rules, captures: ["bench.pcap"])
        fed.planSlots = planSlots
        Self.gated(messages, into: fed)

        let expected = reference.finish()
        #expect(fed.finish() == expected, "seed \(seed)")
        #expect(fed.matchCount == reference.matchCount)
        #expect(expected.contains { $0.rule == "modbus-flood" || $0.rule == "modbus-brute-force-io" })
        // With three plan places plans are refused and made again all the time: few leases.
        let leased = planSlots == Detector.defaultPlanSlots ? messages.count / 10 : 0
        #expect(fed.leasedMessages > leased, "seed \(seed): \(fed.leasedMessages) leased")
    }

    /// A steady poll: after the windows' evidence is taken, its messages go under leases, which
    /// end when a window would reopen.
    @Test func aPollIsTakenUnderLeasesUntilItsWindowsReopen() throws {
        let detector = Detector(rules: try RuleLoader.builtIn(), captures: ["poll.pcap"])
        let read = Message(
            time: .zero, flowID: 1, client: Endpoint(address: IPAddress("10.0.0.1")!, port: 40000),
            server: Endpoint(address: IPAddress("10.0.0.2")!, port: 502), proto: "modbus", direction: .toServer,
            functionCode: 3, functionName: "read_holding_registers", operation: .read, status: .pending)
        guard case .count(let plan) = detector.feedVerdict(read) else {
            Issue.record("a poll's read is counted")
            return
        }
        // One read every 100 ms for 30 s: the flood window (10 s) reopens twice.
        for n in 0..<300 {
            let sighting = FeedSighting(
                time: Timestamp(nanoseconds: Int64(n) * 100_000_000), unit: 1, frame: n + 1, capture: 0)
            #expect(detector.count(plan: plan, sighting))
        }
        // Each window opening costs its 16 evidence matches and one more to lease again.
        #expect(detector.leasedMessages >= 300 - 3 * (Detector.windowEvidence + 2))
        #expect(detector.finish().isEmpty)
    }
}
