import ConvergeModel

extension MQTT {
    /// Target kinds. Topic-like targets carry their text in `name` and `noAddress` as address.
    public enum TargetKind {
        /// PUBLISH topic: `count` is the payload size, `values` are [QoS, retain (0/1), dup (0/1)].
        public static let topic = "topic"
        /// SUBSCRIBE filter (`values`: [requested QoS, raw options byte]) or UNSUBSCRIBE filter.
        public static let topicFilter = "topic_filter"
        /// CONNECT: the protocol name, `address` the level (3, 4, 5).
        public static let protocolVersion = "protocol"
        public static let clientID = "client_id"
        public static let userName = "user_name"
        /// CONNECT will: `count` is the will payload size, `values` [will QoS, will retain].
        public static let willTopic = "will_topic"
        /// CONNECT keep alive: `values` [seconds].
        public static let keepAlive = "keep_alive"
        /// SUBACK/UNSUBACK: `address` is the filter's position, `values` [code], `name` its name.
        public static let reasonCode = "reason_code"
        /// Sparkplug B: the edge node (`group/node`), the device (`group/node/device`), the host
        /// application of a STATE message.
        public static let sparkplugEdgeNode = "sparkplug_edge_node"
        public static let sparkplugDevice = "sparkplug_device"
        public static let sparkplugHost = "sparkplug_host"
        /// MQTT 5 property: `property.<name>`, `address` the id; integers in `values`, strings in
        /// `name`, binary data by size only (`count`); a user property is `name` "key=value".
        public static let propertyPrefix = "property."
        public static let willPropertyPrefix = "will_property."
    }

    /// Address of targets named by text (topics, ids).
    public static let noAddress = -1

    /// The normalised event. `bytes` is the span given to `parse` (the packet starts at offset 0).
    public static func event(
        _ parsed: Packet, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let packet = bytes.extracting(0..<min(parsed.totalLength, bytes.count))
        var targets = targets(parsed, packet)
        var anomalies = parsed.anomalies
        sparkplugTargets(parsed, packet, aliases: &state.sparkplugAliases, into: &targets, anomalies: &anomalies)
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: functionName(parsed), operation: operation(parsed),
            targets: targets, status: status(parsed), anomalies: anomalies.names)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// The packet type in snake_case; a Sparkplug PUBLISH adds its message type
    /// (`publish.sparkplug_ncmd`).
    public static func functionName(_ packet: Packet) -> String {
        if let sparkplug = packet.sparkplug { return "publish.sparkplug_" + sparkplug.type.name }
        return packet.type.name
    }

    /// Connection housekeeping is a session; publishing writes (a Sparkplug command controls);
    /// subscribing reads; acknowledgements take their request's operation.
    public static func operation(_ packet: Packet) -> Operation {
        switch packet.type {
        case .connect, .connack, .pingreq, .pingresp, .disconnect: .session
        case .auth: .auth
        case .publish, .puback, .pubrec, .pubrel, .pubcomp: packet.isCommand ? .control : .write
        case .subscribe, .suback, .unsubscribe, .unsuback: .read
        default: .other
        }
    }

    /// A failure code is an exception; a request that expects an answer is pending; the rest ok.
    static func status(_ packet: Packet) -> Message.Status {
        let level = packet.protocolLevel
        if packet.hasReasonCode, ReasonCode.isFailure(packet.reasonCode, type: packet.type, level: level) {
            let name = ReasonCode.name(packet.reasonCode, type: packet.type, level: packet.protocolLevel)
            return .exception(code: Int(packet.reasonCode), name: name ?? "unknown")
        }
        switch packet.type {
        case .connect, .subscribe, .unsubscribe, .pingreq: return .pending
        case .publish where packet.qos == 1 || packet.qos == 2: return .pending
        default: return .ok
        }
    }

    static func targets(_ packet: Packet, _ bytes: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        switch packet.type {
        case .connect: connectTargets(packet, bytes, into: &targets)
        case .publish: publishTargets(packet, bytes, into: &targets)
        case .subscribe, .unsubscribe: filterTargets(packet, bytes, into: &targets)
        case .suback, .unsuback: reasonTargets(packet, bytes, into: &targets)
        default: break
        }
        propertyTargets(packet.properties, bytes, prefix: TargetKind.propertyPrefix, into: &targets)
        return targets
    }

    static func text(_ bytes: Span<UInt8>, _ slice: Slice, limit: Int = maxStringLength) -> String {
        Text.string(bytes, slice, limit: limit)
    }

    static func connectTargets(_ packet: Packet, _ bytes: Span<UInt8>, into targets: inout [Message.Target]) {
        if packet.protocolName.isPresent {
            targets.append(Message.Target(
                kind: TargetKind.protocolVersion, address: Int(packet.protocolLevel),
                name: text(bytes, packet.protocolName)))
            targets.append(Message.Target(
                kind: TargetKind.keepAlive, address: noAddress, values: [Int(packet.keepAlive)]))
        }
        if packet.clientID.isPresent {
            let clientID = text(bytes, packet.clientID)
            targets.append(Message.Target(kind: TargetKind.clientID, address: noAddress, name: clientID))
        }
        if packet.userName.isPresent {
            let userName = text(bytes, packet.userName)
            targets.append(Message.Target(kind: TargetKind.userName, address: noAddress, name: userName))
        }
        if packet.willTopic.isPresent {
            targets.append(Message.Target(
                kind: TargetKind.willTopic, address: noAddress, count: max(packet.willPayload.length, 0),
                values: [Int(packet.willQoS), packet.willRetain ? 1 : 0],
                name: text(bytes, packet.willTopic, limit: maxTopicLength)))
        }
        propertyTargets(packet.willProperties, bytes, prefix: TargetKind.willPropertyPrefix, into: &targets)
    }

    static func publishTargets(_ packet: Packet, _ bytes: Span<UInt8>, into targets: inout [Message.Target]) {
        guard packet.topic.isPresent else { return }
        targets.append(Message.Target(
            kind: TargetKind.topic, address: noAddress, count: max(packet.payload.length, 0),
            values: [Int(packet.qos), packet.retain ? 1 : 0, packet.dup ? 1 : 0],
            name: text(bytes, packet.topic, limit: maxTopicLength)))
        guard let sparkplug = packet.sparkplug else { return }
        if sparkplug.type == .state {
            targets.append(Message.Target(
                kind: TargetKind.sparkplugHost, address: noAddress, name: text(bytes, sparkplug.node)))
            return
        }
        let node = text(bytes, sparkplug.group) + "/" + text(bytes, sparkplug.node)
        targets.append(Message.Target(kind: TargetKind.sparkplugEdgeNode, address: noAddress, name: node))
        if sparkplug.device.isPresent {
            targets.append(Message.Target(
                kind: TargetKind.sparkplugDevice, address: noAddress, name: node + "/" + text(bytes, sparkplug.device)))
        }
    }

    /// Walks the filters again (parse kept only where they start), at most `maxTopicFilters`.
    static func filterTargets(_ packet: Packet, _ bytes: Span<UInt8>, into targets: inout [Message.Target]) {
        var cursor = Cursor(offset: packet.listStart, end: packet.totalLength)
        for _ in 0..<packet.listCount {
            guard let filter = cursor.lengthPrefixed(bytes) else { return }
            var values: [Int] = []
            if packet.type == .subscribe {
                guard let options = cursor.u8(bytes) else { return }
                values = [Int(options & 0x03), Int(options)]
            }
            targets.append(Message.Target(
                kind: TargetKind.topicFilter, address: noAddress, values: values,
                name: text(bytes, filter, limit: maxTopicLength)))
        }
    }

    static func reasonTargets(_ packet: Packet, _ bytes: Span<UInt8>, into targets: inout [Message.Target]) {
        for index in 0..<min(packet.listCount, maxReasonCodeTargets) {
            guard let code = bytes.byte(at: packet.listStart &+ index) else { return }
            let name = ReasonCode.name(code, type: packet.type, level: packet.protocolLevel) ?? "unknown"
            targets.append(Message.Target(kind: TargetKind.reasonCode, address: index, values: [Int(code)], name: name))
        }
    }

    /// MQTT 5 properties as targets. Binary values (correlation and authentication data) are
    /// reported by size only.
    static func propertyTargets(
        _ block: PropertyBlock, _ bytes: Span<UInt8>, prefix: String, into targets: inout [Message.Target]
    ) {
        Property.forEach(bytes, block) { item in
            let kind = prefix + (Property.describe(item.id)?.name ?? "unknown")
            var target = Message.Target(kind: kind, address: Int(item.id))
            switch item.encoding {
            case .byte, .twoByte, .fourByte, .variableInteger: target.values = [item.number]
            case .string: target.name = text(bytes, item.value)
            case .binary: target.count = max(item.value.length, 0)
            case .stringPair: target.name = text(bytes, item.value) + "=" + text(bytes, item.second)
            }
            targets.append(target)
        }
    }
}
