import ConvergeModel

extension MQTT.TargetKind {
    /// A Sparkplug B payload: `address` its `seq` (-1 when absent), `count` its metrics,
    /// `values` [payload timestamp in ms since the epoch, or -1], `value` its uuid when present.
    public static let sparkplugPayload = "sparkplug_payload"
    /// A metric of a BIRTH, DATA or DEATH message: `name` the metric name (from the alias the
    /// flow's BIRTH defined when only the alias is sent; nil when unknown), `address` the alias
    /// (-1 when absent), `values` [data type, timestamp in ms or -1, flags (1 historical,
    /// 2 transient, 4 null)], `value` the value as text (numbers in decimal, booleans `true` or
    /// `false`, strings as sent, bytes, data sets and templates summarised; nil when null).
    /// The data type is the declared one, or the one the value field implies when none is sent.
    public static let sparkplugMetric = "sparkplug_metric"
    /// A metric of an NCMD or DCMD: a value written to the edge node or device. Laid out as
    /// `sparkplugMetric`.
    public static let sparkplugWrite = "sparkplug_write"
}

extension MQTT.Sparkplug {
    /// Metrics turned into event targets per message; the payload target counts them all.
    public static let maxMetricTargets = 1000
    /// Metric flags in a metric target's third value.
    public static let historicalFlag = 1
    public static let transientFlag = 2
    public static let nullFlag = 4

    /// A metric's value as a number, read by its data type: signed types sign-extended from the
    /// width they declare, unsigned ones masked to it.
    public enum Number: Sendable, Equatable {
        case signed(Int64)
        case unsigned(UInt64)
        case real(Double)
    }

    public static func number(_ metric: Metric) -> Number? {
        typealias T = DataType
        switch metric.value {
        case .int(let raw):
            switch metric.datatype {
            case T.int8: return .signed(Int64(Int8(truncatingIfNeeded: raw)))
            case T.int16: return .signed(Int64(Int16(truncatingIfNeeded: raw)))
            case T.int32: return .signed(Int64(Int32(truncatingIfNeeded: raw)))
            case T.uint8: return .unsigned(UInt64(raw & 0xff))
            case T.uint16: return .unsigned(UInt64(raw & 0xffff))
            default: return .unsigned(UInt64(raw))
            }
        case .long(let raw):
            switch metric.datatype {
            case T.int8, T.int16, T.int32, T.int64: return .signed(Int64(bitPattern: raw))
            default: return .unsigned(raw)
            }
        case .float(let value): return .real(Double(value))
        case .double(let value): return .real(value)
        case .boolean(let value): return .unsigned(value ? 1 : 0)
        default: return nil
        }
    }

    /// The declared data type, or the one the value field implies when none was declared.
    public static func effectiveDataType(_ metric: Metric) -> UInt32 {
        if metric.datatype != DataType.unknown { return metric.datatype }
        switch metric.value {
        case .int: return DataType.uint32
        case .long: return DataType.uint64
        case .float: return DataType.float
        case .double: return DataType.double
        case .boolean: return DataType.boolean
        case .string: return DataType.string
        case .bytes: return DataType.bytes
        case .dataSet: return DataType.dataSet
        case .template: return DataType.template
        case .none, .extensionValue: return DataType.unknown
        }
    }

    /// Data types whose values are process values (a number or a boolean, not a date).
    public static func isProcessType(_ datatype: UInt32) -> Bool {
        (DataType.int8...DataType.boolean).contains(datatype)
    }
}

extension MQTT {
    /// The targets a Sparkplug B payload adds to its PUBLISH event: the payload, then one per
    /// metric (at most `Sparkplug.maxMetricTargets`). BIRTH messages teach the flow their aliases;
    /// other messages are named through them.
    static func sparkplugTargets(
        _ packet: Packet, _ bytes: Span<UInt8>, aliases: inout Sparkplug.Aliases,
        into targets: inout [Message.Target], anomalies: inout Anomalies
    ) {
        guard packet.type == .publish, let topic = packet.sparkplug, topic.type != .state,
            packet.payload.length > 0
        else { return }
        let node = nodeName(bytes, topic)
        let type = topic.type
        let isBirth = type == .nbirth || type == .dbirth
        if type == .nbirth { aliases.forget(node: node) }
        let kind = type.isCommand ? TargetKind.sparkplugWrite : TargetKind.sparkplugMetric
        let payloadIndex = targets.count
        var added = 0
        let summary = Sparkplug.decodePayload(bytes, packet.payload) { metric in
            var name: String? = metric.name.isPresent ? text(bytes, metric.name, limit: maxTopicLength) : nil
            if let alias = metric.alias {
                if let name {
                    if isBirth && !aliases.learn(node: node, alias: alias, name: name) {
                        anomalies.insert(.sparkplugAliasTableFull)
                    }
                } else {
                    name = aliases.name(node: node, alias: alias)
                    if name == nil { anomalies.insert(.sparkplugUnknownAlias) }
                }
            }
            guard added < Sparkplug.maxMetricTargets else { return }
            added &+= 1
            targets.append(metricTarget(metric, kind: kind, name: name, bytes))
        }
        anomalies.formUnion(summary.anomalies)
        targets.insert(Message.Target(
            kind: TargetKind.sparkplugPayload, address: summary.seq.flatMap { Int(exactly: $0) } ?? noAddress,
            count: summary.metricCount, values: [milliseconds(summary.timestamp)],
            value: summary.uuid.isPresent ? text(bytes, summary.uuid) : nil), at: payloadIndex)
    }

    static func milliseconds(_ value: UInt64?) -> Int {
        value.flatMap { Int(exactly: $0) } ?? -1
    }

    static func metricTarget(
        _ metric: Sparkplug.Metric, kind: String, name: String?, _ bytes: Span<UInt8>
    ) -> Message.Target {
        var flags = 0
        if metric.isHistorical { flags |= Sparkplug.historicalFlag }
        if metric.isTransient { flags |= Sparkplug.transientFlag }
        if metric.isNull { flags |= Sparkplug.nullFlag }
        return Message.Target(
            kind: kind, address: metric.alias.flatMap { Int(exactly: $0) } ?? noAddress,
            values: [Int(Sparkplug.effectiveDataType(metric)), milliseconds(metric.timestamp), flags],
            name: name, value: metric.isNull ? nil : valueText(metric, bytes))
    }

    /// A metric's value for events: numbers in decimal, strings as sent (cut to
    /// `maxStringLength`), the rest summarised.
    static func valueText(_ metric: Sparkplug.Metric, _ bytes: Span<UInt8>) -> String? {
        if let number = Sparkplug.number(metric) {
            if case .boolean(let value) = metric.value { return value ? "true" : "false" }
            switch number {
            case .signed(let value): return String(value)
            case .unsigned(let value): return String(value)
            case .real(let value):
                if case .float(let single) = metric.value { return "\(single)" }
                return "\(value)"
            }
        }
        switch metric.value {
        case .string(let slice): return text(bytes, slice)
        case .bytes(let slice): return "\(max(slice.length, 0)) bytes"
        case .dataSet(let columns, let rows): return "dataset \(columns) columns, \(rows) rows"
        case .template(let reference, let metrics, let isDefinition):
            if isDefinition || !reference.isPresent { return "template definition, \(metrics) metrics" }
            return "template \(text(bytes, reference)), \(metrics) metrics"
        case .extensionValue: return "extension"
        default: return nil
        }
    }
}

extension MQTT {
    /// Process values of a Sparkplug B message, from its event: every named numeric or boolean
    /// metric, tagged `sparkplug://<group>/<edge node>[/<device>]/<metric>`, at the metric's own
    /// timestamp (else the payload's, else the capture's), written when it is a command. A broker
    /// forwards each message to every subscriber: the copies carry the same tag, time and value.
    public static func processValues(_ message: Message) -> [ProcessValue] {
        guard message.proto == name else { return [] }
        var path: String?
        var payloadTime: Timestamp?
        var values: [ProcessValue] = []
        for target in message.targets {
            switch target.kind {
            case TargetKind.sparkplugEdgeNode where path == nil, TargetKind.sparkplugDevice:
                path = target.name
            case TargetKind.sparkplugPayload:
                payloadTime = target.values.first.flatMap(timestamp(milliseconds:))
            case TargetKind.sparkplugMetric, TargetKind.sparkplugWrite:
                guard let path, let name = target.name, let number = processNumber(target) else { continue }
                let time = target.values.dropFirst().first.flatMap(timestamp(milliseconds:))
                values.append(ProcessValue(
                    time: time ?? payloadTime ?? message.time, tag: "sparkplug://" + path + "/" + name,
                    value: number, written: target.kind == TargetKind.sparkplugWrite))
            default:
                continue
            }
        }
        return values
    }

    static func processNumber(_ target: Message.Target) -> Double? {
        guard let datatype = target.values.first, let type = UInt32(exactly: datatype),
            Sparkplug.isProcessType(type), let text = target.value
        else { return nil }
        switch text {
        case "true": return 1
        case "false": return 0
        default: return Double(text)
        }
    }

    /// Milliseconds since the epoch as a timestamp; nil when absent (-1) or out of range.
    static func timestamp(milliseconds: Int) -> Timestamp? {
        guard milliseconds >= 0, milliseconds <= Int(Int64.max / 1_000_000) else { return nil }
        return Timestamp(nanoseconds: Int64(milliseconds) &* 1_000_000)
    }

    /// The `Dissector` requirement: the values are read from the event's targets.
    public static func processValues(
        _ packet: Packet, event: Message, bytes: Span<UInt8>, context: MessageContext
    ) -> [ProcessValue] {
        processValues(event)
    }
}

extension MQTT.Sparkplug {
    /// What a BIRTH metric named `Properties/…` says about the node or device (Sparkplug 3.0
    /// §6.4.9 names Hardware Make, Hardware Model, OS, OS Version; FW, Firmware and Serial Number
    /// are in common use, as is a bare Hardware).
    enum IdentityProperty {
        case fact(AssetFact.Kind)
        case osVersion
    }

    static let identityProperties: [(name: StaticString, property: IdentityProperty)] = [
        ("Properties/Hardware Make", .fact(.vendor)),
        ("Properties/Hardware Model", .fact(.model)),
        ("Properties/Hardware", .fact(.model)),
        ("Properties/OS", .fact(.os)),
        ("Properties/OS Version", .osVersion),
        ("Properties/FW", .fact(.firmware)),
        ("Properties/Firmware", .fact(.firmware)),
        ("Properties/Firmware Version", .fact(.firmware)),
        ("Properties/Serial Number", .fact(.serial)),
        ("Properties/Serial", .fact(.serial)),
    ]

    static func identityProperty(_ bytes: Span<UInt8>, _ name: MQTT.Slice) -> IdentityProperty? {
        guard name.length > 11 else { return nil }
        for entry in identityProperties where MQTT.Text.equalsIgnoringCase(bytes, name, entry.name) {
            return entry.property
        }
        return nil
    }
}

extension MQTT {
    /// Identity from the `Properties/…` string metrics of a BIRTH the edge node itself published;
    /// an OS version joins the OS. Device facts are recorded against the edge node's address
    /// (the device has none of its own on the wire), with the device named in `source`.
    static func sparkplugBirthFacts(
        _ packet: Packet, _ topic: Sparkplug.Topic, bytes: Span<UInt8>, context: MessageContext
    ) -> [AssetFact] {
        guard topic.type == .nbirth || topic.type == .dbirth, packet.payload.length > 0 else { return [] }
        var found: [(kind: AssetFact.Kind, value: String)] = []
        var osVersion: String?
        _ = Sparkplug.decodePayload(bytes, packet.payload) { metric in
            guard !metric.isNull, case .string(let slice) = metric.value,
                let property = Sparkplug.identityProperty(bytes, metric.name)
            else { return }
            let value = text(bytes, slice)
            guard !value.isEmpty else { return }
            switch property {
            case .fact(let kind): found.append((kind, value))
            case .osVersion: osVersion = value
            }
        }
        if let osVersion {
            if let index = found.firstIndex(where: { $0.kind == .os }) {
                found[index].value += " " + osVersion
            } else {
                found.append((.os, osVersion))
            }
        }
        var source = "mqtt/sparkplug." + topic.type.name
        if topic.device.isPresent { source += "/" + nodeName(bytes, topic) + "/" + text(bytes, topic.device) }
        return found.map {
            AssetFact(
                time: context.time, address: context.client.address, kind: $0.kind, value: $0.value, source: source)
        }
    }
}

extension MQTT.Text {
    /// Whether the bytes of `slice` are `text`, ASCII letters compared without case.
    static func equalsIgnoringCase(_ bytes: Span<UInt8>, _ slice: MQTT.Slice, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard slice.length == count else { return false }
        let start = text.utf8Start
        for index in 0..<count {
            guard let byte = bytes.byte(at: slice.offset &+ index) else { return false }
            if lowercased(byte) != lowercased(start[index]) { return false }
        }
        return true
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte
    }
}
