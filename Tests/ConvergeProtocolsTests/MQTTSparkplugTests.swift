import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

private typealias H = MQTTHarness
private typealias S = SparkplugFixtures

/// Sparkplug B payloads: the protobuf reader, metrics as targets with aliases resolved per flow,
/// process values, BIRTH identity, and bad input.
@Suite struct MQTTSparkplugTests {
    /// A flow that connected and published `S.nbirth`.
    static func bornFlow() -> MQTT.State {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 4), .toServer, state: &state)
        _ = H.message(S.publish("NBIRTH", S.nbirth), .toServer, state: &state)
        return state
    }

    static func metrics(_ message: Message) -> [Message.Target] {
        message.targets.filter { $0.kind == "sparkplug_metric" || $0.kind == "sparkplug_write" }
    }

    static func describe(_ target: Message.Target) -> String {
        "\(target.kind) \(target.name ?? "?")#\(target.address) \(target.values) \(target.value ?? "nil")"
    }

    /// Summarises a decoded payload: its scalars, metrics and anomalies.
    static func decode(
        _ payload: [UInt8]
    ) -> (summary: MQTT.Sparkplug.PayloadSummary, metrics: [MQTT.Sparkplug.Metric]) {
        var metrics: [MQTT.Sparkplug.Metric] = []
        let summary = MQTT.Sparkplug.decodePayload(payload.span, MQTT.Slice(offset: 0, length: payload.count)) {
            metrics.append($0)
        }
        return (summary, metrics)
    }

    @Test func handWrittenFixtureMatchesTheEncoder() {
        let encoded = PB.uint(1, 1_700_000_000_000)
            + S.metric("bdSeq", datatype: 4, PB.uint(11, 0))
            + S.metric("Properties/Hardware Make", datatype: 12, PB.string(15, "Siemens"))
            + S.metric("Temperature", alias: 1, datatype: 10, timestamp: 1_700_000_000_001,
                       PB.fixed64(13, Double(21.5).bitPattern))
            + S.metric("Offset", alias: 2, datatype: 2, PB.uint(10, 0xffff_fffd))
            + PB.uint(3, 0)
        // The encoder writes timestamp before datatype, as the hand-written bytes do.
        #expect(encoded == S.nbirth)
    }

    @Test func nbirthMetricsValuesAndIdentity() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 4), .toServer, state: &state)
        let birth = try #require(H.message(S.publish("NBIRTH", S.nbirth), .toServer, state: &state, time: 5))
        #expect(birth.message.anomalies.isEmpty)
        let payload = try #require(birth.message.targets.first { $0.kind == "sparkplug_payload" })
        #expect(payload.address == 0 && payload.count == 4 && payload.values == [1_700_000_000_000])
        #expect(Self.metrics(birth.message).map(Self.describe) == [
            "sparkplug_metric bdSeq#-1 [4, -1, 0] 0",
            "sparkplug_metric Properties/Hardware Make#-1 [12, -1, 0] Siemens",
            "sparkplug_metric Temperature#1 [10, 1700000000001, 0] 21.5",
            "sparkplug_metric Offset#2 [2, -1, 0] -3",
        ])
        #expect(state.sparkplugAliases.count == 2)
        #expect(state.sparkplugAliases.name(node: "Plant1/Edge1", alias: 2) == "Offset")
        let facts = birth.facts.map { "\($0.kind.rawValue)=\($0.value) \($0.source)" }
        #expect(facts.contains("vendor=Siemens mqtt/sparkplug.nbirth"))
        let context = H.context(.toServer, time: 5)
        let packet = S.publish("NBIRTH", S.nbirth)
        let values = MQTT.processValues(birth.packet, event: birth.message, bytes: packet.span, context: context)
        #expect(values == [
            ProcessValue(
                time: Timestamp(nanoseconds: 1_700_000_000_000_000_000), tag: "sparkplug://Plant1/Edge1/bdSeq",
                value: 0, written: false),
            ProcessValue(
                time: Timestamp(nanoseconds: 1_700_000_000_001_000_000), tag: "sparkplug://Plant1/Edge1/Temperature",
                value: 21.5, written: false),
            ProcessValue(
                time: Timestamp(nanoseconds: 1_700_000_000_000_000_000), tag: "sparkplug://Plant1/Edge1/Offset",
                value: -3, written: false),
        ])
    }

    @Test func aliasesNameDataAndCommands() throws {
        var state = Self.bornFlow()
        let ndata = PB.uint(1, 1_700_000_001_000)
            + S.metric(alias: 1, PB.fixed64(13, Double(22.25).bitPattern))
            + S.metric(alias: 2, PB.uint(10, 7))
            + S.metric(alias: 9, PB.uint(10, 5))  // never born
            + PB.uint(3, 1)
        let data = try #require(H.message(S.publish("NDATA", ndata), .toServer, state: &state))
        #expect(Self.metrics(data.message).map(Self.describe) == [
            "sparkplug_metric Temperature#1 [10, -1, 0] 22.25",
            "sparkplug_metric Offset#2 [7, -1, 0] 7",  // no data type sent: int_value reads as UInt32
            "sparkplug_metric ?#9 [7, -1, 0] 5",
        ])
        #expect(data.message.anomalies == ["mqtt.sparkplug_unknown_alias"])
        let dataValues = MQTT.processValues(data.message)
        #expect(dataValues.map(\.tag) == ["sparkplug://Plant1/Edge1/Temperature", "sparkplug://Plant1/Edge1/Offset"])
        #expect(dataValues.first?.time == Timestamp(nanoseconds: 1_700_000_001_000_000_000))

        // A command the broker forwards to the node, by alias: a write.
        let ncmd = PB.uint(1, 1_700_000_002_000) + S.metric(alias: 2, datatype: 2, PB.uint(10, 0xffff_ff9c))
            + S.metric("Node Control/Rebirth", datatype: 11, PB.uint(14, 1))
        let command = try #require(H.message(S.publish("NCMD", ncmd), .toClient, state: &state))
        #expect(command.message.operation == .control)
        #expect(Self.metrics(command.message).map(Self.describe) == [
            "sparkplug_write Offset#2 [2, -1, 0] -100",
            "sparkplug_write Node Control/Rebirth#-1 [11, -1, 0] true",
        ])
        #expect(MQTT.processValues(command.message).map { "\($0.tag)=\($0.value) \($0.written)" } == [
            "sparkplug://Plant1/Edge1/Offset=-100.0 true", "sparkplug://Plant1/Edge1/Node Control/Rebirth=1.0 true",
        ])

        // A new NBIRTH without aliases forgets the old ones; another node's aliases are its own.
        let other = try #require(H.message(
            MQTTHarness.packet(0x30, H.string("spBv1.0/Plant1/NDATA/Edge2") + S.metric(alias: 1, PB.uint(10, 1))),
            .toServer, state: &state))
        #expect(other.message.anomalies == ["mqtt.sparkplug_unknown_alias"])
        _ = H.message(S.publish("NBIRTH", PB.uint(3, 0) + S.metric("X", datatype: 3, PB.uint(10, 1))), .toServer,
                      state: &state)
        #expect(state.sparkplugAliases.count == 0)
    }

    @Test func dbirthDeviceIdentityAndNestedValues() throws {
        var state = Self.bornFlow()
        let birth = try #require(H.message(S.publish("DBIRTH", device: S.device, S.dbirth), .toServer, state: &state))
        #expect(birth.message.anomalies.isEmpty)
        #expect(Self.metrics(birth.message).map(Self.describe) == [
            "sparkplug_metric Properties/Hardware Make#-1 [12, -1, 0] Krones",
            "sparkplug_metric properties/hardware model#-1 [12, -1, 0] Modulfill",
            "sparkplug_metric Properties/FW#-1 [12, -1, 0] 4.2",
            "sparkplug_metric Level#10 [9, -1, 0] 42.5",
            "sparkplug_metric Recipe#-1 [16, -1, 0] dataset 2 columns, 2 rows",
            "sparkplug_metric Motor1#11 [19, -1, 0] template Motor, 1 metrics",
        ])
        let source = "mqtt/sparkplug.dbirth/Plant1/Edge1/Filler01"
        #expect(birth.facts.filter { $0.source == source }.map { "\($0.kind.rawValue)=\($0.value)" } == [
            "vendor=Krones", "model=Modulfill", "firmware=4.2",
        ])
        #expect(birth.facts.allSatisfy { $0.address == H.client.address })
        // Device aliases share the edge node's namespace.
        #expect(state.sparkplugAliases.name(node: "Plant1/Edge1", alias: 10) == "Level")
        let values = MQTT.processValues(birth.message)
        #expect(values.map(\.tag) == ["sparkplug://Plant1/Edge1/Filler01/Level"])
        let dcmd = try #require(H.message(
            S.publish("DCMD", device: S.device, S.metric(alias: 10, PB.fixed32(12, Float(60).bitPattern))),
            .toServer, state: &state))
        #expect(MQTT.processValues(dcmd.message).map { "\($0.tag)=\($0.value) \($0.written)" } == [
            "sparkplug://Plant1/Edge1/Filler01/Level=60.0 true",
        ])
        // The same DBIRTH forwarded to a subscriber says nothing about the subscriber.
        var host = MQTT.makeState()
        let forwarded = try #require(H.message(
            S.publish("DBIRTH", device: S.device, S.dbirth), .toClient, state: &host))
        #expect(forwarded.facts.isEmpty)
    }

    @Test func osVersionJoinsTheOS() throws {
        let payload = S.metric("Properties/OS Version", datatype: 12, PB.string(15, "5.10"))
            + S.metric("Properties/OS", datatype: 12, PB.string(15, "Linux"))
            + S.metric("Properties/Serial Number", datatype: 12, PB.string(15, "SN-1"))
            + S.metric("Properties/Hardware", datatype: 12, PB.string(15, ""))  // empty: no fact
        let birth = try #require(H.message(S.publish("NBIRTH", payload), .toServer, level: 4))
        #expect(birth.facts.filter { $0.source == "mqtt/sparkplug.nbirth" }.map { "\($0.kind.rawValue)=\($0.value)" }
            .filter { !$0.hasPrefix("role=") && !$0.hasPrefix("module_name=") } == ["os=Linux 5.10", "serial=SN-1"])
    }

    @Test(arguments: [
        (1, 0xff, "-1"), (2, 0xffff_8000, "-32768"), (3, 0x8000_0000, "-2147483648"), (5, 0x1ff, "255"),
        (6, 0x1_0001, "1"), (7, 0xffff_ffff, "4294967295"),
    ] as [(UInt64, UInt64, String)])
    func intValueByDataType(datatype: UInt64, raw: UInt64, text: String) throws {
        let (summary, metrics) = Self.decode(S.metric("m", datatype: datatype, PB.uint(10, raw)))
        #expect(summary.anomalies.isEmpty)
        let metric = try #require(metrics.first)
        let noBytes: [UInt8] = []
        #expect(MQTT.valueText(metric, noBytes.span) == text)
    }

    @Test func longFloatBooleanNullAndFlags() throws {
        let payload = S.metric("u64", datatype: 8, PB.uint(11, UInt64.max))
            + S.metric("i64", datatype: 4, PB.uint(11, UInt64(bitPattern: -5)))
            + S.metric("time", datatype: 13, PB.uint(11, 1_700_000_000_000))
            + S.metric("f", datatype: 9, PB.fixed32(12, Float(0.1).bitPattern))
            + S.metric("nan", datatype: 10, PB.fixed64(13, Double.nan.bitPattern))
            + S.metric("b", datatype: 11, PB.uint(14, 0))
            + S.metric("gone", datatype: 3, PB.uint(7, 1))  // is_null
            + S.metric("old", datatype: 3, PB.uint(5, 1) + PB.uint(6, 1) + PB.uint(10, 4))  // historical, transient
            + S.metric("blob", datatype: 17, PB.bytes(16, [1, 2, 3]))
        let event = try #require(H.message(S.publish("NDATA", payload), .toServer, level: 4))
        #expect(event.message.anomalies.isEmpty)
        #expect(Self.metrics(event.message).map(Self.describe) == [
            "sparkplug_metric u64#-1 [8, -1, 0] 18446744073709551615",
            "sparkplug_metric i64#-1 [4, -1, 0] -5",
            "sparkplug_metric time#-1 [13, -1, 0] 1700000000000",
            "sparkplug_metric f#-1 [9, -1, 0] 0.1",
            "sparkplug_metric nan#-1 [10, -1, 0] nan",
            "sparkplug_metric b#-1 [11, -1, 0] false",
            "sparkplug_metric gone#-1 [3, -1, 4] nil",
            "sparkplug_metric old#-1 [3, -1, 3] 4",
            "sparkplug_metric blob#-1 [17, -1, 0] 3 bytes",
        ])
        // Dates, nulls and bytes are no process values.
        let values = MQTT.processValues(event.message)
        #expect(values.map { $0.tag.split(separator: "/").last.map(String.init) ?? "" } == [
            "u64", "i64", "f", "nan", "b", "old",
        ])
        #expect(values[2].value == Double(Float(0.1).description))
        #expect(values[3].value.isNaN)
    }

    @Test func valueFieldsThatDoNotSuitTheirType() {
        #expect(Self.decode(S.metric("m", datatype: 9, PB.uint(10, 1))).summary.anomalies == [.sparkplugMismatch])
        #expect(Self.decode(S.metric("m", datatype: 99)).summary.anomalies == [.sparkplugMismatch])
        // Property keys without values; a data set whose rows are narrower than its columns.
        let properties = S.metric("m", PB.bytes(9, PB.string(1, "a") + PB.string(1, "b") + PB.bytes(2, [])))
        #expect(Self.decode(properties).summary.anomalies == [.sparkplugMismatch])
        let dataSet = S.metric("m", datatype: 16, PB.bytes(17, PB.uint(1, 3) + PB.string(2, "a") + PB.uint(3, 3)))
        #expect(Self.decode(dataSet).summary.anomalies == [.sparkplugMismatch])
    }

    /// Every prefix of the hand-written payload: sound where a top-level field ends, malformed
    /// everywhere else, and never more metrics than the whole.
    @Test(arguments: 0..<SparkplugFixtures.nbirth.count)
    func truncatedPayload(length: Int) {
        let (summary, metrics) = Self.decode(Array(S.nbirth.prefix(length)))
        let sound = S.nbirthFieldEnds.contains(length)
        #expect(summary.anomalies == (sound ? [] : [.sparkplugMalformedPayload]))
        #expect(metrics.count <= 4)
        // The whole packet cut short is still one PUBLISH (a shorter one): the event never traps.
        var state = Self.bornFlow()
        let event = H.message(S.publish("NDATA", Array(S.nbirth.prefix(length))), .toServer, state: &state)
        #expect(event?.message.anomalies.contains("mqtt.sparkplug_malformed_payload") == !sound)
    }

    @Test(arguments: [
        ("length past the end", [0x12, 0x05, 0x0a, 0x01]),
        ("length of 2^64-1", [0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        ("varint of 11 bytes", [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]),
        ("varint past 64 bits", [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]),
        ("field number 0", [0x00, 0x01]),
        ("field number 2^29", [0x80, 0x80, 0x80, 0x80, 0x10, 0x00]),
        ("start group", [0x0b, 0x0c]),
        ("end group", [0x0c]),
        ("wire type 6", [0x0e, 0x00]),
        ("wire type 7", [0x0f]),
        ("fixed64 cut short", [0x09, 0x01, 0x02]),
        ("fixed32 cut short", [0x0d, 0x01]),
        ("metrics as a varint", [0x10, 0x01]),
        ("name as a varint", [0x12, 0x02, 0x08, 0x01]),
        ("metric length past its field", [0x12, 0x02, 0x0a, 0x05]),
        ("double as fixed32", [0x12, 0x05, 0x6d, 0x00, 0x00, 0x00, 0x00]),
    ] as [(String, [UInt8])])
    func badLengthsAndTypes(name: String, payload: [UInt8]) {
        let (summary, _) = Self.decode(payload)
        #expect(summary.anomalies.contains(.sparkplugMalformedPayload), "\(name)")
    }

    @Test func varintLimitsAndFixedWidths() {
        let (max, _) = Self.decode([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
        #expect(max.timestamp == UInt64.max && max.anomalies.isEmpty)
        // Overlong but in range: ten bytes for 1 is accepted, as protobuf parsers do.
        let (long, _) = Self.decode([0x18, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
        #expect(long.seq == 1 && long.anomalies.isEmpty)
        // Unknown fields (extensions) are skipped whatever their type.
        let (extra, _) = Self.decode([
            0x30, 0x01,  // 6 varint
            0x3d, 1, 2, 3, 4,  // 7 fixed32
            0x41, 1, 2, 3, 4, 5, 6, 7, 8,  // 8 fixed64
            0x4a, 0x01, 0x00,  // 9 length-delimited
            0x18, 0x07,  // 3 seq 7
        ])
        #expect(extra.seq == 7 && extra.anomalies.isEmpty)
    }

    @Test func deepNestingIsCut() {
        // Templates inside template metrics, 200 deep.
        var inner = S.metric("leaf", datatype: 3, PB.uint(10, 1))
        for _ in 0..<200 { inner = S.metric("t", datatype: 19, PB.bytes(18, inner)) }
        let (summary, metrics) = Self.decode(inner)
        #expect(summary.anomalies == [.sparkplugTooDeep])
        #expect(metrics.count == 1)
        // Property sets inside property values, 200 deep.
        var set: [UInt8] = PB.string(1, "k") + PB.bytes(2, PB.uint(1, 3) + PB.uint(3, 1))
        for _ in 0..<200 { set = PB.string(1, "k") + PB.bytes(2, PB.uint(1, 20) + PB.bytes(9, set)) }
        #expect(Self.decode(S.metric("p", PB.bytes(9, set))).summary.anomalies == [.sparkplugTooDeep])
        // Exactly at the limit is fine: payload 1, metric 2, template 3, metric 4 … 16.
        var allowed = S.metric("leaf", datatype: 3, PB.uint(10, 1))
        for _ in 0..<7 { allowed = S.metric("t", datatype: 19, PB.bytes(18, allowed)) }
        #expect(Self.decode(allowed).summary.anomalies.isEmpty)
        allowed = S.metric("t", datatype: 19, PB.bytes(18, allowed))
        #expect(Self.decode(allowed).summary.anomalies == [.sparkplugTooDeep])
    }

    @Test func fieldAndTargetCaps() throws {
        let flood = [UInt8](repeating: 0, count: (MQTT.Protobuf.maxFieldsPerMessage + 5) * 2).enumerated()
            .map { $0.offset % 2 == 0 ? UInt8(0x18) : 0x00 }  // seq 0, again and again
        #expect(Self.decode(flood).summary.anomalies == [.sparkplugTooManyFields])
        // 1,100 aliased metrics: 1,000 targets, 1,024 aliases learned, the rest flagged.
        var payload: [UInt8] = []
        for index in 0..<1100 { payload += S.metric("m\(index)", alias: UInt64(index), datatype: 3, PB.uint(10, 1)) }
        var state = MQTT.makeState()
        let birth = try #require(H.message(S.publish("NBIRTH", payload), .toServer, state: &state))
        #expect(Self.metrics(birth.message).count == MQTT.Sparkplug.maxMetricTargets)
        #expect(birth.message.targets.first { $0.kind == "sparkplug_payload" }?.count == 1100)
        #expect(state.sparkplugAliases.count == MQTT.Sparkplug.Aliases.capacity)
        #expect(birth.message.anomalies == ["mqtt.sparkplug_alias_table_full"])
    }

    @Test func payloadsThatAreNotDecoded() throws {
        // STATE carries JSON in Sparkplug 3.0; an empty payload has nothing to read.
        let state = try #require(H.message(
            H.packet(0x31, H.string("spBv1.0/STATE/scada") + Array(#"{"online":true}"#.utf8)), .toServer, level: 4))
        #expect(state.message.anomalies.isEmpty)
        #expect(!state.message.targets.contains { $0.kind == "sparkplug_payload" })
        let empty = try #require(H.message(S.publish("NDATA", []), .toServer, level: 4))
        #expect(!empty.message.targets.contains { $0.kind == "sparkplug_payload" })
        // A plain topic's payload is never read as Sparkplug, however it looks.
        let plain = try #require(H.message(H.packet(0x30, H.string("plant/x") + S.nbirth), .toServer, level: 4))
        #expect(plain.message.targets.count == 1)
    }

    /// Random payloads, and random damage to good ones, under every Sparkplug message type,
    /// through parse, event, facts and process values.
    @Test func randomPayloadsNeverTrap() {
        var random = SeededGenerator(seed: 0x7370_4276)
        let types = ["NBIRTH", "DBIRTH", "NDATA", "DDATA", "NCMD", "DCMD", "NDEATH", "DDEATH"]
        var decodedMetrics = 0
        for round in 0..<3000 {
            var payload: [UInt8]
            func noise(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
            switch round % 3 {
            case 0:
                payload = noise(Int.random(in: 0..<200, using: &random))
            case 1:
                payload = round % 2 == 0 ? S.nbirth : S.dbirth
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    let index = Int.random(in: 0..<payload.count, using: &random)
                    payload[index] = UInt8.random(in: 0...255, using: &random)
                }
            default:
                // Plausible tags with random values: reaches deeper than pure noise.
                payload = []
                for _ in 0..<Int.random(in: 1...12, using: &random) {
                    let field = UInt64.random(in: 1...19, using: &random)
                    let body = noise(Int.random(in: 0..<12, using: &random))
                    payload += Bool.random(using: &random) ? PB.bytes(2, PB.uint(field, UInt64(body.count)) + body)
                        : PB.bytes(2, PB.bytes(field, body))
                }
            }
            let type = types[round % types.count]
            let device = type.hasPrefix("D") ? S.device : nil
            var state = round % 4 == 0 ? MQTT.makeState() : Self.bornFlow()
            let direction: Direction = round % 5 == 0 ? .toClient : .toServer
            guard let event = H.message(S.publish(type, device: device, payload), direction, state: &state) else {
                Issue.record("a complete PUBLISH did not parse")
                continue
            }
            let values = MQTT.processValues(event.message)
            let metrics = Self.metrics(event.message)
            #expect(metrics.count <= MQTT.Sparkplug.maxMetricTargets)
            #expect(values.count <= metrics.count)
            #expect(event.packet.anomalies.isEmpty)  // parse never reads the payload
            decodedMetrics += metrics.count
        }
        #expect(decodedMetrics > 1000)
    }
}
