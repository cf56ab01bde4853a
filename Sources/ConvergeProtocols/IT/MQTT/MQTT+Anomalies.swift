extension MQTT {
    /// What was wrong with a packet whose fixed header was sound. Names follow Suricata's MQTT
    /// events where they overlap (`mqtt.invalid_qos_level`, `mqtt.unassigned_msg_type`,
    /// `mqtt.missing_msg_id`, `mqtt.double_connect`) so rules written for either read alike.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Fixed-header flags other than the spec fixes for the type, or reserved connect,
        /// acknowledge or subscription-option bits set.
        public static let invalidFlags = Anomalies(rawValue: 1 << 0)
        /// QoS 3 on a PUBLISH, a will or a subscription.
        public static let invalidQoS = Anomalies(rawValue: 1 << 1)
        /// Packet type 0, or 15 (AUTH) on a connection below MQTT 5.
        public static let unassignedType = Anomalies(rawValue: 1 << 2)
        /// The body disagrees with the remaining length: a field runs past it or bytes are left over.
        public static let invalidLength = Anomalies(rawValue: 1 << 3)
        /// An MQTT 5 property length that runs past the packet.
        public static let invalidPropertiesLength = Anomalies(rawValue: 1 << 4)
        /// An unknown property id or a property value cut short.
        public static let invalidProperty = Anomalies(rawValue: 1 << 5)
        /// More properties than `MQTT.maxProperties`: the rest were skipped unread.
        public static let tooManyProperties = Anomalies(rawValue: 1 << 6)
        /// A CONNECT whose protocol name and level are not MQTT 3.1, 3.1.1 or 5.
        public static let invalidProtocol = Anomalies(rawValue: 1 << 7)
        /// A CONNECT carrying a password the capture could read: it crossed the wire unencrypted.
        public static let cleartextPassword = Anomalies(rawValue: 1 << 8)
        /// A reason or return code the spec does not define.
        public static let invalidReasonCode = Anomalies(rawValue: 1 << 9)
        /// An acknowledgement with no request of its packet id (or no CONNECT/PINGREQ) pending.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 10)
        /// The pending table was full of live requests: the oldest was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 11)
        /// A client-only packet sent by the broker, or a broker-only packet sent by the client.
        public static let wrongDirection = Anomalies(rawValue: 1 << 12)
        /// A second CONNECT on one connection.
        public static let doubleConnect = Anomalies(rawValue: 1 << 13)
        /// Packet id 0 where the spec requires a non-zero one.
        public static let missingPacketID = Anomalies(rawValue: 1 << 14)
        /// A topic longer than `MQTT.maxTopicLength` (kept, but cut short in events).
        public static let topicTooLong = Anomalies(rawValue: 1 << 15)
        /// A PUBLISH topic with a wildcard, or empty without a topic alias.
        public static let invalidTopic = Anomalies(rawValue: 1 << 16)
        /// A SUBSCRIBE or UNSUBSCRIBE with no topic filter, or more than `MQTT.maxTopicFilters`.
        public static let invalidFilterCount = Anomalies(rawValue: 1 << 17)
        /// A topic starting `spBv1.0/` that is not a Sparkplug B topic (unknown type, missing ids).
        public static let invalidSparkplugTopic = Anomalies(rawValue: 1 << 18)
        // Sparkplug B payloads: found when the payload is decoded for events, never by `parse`.
        /// A payload that is not sound protobuf: a varint too long, a length past the end, field
        /// number 0, a group or unknown wire type, a known field with the wrong wire type.
        public static let sparkplugMalformedPayload = Anomalies(rawValue: 1 << 19)
        /// Messages nested deeper than `MQTT.Sparkplug.maxNesting`: the deeper ones were not read.
        public static let sparkplugTooDeep = Anomalies(rawValue: 1 << 20)
        /// A message with more than `MQTT.Protobuf.maxFieldsPerMessage` fields: the rest was not read.
        public static let sparkplugTooManyFields = Anomalies(rawValue: 1 << 21)
        /// A metric named only by an alias no BIRTH seen on this flow defined.
        public static let sparkplugUnknownAlias = Anomalies(rawValue: 1 << 22)
        /// The flow's alias table was full (`MQTT.Sparkplug.Aliases.capacity`): aliases went unlearned.
        public static let sparkplugAliasTableFull = Anomalies(rawValue: 1 << 23)
        /// Fields that disagree: a value field that does not suit the metric's data type, an unknown
        /// data type, property keys and values that do not pair, data set columns, types and rows
        /// of different widths.
        public static let sparkplugMismatch = Anomalies(rawValue: 1 << 24)

        /// Every anomaly with its event name, in bit order.
        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.invalidFlags, "mqtt.invalid_flags"),
            (.invalidQoS, "mqtt.invalid_qos_level"),
            (.unassignedType, "mqtt.unassigned_msg_type"),
            (.invalidLength, "mqtt.invalid_length"),
            (.invalidPropertiesLength, "mqtt.invalid_properties_length"),
            (.invalidProperty, "mqtt.invalid_property"),
            (.tooManyProperties, "mqtt.too_many_properties"),
            (.invalidProtocol, "mqtt.invalid_protocol"),
            (.cleartextPassword, "mqtt.cleartext_password"),
            (.invalidReasonCode, "mqtt.invalid_reason_code"),
            (.unsolicitedResponse, "mqtt.unsolicited_response"),
            (.pendingOverflow, "mqtt.pending_overflow"),
            (.wrongDirection, "mqtt.wrong_direction"),
            (.doubleConnect, "mqtt.double_connect"),
            (.missingPacketID, "mqtt.missing_msg_id"),
            (.topicTooLong, "mqtt.topic_too_long"),
            (.invalidTopic, "mqtt.invalid_topic"),
            (.invalidFilterCount, "mqtt.invalid_filter_count"),
            (.invalidSparkplugTopic, "mqtt.invalid_sparkplug_topic"),
            (.sparkplugMalformedPayload, "mqtt.sparkplug_malformed_payload"),
            (.sparkplugTooDeep, "mqtt.sparkplug_too_deep"),
            (.sparkplugTooManyFields, "mqtt.sparkplug_too_many_fields"),
            (.sparkplugUnknownAlias, "mqtt.sparkplug_unknown_alias"),
            (.sparkplugAliasTableFull, "mqtt.sparkplug_alias_table_full"),
            (.sparkplugMismatch, "mqtt.sparkplug_mismatch"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] {
            Self.named.compactMap { contains($0.anomaly) ? $0.name : nil }
        }
    }
}
