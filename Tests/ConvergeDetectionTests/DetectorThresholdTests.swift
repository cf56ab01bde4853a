import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeDetection

/// Thresholds and windows, aggregation into alerts with evidence, and the bounds on state.
@Suite struct DetectorThresholdTests {
    typealias F = DetectionFixtures

    @Test func aCountFiresWhenReachedWithinTheWindow() throws {
        let rules = try F.rule("    proto: modbus\n", extra: "  threshold: {count: 3, window: 10, per: pair}\n")
        let slow = [0.0, 11, 22, 33].map { Event.message(F.message(seconds: $0, frame: Int($0) + 1)) }
        #expect(F.alerts(rules, slow).isEmpty)
        let fast = [0.0, 1, 2].map { Event.message(F.message(seconds: $0, frame: Int($0) + 1)) }
        let alerts = F.alerts(rules, fast)
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.fields["threshold_count"] == "3" && alert.fields["threshold_window_s"] == "10")
        #expect(alert.evidence.map(\.frame) == [1, 2, 3])
        #expect(alert.count == 1)
    }

    @Test func aFiredWindowAddsEvidenceAndFiresAgainOnlyInALaterWindow() throws {
        let rules = try F.rule("    proto: modbus\n", extra: "  threshold: {count: 2, window: 10}\n")
        let times = [0.0, 1, 2, 3, 20, 21]
        let alerts = F.alerts(rules, times.enumerated().map { .message(F.message(seconds: $1, frame: $0 + 1)) })
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(alert.count == 2)  // windows [0,10] and [20,30] each fired once
        #expect(alert.evidence.map(\.frame) == [1, 2, 3, 4, 5, 6])
        #expect(alert.firstSeen.nanoseconds == 1_000_000_000 && alert.lastSeen.nanoseconds == 21_000_000_000)
    }

    @Test func distinctValuesOfEachField() throws {
        func distinct(_ field: String, _ messages: [Message], count: Int = 3) throws -> Int {
            let rules = try F.rule(
                "    proto: modbus\n", extra: "  threshold: {count: \(count), distinct: \(field), window: 60}\n")
            return F.alerts(rules, messages.map { .message($0) }).count
        }
        #expect(try distinct("unit", [1, 2, 3].map { F.message(unit: $0) }) == 1)
        #expect(try distinct("unit", [1, 1, 2, 2, 1].map { F.message(unit: $0) }) == 0)
        #expect(try distinct("function", [1, 2, 3].map { F.message(code: $0) }) == 1)
        #expect(try distinct("function", [3, 3, 3, 3].map { F.message(code: $0) }) == 0)
        #expect(try distinct("port", [502, 503, 504].map { F.message(serverPort: $0) }) == 1)
        let targets = [1, 2, 3].map { F.message(targets: [.init(kind: "szl", address: $0)]) }
        #expect(try distinct("target", targets) == 1)
        // per: source (the default) counts servers across pairs.
        #expect(try distinct("server", ["10.0.0.1", "10.0.0.2", "10.0.0.3"].map { F.message(server: $0) }) == 1)
        #expect(try distinct("client", ["10.0.0.1", "10.0.0.2", "10.0.0.3"].map { F.message(client: $0) }) == 0)
        let perServer = try F.rule(
            "    proto: modbus\n", extra: "  threshold: {count: 3, distinct: client, window: 60, per: server}\n")
        let clients = ["10.0.0.1", "10.0.0.2", "10.0.0.3"].map { Event.message(F.message(client: $0)) }
        #expect(F.alerts(perServer, clients).count == 1)
    }

    @Test func flowThresholdsCountDistinctPorts() throws {
        let rules = try F.rule(
            "    flow: {tcp_state: syn_sent}\n",
            extra: "  threshold: {count: 5, distinct: port, window: 60}\n  group_by: source\n",
            on: "flow")
        let scan = (1...6).map { Event.flow(F.flow(serverPort: UInt16($0), state: "syn_sent", seconds: Double($0))) }
        let alerts = F.alerts(rules, scan)
        #expect(alerts.map(\.id) == ["r:10.0.0.5"] && alerts.first?.fields["distinct"] == "port")
        #expect(F.alerts(rules, Array(scan.prefix(4))).isEmpty)
    }

    @Test func alertsAggregateByTheRulesKey() throws {
        let events: [Event] = [
            .message(F.message(client: "10.0.0.1", server: "10.0.0.9", seconds: 1, frame: 1)),
            .message(F.message(client: "10.0.0.2", server: "10.0.0.9", seconds: 2, frame: 2, captureIndex: 1)),
            .message(F.message(client: "10.0.0.1", server: "10.0.0.8", seconds: 3, frame: 3)),
            .message(F.message(client: "10.0.0.1", server: "10.0.0.9", seconds: 4, frame: 4)),
        ]
        let byPair = F.alerts(try F.rule("    proto: modbus\n"), events)
        #expect(byPair.map(\.id) == ["r:10.0.0.1>10.0.0.9", "r:10.0.0.2>10.0.0.9", "r:10.0.0.1>10.0.0.8"])
        #expect(byPair.map(\.count) == [2, 1, 1])
        #expect(byPair[0].assets == ["10.0.0.1", "10.0.0.9"])
        #expect(byPair[0].evidence == [.init(capture: "a.pcap", frame: 1), .init(capture: "a.pcap", frame: 4)])
        #expect(byPair[1].evidence == [.init(capture: "b.pcap", frame: 2)])
        #expect(byPair[0].firstSeen.nanoseconds == 1_000_000_000 && byPair[0].lastSeen.nanoseconds == 4_000_000_000)
        let bySource = F.alerts(try F.rule("    proto: modbus\n", extra: "  group_by: source\n"), events)
        #expect(bySource.map(\.id) == ["r:10.0.0.1", "r:10.0.0.2"] && bySource.map(\.count) == [3, 1])
        let byServer = F.alerts(try F.rule("    proto: modbus\n", extra: "  group_by: server\n"), events)
        #expect(byServer.map(\.id) == ["r:10.0.0.9", "r:10.0.0.8"] && byServer.map(\.count) == [3, 1])
    }

    @Test func anAlertCarriesTheRuleAndTheMatchedFields() throws {
        let rules = try F.rules(
            """
            - id: write-high
              title: High write
              severity: critical
              attack: {techniques: [T0836], tactics: [TA0106]}
              description: what
              remediation: do
              match:
                target: {kind: holding_register}
                value: {above: 100}
            """)
        let m = F.message(
            targets: [
                .init(kind: "coil", address: 1, values: [1]),
                .init(kind: "holding_register", address: 40, values: [150]),
            ],
            status: .exception(code: 2, name: "illegal_data_address"), anomalies: ["modbus.invalid_value"], unit: 3,
            frame: 9)
        let alert = try #require(F.alerts(rules, [.message(m)]).first)
        #expect(alert.rule == "write-high" && alert.title == "High write" && alert.severity == .critical)
        #expect(alert.techniques == ["T0836"] && alert.tactics == ["TA0106"])
        #expect(alert.description == "what" && alert.remediation == "do" && alert.state == .new)
        #expect(alert.fields["proto"] == "modbus" && alert.fields["function"] == "write_single_register")
        #expect(alert.fields["target"] == "holding_register 40" && alert.fields["value"] == "150")
        #expect(alert.fields["unit"] == "3" && alert.fields["status"] == "exception 2 illegal_data_address")
        #expect(alert.fields["anomalies"] == "modbus.invalid_value" && alert.fields["client"] == "10.0.0.5:40000")
    }

    @Test func evidenceStopsAtTheAlertsMaximum() throws {
        let rules = try F.rule("    proto: modbus\n")
        let events = (1...(Alert.maxEvidence + 10)).map { Event.message(F.message(frame: $0)) }
        let alert = try #require(F.alerts(rules, events).first)
        #expect(alert.count == Alert.maxEvidence + 10)
        #expect(alert.evidence.count == Alert.maxEvidence && alert.evidence.last?.frame == Alert.maxEvidence)
        // A message without a frame (not read from a capture) adds no evidence; a bad capture index names no file.
        let noFrame = try #require(F.alerts(rules, [.message(F.message())]).first)
        #expect(noFrame.evidence.isEmpty)
        let badIndex = try #require(F.alerts(rules, [.message(F.message(frame: 3, captureIndex: 99))]).first)
        #expect(badIndex.evidence == [.init(capture: "", frame: 3)])
    }

    @Test func alertsAreCappedAndTheRestCounted() throws {
        let detector = Detector(rules: try F.rule("    proto: modbus\n", extra: "  group_by: source\n"))
        for i in 0..<(Detector.maxAlerts + 5) {
            var m = F.message()
            m.client.address = IPAddress(v4: 0x0a00_0000 | UInt32(i))
            detector.observe(.message(m))
        }
        #expect(detector.alertCount == Detector.maxAlerts)
        #expect(detector.dropped.alerts == 5)
        #expect(detector.eventCount == Detector.maxAlerts + 5 && detector.matchCount == Detector.maxAlerts + 5)
    }

    @Test func openWindowsAreCappedAndClosedOnesSwept() throws {
        let detector = Detector(
            rules: try F.rule("    proto: modbus\n", extra: "  threshold: {count: 2, window: 1, per: source}\n"))
        func send(_ i: Int, at seconds: Double) {
            var m = F.message(seconds: seconds)
            m.client.address = IPAddress(v4: 0x0a00_0000 | UInt32(i))
            detector.observe(.message(m))
        }
        for i in 0..<(Detector.maxOpenWindows + 3) { send(i, at: 0) }
        #expect(detector.openWindows == Detector.maxOpenWindows && detector.dropped.windows == 3)
        // Two seconds later every window has closed: the sweep frees them for new sources.
        send(Detector.maxOpenWindows + 10, at: 2)
        #expect(detector.openWindows == 1 && detector.dropped.windows == 3)
    }

    @Test func firstTimeKeysAreCapped() throws {
        let detector = Detector(rules: try F.rule("    first_time: client\n", extra: "  group_by: source\n"))
        for i in 0..<(Detector.maxFirstSeenKeys + 2) {
            var m = F.message()
            m.client.address = IPAddress(v4: 0x0b00_0000 | UInt32(i))
            detector.observe(.message(m))
        }
        #expect(detector.firstSeen.count == Detector.maxFirstSeenKeys && detector.dropped.firstSeen == 2)
        #expect(detector.dropped.alerts == Detector.maxFirstSeenKeys - Detector.maxAlerts)
    }

    /// Thousands of seeded random messages, facts and flows through the whole built-in pack
    /// must not trap, and every alert stays within its bounds.
    @Test func randomEventsNeverTrap() throws {
        let detector = Detector(rules: try RuleLoader.builtIn(), captures: ["x.pcap"])
        var rng = SeededGenerator(seed: 0xd1_0001)
        let protos = Array(KnownProtocols.names).sorted()
        let names = ["write_single_register", "stop", "umas.download_block", "who_is", "read_szl", "reply", "x"]
        for i in 0..<5000 {
            let time = Double(Int.random(in: -5...100_000, using: &rng)) / 10
            let targets = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                Message.Target(
                    kind: ["binding", "coil", "szl"].randomElement(using: &rng) ?? "",
                    address: Int.random(in: Int.min...Int.max, using: &rng),
                    count: Int.random(in: Int.min...Int.max, using: &rng),
                    values: [Int.random(in: Int.min...Int.max, using: &rng)],
                    name: Bool.random(using: &rng) ? "10.0.0.\(Int.random(in: 0...3, using: &rng))" : nil,
                    value: Bool.random(using: &rng) ? "nan" : "00:00:00:00:00:0\(Int.random(in: 0...3, using: &rng))")
            }
            var m = F.message(
                protos.randomElement(using: &rng) ?? "modbus", client: "10.0.\(Int.random(in: 0...3, using: &rng)).1",
                server: Bool.random(using: &rng) ? "8.8.8.8" : "10.0.0.9",
                serverPort: UInt16.random(in: 0...UInt16.max, using: &rng),
                direction: Bool.random(using: &rng) ? .toServer : .toClient,
                code: Int.random(in: Int.min...Int.max, using: &rng),
                name: names.randomElement(using: &rng) ?? "",
                operation: Operation.allCases.randomElement(using: &rng) ?? .read,
                targets: targets, anomalies: Bool.random(using: &rng) ? ["snmp.default_community"] : [],
                unit: Int.random(in: Int.min...Int.max, using: &rng), seconds: time,
                frame: Int.random(in: Int.min...Int.max, using: &rng),
                captureIndex: Int.random(in: Int.min...Int.max, using: &rng))
            m.time = Timestamp(
                nanoseconds: Int64.random(in: Int64.min...Int64.max, using: &rng) / (i % 2 == 0 ? 1 : 1_000_000))
            detector.observe(.message(m))
            detector.observe(
                .flow(
                    F.flow(
                        client: "10.0.0.\(i % 7)", server: "1.2.3.\(i % 50)", serverPort: UInt16(i % 40),
                        application: nil,
                        state: "syn_sent", seconds: time)))
            detector.observe(
                .assetFact(
                    AssetFact(
                        time: .zero, address: F.ip("10.0.0.\(i % 9)"), kind: .userName, value: "admin",
                        source: "ftp/user")))
        }
        let alerts = detector.finish()
        #expect(!alerts.isEmpty)
        #expect(alerts.allSatisfy { $0.evidence.count <= Alert.maxEvidence && $0.count >= 1 })
        #expect(detector.openWindows <= Detector.maxOpenWindows)
    }
}
