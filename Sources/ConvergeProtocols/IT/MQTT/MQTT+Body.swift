import ConvergeModel

extension MQTT {
    /// The variable header and payload of each packet type, read inside the packet's bytes. A field
    /// that runs past the remaining length stops the reading with `invalidLength`; what was read
    /// before it stays in the packet.
    enum Body {
        static func parse(_ bytes: Span<UInt8>, packet: inout Packet, state: inout State) {
            checkFixedFlags(&packet)
            if packet.type.isClientOnly && packet.direction == .toClient
                || packet.type.isServerOnly && packet.direction == .toServer
            {
                packet.anomalies.insert(.wrongDirection)
            }
            if packet.type == .connect {
                connect(bytes, &packet, state: &state)
                return
            }
            packet.protocolLevel = state.protocolLevel(inferredFrom: packet)
            var cursor = Cursor(offset: packet.headerLength, end: packet.totalLength)
            switch packet.type {
            case .connack: connack(bytes, &cursor, &packet)
            case .publish: publish(bytes, &cursor, &packet)
            case .puback, .pubrec, .pubrel, .pubcomp: acknowledgement(bytes, &cursor, &packet)
            case .subscribe, .unsubscribe: subscription(bytes, &cursor, &packet)
            case .suback, .unsuback: subscriptionAck(bytes, &cursor, &packet)
            case .pingreq, .pingresp: break
            case .disconnect, .auth: reasonAndProperties(bytes, &cursor, &packet)
            default: cursor.offset = cursor.end  // type 0: nothing is known of its body
            }
            if !cursor.isAtEnd { packet.anomalies.insert(.invalidLength) }
        }

        /// Type 0 is never assigned and 15 only from MQTT 5 on; fixed flags must be as the spec says.
        static func checkFixedFlags(_ packet: inout Packet) {
            if packet.type == .reserved { packet.anomalies.insert(.unassignedType) }
            if let required = packet.type.requiredFlags {
                if packet.flags != required { packet.anomalies.insert(.invalidFlags) }
            } else {
                if packet.qos == 3 { packet.anomalies.insert(.invalidQoS) }
                if packet.qos == 0 && packet.dup { packet.anomalies.insert(.invalidFlags) }
            }
        }

        static func connect(_ bytes: Span<UInt8>, _ packet: inout Packet, state: inout State) {
            if packet.direction == .toServer {
                if state.sawConnect { packet.anomalies.insert(.doubleConnect) }
                state.sawConnect = true
            }
            var cursor = Cursor(offset: packet.headerLength, end: packet.totalLength)
            defer { if !cursor.isAtEnd { packet.anomalies.insert(.invalidLength) } }
            guard let name = cursor.lengthPrefixed(bytes), let level = cursor.u8(bytes),
                let flags = cursor.u8(bytes), let keepAlive = cursor.u16(bytes)
            else {
                packet.anomalies.insert(.invalidLength)
                cursor.offset = cursor.end
                return
            }
            packet.protocolName = name
            packet.protocolLevel = level
            packet.connectFlags = flags
            packet.keepAlive = keepAlive
            if !MQTT.protocolName(bytes, name, level: level) { packet.anomalies.insert(.invalidProtocol) }
            if packet.direction == .toServer { state.level = level }
            checkConnectFlags(&packet)
            let isV5 = level >= level5
            if isV5, !Property.readBlock(bytes, &cursor, into: &packet.properties, anomalies: &packet.anomalies) {
                cursor.offset = cursor.end
                return
            }
            guard let clientID = cursor.lengthPrefixed(bytes) else { return truncated(&packet, &cursor) }
            packet.clientID = clientID
            if packet.hasWill {
                if isV5,
                    !Property.readBlock(bytes, &cursor, into: &packet.willProperties, anomalies: &packet.anomalies)
                {
                    cursor.offset = cursor.end
                    return
                }
                guard let topic = cursor.lengthPrefixed(bytes), let payload = cursor.lengthPrefixed(bytes) else {
                    return truncated(&packet, &cursor)
                }
                packet.willTopic = topic
                packet.willPayload = payload
            }
            if packet.hasUserName {
                guard let user = cursor.lengthPrefixed(bytes) else { return truncated(&packet, &cursor) }
                packet.userName = user
            }
            if packet.connectFlags & 0x40 != 0 {
                // Only the length is taken: the password itself never leaves this function.
                guard cursor.lengthPrefixed(bytes) != nil else { return truncated(&packet, &cursor) }
                packet.hasPassword = true
                packet.anomalies.insert(.cleartextPassword)
            }
        }

        /// Reserved bit 0 must be clear; a will's QoS and retain only with the will flag; a
        /// password without a user name only from MQTT 5 on.
        static func checkConnectFlags(_ packet: inout Packet) {
            let flags = packet.connectFlags
            if flags & 0x01 != 0 { packet.anomalies.insert(.invalidFlags) }
            if packet.willQoS == 3 { packet.anomalies.insert(.invalidQoS) }
            if !packet.hasWill && (packet.willQoS != 0 || packet.willRetain) { packet.anomalies.insert(.invalidFlags) }
            if packet.protocolLevel < level5 && flags & 0x40 != 0 && !packet.hasUserName {
                packet.anomalies.insert(.invalidFlags)
            }
        }

        static func truncated(_ packet: inout Packet, _ cursor: inout Cursor) {
            packet.anomalies.insert(.invalidLength)
            cursor.offset = cursor.end
        }

        static func connack(_ bytes: Span<UInt8>, _ cursor: inout Cursor, _ packet: inout Packet) {
            guard let flags = cursor.u8(bytes), let code = cursor.u8(bytes) else { return truncated(&packet, &cursor) }
            if flags & 0xfe != 0 { packet.anomalies.insert(.invalidFlags) }
            packet.sessionPresent = flags & 0x01 != 0
            setReason(code, &packet)
            if packet.protocolLevel >= level5 { properties(bytes, &cursor, &packet) }
        }

        static func publish(_ bytes: Span<UInt8>, _ cursor: inout Cursor, _ packet: inout Packet) {
            guard let topic = cursor.lengthPrefixed(bytes) else { return truncated(&packet, &cursor) }
            packet.topic = topic
            if packet.qos > 0 {
                guard packetID(bytes, &cursor, &packet) else { return truncated(&packet, &cursor) }
            }
            if packet.protocolLevel >= level5, !properties(bytes, &cursor, &packet) { return }
            packet.payload = Slice(offset: cursor.offset, length: cursor.remaining)
            cursor.offset = cursor.end
            checkTopic(bytes, &packet)
        }

        /// A topic name has no wildcards, is not empty (unless an MQTT 5 topic alias stands in),
        /// and may be a Sparkplug B topic.
        static func checkTopic(_ bytes: Span<UInt8>, _ packet: inout Packet) {
            let topic = packet.topic
            if topic.length > maxTopicLength { packet.anomalies.insert(.topicTooLong) }
            if topic.length == 0 && packet.properties.topicAlias == 0 { packet.anomalies.insert(.invalidTopic) }
            for index in topic.offset..<topic.end {
                let byte = bytes.byte(at: index)
                if byte == 0x23 || byte == 0x2b || byte == 0x00 {  // '#', '+', NUL
                    packet.anomalies.insert(.invalidTopic)
                    break
                }
            }
            switch Sparkplug.parse(bytes, topic) {
            case .topic(let parsed):
                packet.sparkplug = parsed
                packet.isCommand = parsed.type.isCommand
            case .invalid:
                packet.anomalies.insert(.invalidSparkplugTopic)
            case .notSparkplug:
                break
            }
        }

        /// PUBACK, PUBREC, PUBREL, PUBCOMP: a packet id; from MQTT 5 on a reason code and
        /// properties may follow.
        static func acknowledgement(_ bytes: Span<UInt8>, _ cursor: inout Cursor, _ packet: inout Packet) {
            guard packetID(bytes, &cursor, &packet) else { return truncated(&packet, &cursor) }
            guard packet.protocolLevel >= level5 else { return }
            reasonAndProperties(bytes, &cursor, &packet)
        }

        /// DISCONNECT and AUTH (and the tail of MQTT 5 acknowledgements): an optional reason code,
        /// then optional properties. Below MQTT 5, DISCONNECT has no body and AUTH does not exist.
        static func reasonAndProperties(_ bytes: Span<UInt8>, _ cursor: inout Cursor, _ packet: inout Packet) {
            if packet.type == .auth && packet.protocolLevel < level5 { packet.anomalies.insert(.unassignedType) }
            guard packet.protocolLevel >= level5 || packet.type == .auth else { return }
            guard let code = cursor.u8(bytes) else { return }
            setReason(code, &packet)
            if !cursor.isAtEnd { properties(bytes, &cursor, &packet) }
        }

        /// SUBSCRIBE (filter and options pairs) and UNSUBSCRIBE (filters): a packet id, MQTT 5
        /// properties, then at least one filter.
        static func subscription(_ bytes: Span<UInt8>, _ cursor: inout Cursor, _ packet: inout Packet) {
            guard packetID(bytes, &cursor, &packet) else { return truncated(&packet, &cursor) }
            if packet.protocolLevel >= level5, !properties(bytes, &cursor, &packet) { return }
            packet.listStart = cursor.offset
            while !cursor.isAtEnd {
                guard packet.listCount < maxTopicFilters else {
                    packet.anomalies.insert(.invalidFilterCount)
                    cursor.offset = cursor.end
                    return
                }
                guard cursor.lengthPrefixed(bytes) != nil else { return truncated(&packet, &cursor) }
                if packet.type == .subscribe {
                    guard let options = cursor.u8(bytes) else { return truncated(&packet, &cursor) }
                    if options & 0x03 == 0x03 { packet.anomalies.insert(.invalidQoS) }
                    // MQTT 5 uses bits 2–5 (no local, retain as published, retain handling 0–2).
                    let reserved: UInt8 = packet.protocolLevel >= level5 ? 0xc0 : 0xfc
                    if options & reserved != 0 || options & 0x30 == 0x30 { packet.anomalies.insert(.invalidFlags) }
                }
                packet.listCount &+= 1
            }
            if packet.listCount == 0 { packet.anomalies.insert(.invalidFilterCount) }
        }

        /// SUBACK and UNSUBACK: a packet id, MQTT 5 properties, one reason code per filter (none
        /// for a 3.x UNSUBACK).
        static func subscriptionAck(_ bytes: Span<UInt8>, _ cursor: inout Cursor, _ packet: inout Packet) {
            guard packetID(bytes, &cursor, &packet) else { return truncated(&packet, &cursor) }
            if packet.type == .unsuback && packet.protocolLevel < level5 { return }
            if packet.protocolLevel >= level5, !properties(bytes, &cursor, &packet) { return }
            packet.listStart = cursor.offset
            packet.listCount = cursor.remaining
            // The packet's code is the first failure (≥ 0x80) if any, else the first code.
            while let code = cursor.u8(bytes) {
                let isFirst = !packet.hasReasonCode
                if isFirst || (code >= 0x80 && packet.reasonCode < 0x80) {
                    packet.reasonCode = code
                    packet.hasReasonCode = true
                }
                if ReasonCode.name(code, type: packet.type, level: packet.protocolLevel) == nil {
                    packet.anomalies.insert(.invalidReasonCode)
                }
            }
        }

        @discardableResult
        static func properties(_ bytes: Span<UInt8>, _ cursor: inout Cursor, _ packet: inout Packet) -> Bool {
            guard Property.readBlock(bytes, &cursor, into: &packet.properties, anomalies: &packet.anomalies) else {
                cursor.offset = cursor.end
                return false
            }
            return true
        }

        static func packetID(_ bytes: Span<UInt8>, _ cursor: inout Cursor, _ packet: inout Packet) -> Bool {
            guard let id = cursor.u16(bytes) else { return false }
            packet.packetID = id
            packet.hasPacketID = true
            if id == 0 { packet.anomalies.insert(.missingPacketID) }
            return true
        }

        static func setReason(_ code: UInt8, _ packet: inout Packet) {
            packet.reasonCode = code
            packet.hasReasonCode = true
            if ReasonCode.name(code, type: packet.type, level: packet.protocolLevel) == nil {
                packet.anomalies.insert(.invalidReasonCode)
            }
        }
    }
}
