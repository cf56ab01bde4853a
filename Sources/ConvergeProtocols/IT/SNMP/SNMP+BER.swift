extension SNMP {
    /// The header of one BER element (X.690 §8.1): identifier, then a definite length. The value
    /// is `bytes[valueStart..<valueEnd]`; `valueEnd` is as declared and may lie past the bytes a
    /// capture kept (a cut datagram), which `isComplete` tells.
    public struct Element: Sendable, Equatable {
        /// The first identifier octet: class (bits 8–7), constructed (bit 6), low tag number.
        public var identifier: UInt8
        /// The tag number (from the high-tag-number form when the low five bits are all ones).
        public var number: UInt32
        public var valueStart: Int
        public var valueEnd: Int

        public var isConstructed: Bool { identifier & 0x20 != 0 }
        public var valueLength: Int { valueEnd &- valueStart }
        func isComplete(_ bytes: Span<UInt8>) -> Bool { valueEnd <= bytes.count }
    }

    /// A bounded BER reader over borrowed bytes. It never recurses: SNMP's layout is a fixed walk
    /// (message, PDU, varbind list, varbind, value), so nesting depth is bounded by the code, and
    /// deeper structures inside a value are skipped by their length without being looked at.
    public enum BER {
        /// Octets of a long-form length: four cover any length a datagram can hold.
        public static let maxLengthOctets = 4
        /// Continuation octets of a high tag number (28 bits of tag number).
        public static let maxTagOctets = 4
        /// Octets of an INTEGER read as a number (Integer32, Counter64 and TimeTicks fit in 8 + a sign octet).
        public static let maxIntegerOctets = 9

        /// Universal and SNMP application tags (identifier octets).
        public static let integer: UInt8 = 0x02
        public static let octetString: UInt8 = 0x04
        public static let null: UInt8 = 0x05
        public static let objectIdentifier: UInt8 = 0x06
        public static let sequence: UInt8 = 0x30

        public enum Outcome: Sendable, Equatable {
            case element(Element)
            /// The bytes end inside the header (the capture cut the datagram).
            case truncated
            /// Not a valid definite-length element inside its container.
            case invalid
        }

        /// The element whose header starts at `offset`, inside a container that ends at `end`
        /// (declared; may exceed `bytes.count`). Its value must end within `end`.
        public static func read(_ bytes: Span<UInt8>, at offset: Int, end: Int) -> Outcome {
            var position = offset
            guard position >= 0, position < end else { return .invalid }
            guard position < bytes.count else { return .truncated }
            let identifier = bytes[position]
            position &+= 1
            var number = UInt32(identifier & 0x1f)
            if number == 0x1f {
                number = 0
                var octets = 0
                while true {
                    guard position < end else { return .invalid }
                    guard position < bytes.count else { return .truncated }
                    let octet = bytes[position]
                    position &+= 1
                    octets &+= 1
                    guard octets <= maxTagOctets else { return .invalid }
                    number = number << 7 | UInt32(octet & 0x7f)
                    if octet & 0x80 == 0 { break }
                }
            }
            guard position < end else { return .invalid }
            guard position < bytes.count else { return .truncated }
            let first = bytes[position]
            position &+= 1
            var length = 0
            if first & 0x80 == 0 {
                length = Int(first)
            } else {
                // 0x80 is the indefinite form, which SNMP (DER-like BER) never uses.
                let count = Int(first & 0x7f)
                guard count >= 1, count <= maxLengthOctets else { return .invalid }
                for _ in 0..<count {
                    guard position < end else { return .invalid }
                    guard position < bytes.count else { return .truncated }
                    length = length << 8 | Int(bytes[position])
                    position &+= 1
                }
            }
            let valueEnd = position &+ length
            guard valueEnd <= end else { return .invalid }
            return .element(Element(identifier: identifier, number: number, valueStart: position, valueEnd: valueEnd))
        }

        /// A complete INTEGER's value (two's complement), nil when it is empty, too long or cut.
        public static func integerValue(_ bytes: Span<UInt8>, _ element: Element) -> Int64? {
            let length = element.valueLength
            guard length >= 1, length <= maxIntegerOctets, element.isComplete(bytes) else { return nil }
            var value: Int64 = bytes[element.valueStart] & 0x80 != 0 ? -1 : 0
            for index in element.valueStart..<element.valueEnd {
                value = value << 8 | Int64(bytes[index])
            }
            return value
        }

        /// Whether a complete element's value equals `expected`.
        public static func valueEquals(_ bytes: Span<UInt8>, _ element: Element, _ expected: StaticString) -> Bool {
            guard element.isComplete(bytes), element.valueLength == expected.utf8CodeUnitCount else { return false }
            let pointer = expected.utf8Start
            for index in 0..<element.valueLength where bytes[element.valueStart &+ index] != pointer[index] {
                return false
            }
            return true
        }
    }
}
