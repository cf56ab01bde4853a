import ConvergeInventory
import ConvergeModel
import Testing

@testable import ConvergeDetection

/// Each condition of the rule language, matched and not matched, on hand-built events.
@Suite struct DetectorMatchTests {
    typealias F = DetectionFixtures

    func fires(
        _ match: String, _ message: Message, assets: AssetDirectory = .init(), baseline: any BaselineView = NoBaseline()
    ) throws -> Bool {
        !F.alerts(try F.rule(match), [.message(message)], assets: assets, baseline: baseline).isEmpty
    }

    @Test func protocolAndOperation() throws {
        #expect(try fires("    proto: modbus\n    operation: write\n", F.message()))
        #expect(try !fires("    proto: dnp3\n", F.message()))
        #expect(try !fires("    operation: [read, control]\n", F.message()))
        #expect(try fires("    operation: [read, write]\n", F.message("dnp3")))
    }

    @Test func functionByCodeOrNamePattern() throws {
        #expect(try fires("    function: 6\n", F.message()))
        #expect(try fires("    function: write_*\n", F.message()))
        #expect(try fires("    function: [1, WRITE_SINGLE_REGISTER]\n", F.message()))
        #expect(try !fires("    function: [5, read_*]\n", F.message()))
        #expect(try fires("    function: \"umas.?tart_plc\"\n", F.message(code: 90, name: "umas.start_plc")))
    }

    @Test func directionStatusAndUnit() throws {
        #expect(try fires("    direction: to_server\n", F.message()))
        #expect(try !fires("    direction: to_client\n", F.message()))
        #expect(try fires("    status: ok\n", F.message()))
        let exception = F.message(status: .exception(code: 2, name: "illegal_data_address"))
        #expect(try fires("    status: exception\n", exception))
        #expect(try !fires("    status: exception\n", F.message()))
        #expect(try fires("    status: pending\n", F.message(status: .pending)))
        #expect(try fires("    unit: [1, 7]\n", F.message(unit: 7)))
        #expect(try !fires("    unit: 1\n", F.message(unit: 2)))
        #expect(try !fires("    unit: 1\n", F.message()))
    }

    @Test func anomalyPresentOrNamed() throws {
        let odd = F.message(anomalies: ["modbus.invalid_length"])
        #expect(try fires("    anomaly: true\n", odd))
        #expect(try !fires("    anomaly: true\n", F.message()))
        #expect(try fires("    anomaly: false\n", F.message()))
        #expect(try fires("    anomaly: \"*.invalid_*\"\n", odd))
        #expect(try !fires("    anomaly: [modbus.unknown_function]\n", odd))
    }

    @Test func targetKindAddressRangeAndName() throws {
        let m = F.message(targets: [
            .init(kind: "coil", address: 0, count: 8),
            .init(kind: "holding_register", address: 40, count: 2, values: [7, 9]),
        ])
        #expect(try fires("    target: {kind: holding_register, address: [41, 50]}\n", m))
        #expect(try fires("    target: {address: [5, 6]}\n", m))  // the coils 0…7 overlap 5…6
        #expect(try !fires("    target: {kind: holding_register, address: [0, 39]}\n", m))
        #expect(try !fires("    target: {kind: input_register}\n", m))
        let named = F.message("opcua", targets: [.init(kind: "node", address: 0, name: "ns=2;s=Temperature")])
        #expect(try fires("    target: {name: \"ns=2;s=Temp*\"}\n", named))
        #expect(try !fires("    target: {name: \"ns=3*\"}\n", named))
        #expect(try !fires("    target: {name: \"*\"}\n", m))
    }

    @Test func valuesEqualAboveBelowOutsideInside() throws {
        let m = F.message(targets: [.init(kind: "holding_register", address: 40, values: [120])])
        #expect(try fires("    value: {equals: 120}\n", m))
        #expect(try fires("    value: {above: 100}\n", m))
        #expect(try !fires("    value: {below: 100}\n", m))
        #expect(try fires("    value: {outside: [0, 100]}\n", m))
        #expect(try !fires("    value: {inside: [0, 100]}\n", m))
        #expect(try !fires("    value: {outside: [0, 200]}\n", m))
        let text = F.message(targets: [.init(kind: "setpoint_float", address: 1, value: "87.5")])
        #expect(try fires("    value: {above: 80, below: 90}\n", text))
        // The value condition applies to the same target as the target condition.
        let two = F.message(targets: [
            .init(kind: "coil", address: 1, values: [500]), .init(kind: "holding_register", address: 2, values: [5]),
        ])
        #expect(try !fires("    target: {kind: holding_register}\n    value: {above: 100}\n", two))
        #expect(try fires("    target: {kind: coil}\n    value: {above: 100}\n", two))
    }

    @Test func endpointNetworkPortRoleLevelVendorZone() throws {
        var assets = AssetDirectory()
        assets[F.ip("10.0.0.5")] = F.context(.hmi, .level2, vendor: "Siemens AG", zone: "cell-1")
        assets[F.ip("10.0.0.9")] = F.context(.plc, .level1)
        let m = F.message()
        #expect(try fires("    client: {network: 10.0.0.0/24, role: hmi, level: 2}\n", m, assets: assets))
        #expect(try !fires("    client: {network: 192.168.0.0/16}\n", m, assets: assets))
        #expect(try fires("    server: {port: 502, role: [rtu, plc], level: [0, 1]}\n", m, assets: assets))
        #expect(try !fires("    server: {port: 102}\n", m, assets: assets))
        #expect(try fires("    client: {vendor: \"siemens*\", zone: \"cell-*\"}\n", m, assets: assets))
        #expect(try !fires("    server: {vendor: \"*\"}\n", m, assets: assets))
        #expect(try fires("    client: {known: true}\n", m, assets: assets))
        #expect(try fires("    client: {known: false}\n", m))
        #expect(try !fires("    client: {role: hmi}\n", m))
    }

    @Test func externalEndpoints() throws {
        #expect(try fires("    client: {external: true}\n", F.message(client: "8.8.8.8")))
        #expect(try !fires("    client: {external: true}\n", F.message(client: "192.168.1.4")))
        #expect(try fires("    server: {external: false}\n", F.message(server: "172.16.3.3")))
        var assets = AssetDirectory()
        assets[F.ip("10.0.0.5")] = AssetContext(assetID: "x", role: .unknown, level: nil, vendor: nil, external: true)
        #expect(try fires("    client: {external: true}\n", F.message(), assets: assets))
        for text in [
            "10.1.1.1", "127.0.0.1", "169.254.1.1", "100.64.0.1", "224.0.0.1", "255.255.255.255", "fe80::1",
            "fd00::1", "2001:db8::1", "0.0.0.0", "192.0.2.1",
        ] {
            #expect(!F.ip(text).isInternet, "\(text)")
        }
        for text in ["8.8.8.8", "141.81.0.10", "2a00:1450::1"] { #expect(F.ip(text).isInternet, "\(text)") }
    }

    @Test func levelsCrossedAndITtoOT() throws {
        var assets = AssetDirectory()
        assets[F.ip("10.0.0.5")] = F.context(.itWorkstation, .level4)
        assets[F.ip("10.0.0.9")] = F.context(.plc, .level1)
        assets[F.ip("10.0.0.7")] = F.context(.historian, .dmz)
        assets[F.ip("10.0.0.8")] = F.context(.hmi, nil)
        #expect(try fires("    crosses_levels: 3\n", F.message(), assets: assets))  // 4 → 1 is 4 steps with 3.5
        #expect(try fires("    crosses_levels: 4\n", F.message(), assets: assets))
        #expect(try !fires("    crosses_levels: 5\n", F.message(), assets: assets))
        #expect(try !fires("    crosses_levels: 1\n", F.message(server: "10.9.9.9"), assets: assets))
        #expect(try fires("    it_to_ot: true\n", F.message(), assets: assets))
        #expect(try !fires("    it_to_ot: true\n", F.message(client: "10.0.0.7"), assets: assets))  // DMZ is not IT
        #expect(try fires("    it_to_ot: true\n", F.message(server: "10.0.0.8"), assets: assets))  // OT by role
        #expect(try fires("    it_to_ot: false\n", F.message(client: "10.0.0.9", server: "10.0.0.5"), assets: assets))
    }

    @Test func baselineConditionsAreQuietWithoutABaseline() throws {
        let m = F.message()
        #expect(try !fires("    unseen: pair\n", m))
        var b = FixedBaseline()
        #expect(try fires("    unseen: [pair, writer, client, server]\n", m, baseline: b))
        #expect(try fires("    unseen: function\n", m, baseline: b))
        b.pairs = ["10.0.0.5>10.0.0.9"]
        b.assets = [F.ip("10.0.0.5")]
        #expect(try !fires("    unseen: pair\n", m, baseline: b))
        #expect(try fires("    unseen: writer\n", m, baseline: b))
        #expect(try !fires("    unseen: client\n", m, baseline: b))
        #expect(try fires("    unseen: server\n", m, baseline: b))
        b.writers = ["10.0.0.5>10.0.0.9"]
        b.functions = ["10.0.0.5>10.0.0.9/6"]
        #expect(try !fires("    unseen: writer\n", m, baseline: b))
        #expect(try !fires("    unseen: function\n", m, baseline: b))
    }

    @Test func firstTimeThisRunMatchesOncePerKey() throws {
        let rules = try F.rule("    operation: write\n    first_time: pair\n")
        let events: [Event] = [
            .message(F.message(seconds: 1)), .message(F.message(seconds: 2)),
            .message(F.message(client: "10.0.0.6", seconds: 3)), .message(F.message(seconds: 4)),
        ]
        let alerts = F.alerts(rules, events)
        #expect(alerts.map(\.id) == ["r:10.0.0.5>10.0.0.9", "r:10.0.0.6>10.0.0.9"])
        #expect(alerts.allSatisfy { $0.count == 1 })
        let perFunction = try F.rule("    first_time: function\n")
        let codes = F.alerts(perFunction, [3, 3, 6, 16, 6].map { .message(F.message(code: $0)) })
        #expect(codes.first?.count == 3)  // functions 3, 6, 16: each once
        let perServer = try F.rule("    first_time: server\n")
        #expect(F.alerts(perServer, [.message(F.message()), .message(F.message(client: "10.0.0.1"))]).count == 1)
    }

    @Test func factsByKindValueSourceAndAddress() throws {
        let rules = try F.rule(
            "    fact: {kind: user_name, value: [admin, \"root*\"], source: \"ftp/*\"}\n"
                + "    client: {network: 10.0.0.0/8}\n",
            on: "asset_fact")
        func fact(
            _ value: String, _ source: String = "ftp/user", _ at: String = "10.0.0.5",
            _ kind: AssetFact.Kind = .userName
        )
            -> Event
        {
            .assetFact(AssetFact(time: .zero, address: F.ip(at), kind: kind, value: value, source: source))
        }
        #expect(F.alerts(rules, [fact("admin")]).first?.fields["value"] == "admin")
        #expect(F.alerts(rules, [fact("rooty")]).count == 1)
        #expect(F.alerts(rules, [fact("alice")]).isEmpty)
        #expect(F.alerts(rules, [fact("admin", "http/basic")]).isEmpty)
        #expect(F.alerts(rules, [fact("admin", "ftp/user", "192.168.0.1")]).isEmpty)
        #expect(F.alerts(rules, [fact("admin", "ftp/user", "10.0.0.5", .hostname)]).isEmpty)
        #expect(F.alerts(rules, [fact("admin"), fact("root")]).first?.count == 2)
    }

    @Test func flowsByTransportApplicationStatePortAndSize() throws {
        let rules = try F.rule(
            "    flow: {transport: tcp, application: [ssh, \"s7*\"], tcp_state: established, min_packets: 4,\n"
                + "           max_packets_to_client: 10}\n    server: {port: [22, 102]}\n",
            on: "flow")
        #expect(F.alerts(rules, [.flow(F.flow(serverPort: 22, application: "ssh"))]).count == 1)
        #expect(F.alerts(rules, [.flow(F.flow(serverPort: 102, application: "s7comm-plus"))]).count == 1)
        #expect(F.alerts(rules, [.flow(F.flow(serverPort: 22, application: "http"))]).isEmpty)
        #expect(F.alerts(rules, [.flow(F.flow(serverPort: 23, application: "ssh"))]).isEmpty)
        #expect(F.alerts(rules, [.flow(F.flow(serverPort: 22, application: "ssh", state: "reset"))]).isEmpty)
        #expect(F.alerts(rules, [.flow(F.flow(serverPort: 22, transport: .udp, application: "ssh"))]).isEmpty)
        #expect(F.alerts(rules, [.flow(F.flow(serverPort: 22, application: "ssh", packetsToClient: 0))]).isEmpty)
        #expect(F.alerts(rules, [.flow(F.flow(serverPort: 22, application: "ssh", packetsToClient: 11))]).isEmpty)
        let unknown = try F.rule("    flow: {unidentified: true}\n", on: "flow")
        #expect(F.alerts(unknown, [.flow(F.flow(application: nil))]).count == 1)
        #expect(F.alerts(unknown, [.flow(F.flow(application: "modbus"))]).isEmpty)
    }

    @Test func arpBindingConflict() throws {
        let rules = try F.rule("    proto: arp\n    binding_conflict: true\n", extra: "  group_by: source\n")
        func arp(_ ip: String, _ mac: String, _ t: Double) -> Event {
            .message(
                F.message(
                    "arp", client: ip, server: "10.0.0.1", code: 2, name: "reply", operation: .discovery,
                    targets: [.init(kind: "binding", address: 0, name: ip, value: mac)], seconds: t, frame: Int(t)))
        }
        let quiet = F.alerts(rules, [arp("10.0.0.5", "00:00:00:00:00:01", 1), arp("10.0.0.5", "00:00:00:00:00:01", 2)])
        #expect(quiet.isEmpty)
        let spoofed = F.alerts(
            rules,
            [
                arp("10.0.0.5", "00:00:00:00:00:01", 1), arp("10.0.0.6", "00:00:00:00:00:02", 2),
                arp("10.0.0.5", "00:00:00:00:00:66", 3),
            ])
        #expect(spoofed.map(\.id) == ["r:10.0.0.5"])
        #expect(spoofed.first?.evidence == [Alert.EvidenceFrame(capture: "a.pcap", frame: 3)])
    }

    @Test func aRuleMeetsOnlyEventsOfItsKind() throws {
        let messageRule = try F.rule("    client: {network: 10.0.0.0/8}\n")
        let events: [Event] = [
            .flow(F.flow()),
            .assetFact(AssetFact(time: .zero, address: F.ip("10.0.0.5"), kind: .hostname, value: "h", source: "dns")),
            .processValue(ProcessValue(time: .zero, tag: "t", value: 1, written: true)),
        ]
        #expect(F.alerts(messageRule, events).isEmpty)
        #expect(F.alerts(messageRule, [.message(F.message())]).count == 1)
    }
}
