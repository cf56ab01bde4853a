/// Helpers shared by the Kerberos and LDAP dissectors over the bounded BER header reader that
/// SNMP brought (`SNMP.BER.read`, X.690 §8.1): a cursor that steps through the elements inside
/// one constructed element, and slices that remember where a value lies without copying it.
///
/// Nothing here recurses or allocates; a structure is walked only as deep as the code asks.
public enum BERWalk {
    public typealias Element = SNMP.Element

    /// Identifier octet classes (bits 8–7) and the constructed bit.
    public static let classMask: UInt8 = 0xC0
    public static let universalClass: UInt8 = 0x00
    public static let applicationClass: UInt8 = 0x40
    public static let contextClass: UInt8 = 0x80
    public static let constructedBit: UInt8 = 0x20

    /// Universal tags used here.
    public static let boolean: UInt8 = 0x01
    public static let integer: UInt8 = 0x02
    public static let bitString: UInt8 = 0x03
    public static let octetString: UInt8 = 0x04
    public static let enumerated: UInt8 = 0x0A
    public static let generalString: UInt8 = 0x1B
    public static let generalizedTime: UInt8 = 0x18
    public static let sequence: UInt8 = 0x30
    public static let set: UInt8 = 0x31

    /// How a walk ended early.
    public enum Stop: UInt8, Sendable, Equatable {
        case none
        /// The bytes end before the structure does (a cut datagram, a short capture).
        case truncated
        /// A header that cannot be BER inside its container.
        case invalid
    }

    /// Steps through the elements between `position` and `end` (the value of one constructed
    /// element). `next` returns nil at the end and when a header fails, which `stop` then tells.
    public struct Cursor: Sendable {
        public var position: Int
        public let end: Int
        public private(set) var stop: Stop = .none

        public init(inside element: Element) {
            position = element.valueStart
            end = element.valueEnd
        }

        public init(from start: Int, to end: Int) {
            position = start
            self.end = end
        }

        public mutating func next(_ bytes: Span<UInt8>) -> Element? {
            guard stop == .none, position < end else { return nil }
            switch SNMP.BER.read(bytes, at: position, end: end) {
            case .element(let element):
                position = element.valueEnd
                return element
            case .truncated:
                stop = .truncated
                return nil
            case .invalid:
                stop = .invalid
                return nil
            }
        }
    }

    /// The one element inside an explicitly tagged field (`[n] EXPLICIT T`), nil when it cannot
    /// be read (`stop` says why).
    public static func inner(_ bytes: Span<UInt8>, _ field: Element, stop: inout Stop) -> Element? {
        var cursor = Cursor(inside: field)
        let element = cursor.next(bytes)
        if element == nil, stop == .none { stop = cursor.stop == .none ? .invalid : cursor.stop }
        return element
    }

    /// A complete INTEGER or ENUMERATED value, nil when absent, too long or cut.
    public static func integer(_ bytes: Span<UInt8>, _ element: Element) -> Int64? {
        SNMP.BER.integerValue(bytes, element)
    }

    /// Whether the element is a context-specific `[number]`.
    public static func isContext(_ element: Element, _ number: UInt32) -> Bool {
        element.identifier & classMask == contextClass && element.number == number
    }
}

/// Where a value lies in the bytes given to `parse`: an offset and a length (0 = absent). The
/// length is as declared and clipped to the bytes at hand, so a slice is always inside them.
public struct BERSlice: Sendable, Equatable {
    public var offset = 0
    public var length = 0

    public init() {}

    public init(offset: Int, length: Int) {
        self.offset = offset
        self.length = length
    }

    /// The value of `element`, clipped to `bytes`.
    public init(value element: SNMP.Element, in bytes: Span<UInt8>) {
        offset = element.valueStart
        length = max(0, min(element.valueEnd, bytes.count) &- element.valueStart)
    }

    /// The whole of `element`, its header included (from `start`), clipped to `bytes`.
    public init(whole element: SNMP.Element, from start: Int, in bytes: Span<UInt8>) {
        offset = start
        length = max(0, min(element.valueEnd, bytes.count) &- start)
    }

    public var isEmpty: Bool { length == 0 }
    public var end: Int { offset &+ length }

    /// The slice's bytes as text, at most `limit` characters: UTF-8 where valid, other bytes as
    /// U+FFFD and control characters as `?`. Only events and facts call this.
    public func text(_ bytes: Span<UInt8>, limit: Int) -> String {
        let start = max(0, offset)
        let stop = min(bytes.count, end, start &+ max(0, limit))
        guard start < stop else { return "" }
        var raw: [UInt8] = []
        raw.reserveCapacity(stop &- start)
        for index in start..<stop {
            let byte = bytes[index]
            raw.append(byte < 0x20 || byte == 0x7F ? UInt8(ascii: "?") : byte)
        }
        return String(decoding: raw, as: UTF8.self)
    }

    /// Whether the slice's bytes equal `expected` (ASCII, compared as is).
    public func equals(_ bytes: Span<UInt8>, _ expected: StaticString) -> Bool {
        guard length == expected.utf8CodeUnitCount, end <= bytes.count, offset >= 0 else { return false }
        let pointer = expected.utf8Start
        for index in 0..<length where bytes[offset &+ index] != pointer[index] { return false }
        return true
    }

    /// Whether the slice's bytes equal `expected`, ASCII letters compared without case.
    public func equalsIgnoringCase(_ bytes: Span<UInt8>, _ expected: StaticString) -> Bool {
        guard length == expected.utf8CodeUnitCount, end <= bytes.count, offset >= 0 else { return false }
        let pointer = expected.utf8Start
        for index in 0..<length where bytes[offset &+ index] | 0x20 != pointer[index] | 0x20 {
            return false
        }
        return true
    }
}
