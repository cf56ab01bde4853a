extension MQTT {
    /// MQTT 5 properties (§2.2.2.2): an identifier, then a value whose encoding the identifier fixes.
    public enum Property {
        /// How a property's value is encoded.
        public enum Encoding: Sendable, Equatable {
            case byte, twoByte, fourByte, variableInteger, string, binary, stringPair
        }

        /// The encoding and snake_case name of a property id, or nil for an unknown id.
        public static func describe(_ id: UInt8) -> (encoding: Encoding, name: String)? {
            switch id {
            case 0x01: (.byte, "payload_format_indicator")
            case 0x02: (.fourByte, "message_expiry_interval")
            case 0x03: (.string, "content_type")
            case 0x08: (.string, "response_topic")
            case 0x09: (.binary, "correlation_data")
            case 0x0b: (.variableInteger, "subscription_identifier")
            case 0x11: (.fourByte, "session_expiry_interval")
            case 0x12: (.string, "assigned_client_identifier")
            case 0x13: (.twoByte, "server_keep_alive")
            case 0x15: (.string, "authentication_method")
            case 0x16: (.binary, "authentication_data")
            case 0x17: (.byte, "request_problem_information")
            case 0x18: (.fourByte, "will_delay_interval")
            case 0x19: (.byte, "request_response_information")
            case 0x1a: (.string, "response_information")
            case 0x1c: (.string, "server_reference")
            case 0x1f: (.string, "reason_string")
            case 0x21: (.twoByte, "receive_maximum")
            case 0x22: (.twoByte, "topic_alias_maximum")
            case 0x23: (.twoByte, "topic_alias")
            case 0x24: (.byte, "maximum_qos")
            case 0x25: (.byte, "retain_available")
            case 0x26: (.stringPair, "user_property")
            case 0x27: (.fourByte, "maximum_packet_size")
            case 0x28: (.byte, "wildcard_subscription_available")
            case 0x29: (.byte, "subscription_identifier_available")
            case 0x2a: (.byte, "shared_subscription_available")
            default: nil
            }
        }

        /// Topic Alias: the one property the body check needs (an empty PUBLISH topic is valid with it).
        static let topicAlias: UInt8 = 0x23

        /// One property as read from the wire: a number for integer encodings, slices for the rest.
        public struct Item: Sendable, Equatable {
            public var id: UInt8
            public var encoding: Encoding
            public var number: Int = 0
            /// The string or binary value; for a user property, the key.
            public var value = Slice.none
            /// For a user property, the value.
            public var second = Slice.none
        }

        /// Reads one property at the cursor; nil for an unknown id or a value cut short.
        static func read(_ bytes: Span<UInt8>, _ cursor: inout Cursor) -> Item? {
            // Identifiers are variable-length integers; every defined one fits in a byte.
            guard let rawID = cursor.variableInteger(bytes), rawID < 0x80,
                let (encoding, _) = describe(UInt8(truncatingIfNeeded: rawID))
            else { return nil }
            var item = Item(id: UInt8(truncatingIfNeeded: rawID), encoding: encoding)
            switch encoding {
            case .byte:
                guard let value = cursor.u8(bytes) else { return nil }
                item.number = Int(value)
            case .twoByte:
                guard let value = cursor.u16(bytes) else { return nil }
                item.number = Int(value)
            case .fourByte:
                guard let value = cursor.u32(bytes) else { return nil }
                item.number = Int(value)
            case .variableInteger:
                guard let value = cursor.variableInteger(bytes) else { return nil }
                item.number = value
            case .string, .binary:
                guard let value = cursor.lengthPrefixed(bytes) else { return nil }
                item.value = value
                item.number = value.length
            case .stringPair:
                guard let key = cursor.lengthPrefixed(bytes), let value = cursor.lengthPrefixed(bytes) else {
                    return nil
                }
                item.value = key
                item.second = value
            }
            return item
        }

        /// Reads a property block at the cursor (its length, then its properties) and moves past
        /// it. Walks at most `maxProperties`; an unknown or cut-short property ends the walk
        /// (`invalidProperty`) but the block's length still says where the packet goes on. Returns
        /// false when the length itself is missing or runs past the packet: the rest is unreadable.
        static func readBlock(
            _ bytes: Span<UInt8>, _ cursor: inout Cursor, into block: inout PropertyBlock,
            anomalies: inout Anomalies
        ) -> Bool {
            guard let length = cursor.variableInteger(bytes) else {
                anomalies.insert(cursor.isAtEnd ? .invalidLength : .invalidPropertiesLength)
                return false
            }
            guard length <= cursor.remaining else {
                anomalies.insert(.invalidPropertiesLength)
                return false
            }
            block.slice = Slice(offset: cursor.offset, length: length)
            var walker = Cursor(offset: cursor.offset, end: cursor.offset &+ length)
            while !walker.isAtEnd {
                guard block.count < maxProperties else {
                    anomalies.insert(.tooManyProperties)
                    break
                }
                guard let item = read(bytes, &walker) else {
                    anomalies.insert(.invalidProperty)
                    break
                }
                block.count &+= 1
                if item.id == topicAlias { block.topicAlias = UInt16(truncatingIfNeeded: item.number) }
            }
            _ = cursor.skip(length)
            return true
        }

        /// Calls `body` for each readable property of a block, at most `maxProperties`.
        static func forEach(_ bytes: Span<UInt8>, _ block: PropertyBlock, _ body: (Item) -> Void) {
            guard block.slice.isPresent else { return }
            var walker = Cursor(offset: block.slice.offset, end: block.slice.end)
            var count = 0
            while !walker.isAtEnd, count < maxProperties, let item = read(bytes, &walker) {
                body(item)
                count &+= 1
            }
        }
    }
}
