import ConvergeWire

extension EtherNetIP {
    /// Values put into one event target at most (a tag array may hold thousands).
    public static let maxTargetValues = 64
    /// The data type word that announces a structure; a 16-bit structure handle follows it.
    public static let structureType: UInt16 = 0x02a0

    /// Logix atomic data types (Logix 5000 Data Access manual): byte size, signedness, name.
    public enum LogixType {
        /// Bytes of one element, nil for types not decoded here (structures, strings).
        public static func size(_ type: UInt16) -> Int? {
            switch type {
            case 0xc1, 0xc2, 0xc6, 0xd1: 1
            case 0xc3, 0xc7, 0xd2: 2
            case 0xc4, 0xc8, 0xca, 0xd3: 4
            case 0xc5, 0xc9, 0xcb, 0xd4: 8
            default: nil
            }
        }

        public static func name(_ type: UInt16) -> String {
            switch type {
            case 0xc1: "bool"
            case 0xc2: "sint"
            case 0xc3: "int"
            case 0xc4: "dint"
            case 0xc5: "lint"
            case 0xc6: "usint"
            case 0xc7: "uint"
            case 0xc8: "udint"
            case 0xc9: "ulint"
            case 0xca: "real"
            case 0xcb: "lreal"
            case 0xd1: "byte"
            case 0xd2: "word"
            case 0xd3: "dword"
            case 0xd4: "lword"
            case EtherNetIP.structureType: "struct"
            default: "type_" + EtherNetIP.hex(type, digits: 4)
            }
        }

        static func isSigned(_ type: UInt16) -> Bool { (0xc2...0xc5).contains(type) }
    }

    /// The typed data of a Logix tag service, as offsets: what the wire says about the value.
    public struct LogixData: Sendable, Equatable {
        public var type: UInt16?
        public var elements: Int
        /// Byte offset into the tag (fragmented services), 0 otherwise.
        public var byteOffset: Int
        public var valuesOffset: Int
        public var valuesLength: Int
    }

    /// Reads the data part of a Logix tag request or response. `code` is the service without
    /// the response bit. Nil for services that carry no typed data.
    static func logixData(_ message: Span<UInt8>, cip: CIPMessage, code: UInt8) -> LogixData? {
        var position = cip.dataOffset
        let end = cip.dataEnd
        func readType() -> UInt16? {
            guard let type = le16(message, position) else { return nil }
            position &+= type == structureType ? 4 : 2
            return type
        }
        var data = LogixData(type: nil, elements: 1, byteOffset: 0, valuesOffset: end, valuesLength: 0)
        switch (code, cip.isResponse) {
        case (Service.readTag, false), (Service.readTagFragmented, false):
            guard let elements = le16(message, position) else { return nil }
            data.elements = Int(elements)
            if code == Service.readTagFragmented { data.byteOffset = Int(le32(message, position &+ 2) ?? 0) }
            return data
        case (Service.readTag, true), (Service.readTagFragmented, true):
            guard cip.generalStatus == 0 || cip.generalStatus == 0x06, let type = readType() else { return nil }
            data.type = type
        case (Service.writeTag, false), (Service.writeTagFragmented, false):
            guard let type = readType(), let elements = le16(message, position) else { return nil }
            data.type = type
            data.elements = Int(elements)
            position &+= 2
            if code == Service.writeTagFragmented {
                guard let offset = le32(message, position) else { return nil }
                data.byteOffset = Int(offset)
                position &+= 4
            }
        default:
            return nil
        }
        guard position <= end else { return nil }
        data.valuesOffset = position
        data.valuesLength = end &- position
        if cip.isResponse, let type = data.type, let size = LogixType.size(type) {
            data.elements = data.valuesLength / size
        }
        return data
    }

    /// Decoded element values, at most `maxTargetValues`: integers as they are, REAL/LREAL
    /// rounded toward zero (clamped), stopping where the bytes end. Allocates; for events only.
    static func logixValues(_ message: Span<UInt8>, _ data: LogixData) -> [Int] {
        guard let type = data.type, let size = LogixType.size(type) else { return [] }
        let count = min(data.elements, data.valuesLength / size, maxTargetValues)
        var values: [Int] = []
        values.reserveCapacity(max(0, count))
        var index = 0
        while index < count {
            let at = data.valuesOffset &+ index &* size
            guard let value = element(message, at: at, type: type, size: size) else { break }
            values.append(value)
            index &+= 1
        }
        return values
    }

    static func element(_ message: Span<UInt8>, at: Int, type: UInt16, size: Int) -> Int? {
        switch size {
        case 1:
            guard let byte = u8(message, at) else { return nil }
            if type == 0xc1 { return byte == 0 ? 0 : 1 }
            return LogixType.isSigned(type) ? Int(Int8(bitPattern: byte)) : Int(byte)
        case 2:
            guard let word = le16(message, at) else { return nil }
            return LogixType.isSigned(type) ? Int(Int16(bitPattern: word)) : Int(word)
        case 4:
            guard let word = le32(message, at) else { return nil }
            if type == 0xca { return clamped(Double(Float(bitPattern: word))) }
            return LogixType.isSigned(type) ? Int(Int32(bitPattern: word)) : Int(word)
        default:
            guard let word = le64(message, at) else { return nil }
            if type == 0xcb { return clamped(Double(bitPattern: word)) }
            return Int(truncatingIfNeeded: word)
        }
    }

    /// A floating value as an integer without trapping: NaN is 0, out of range is clamped.
    static func clamped(_ value: Double) -> Int {
        guard value.isFinite else { return value.isNaN ? 0 : (value > 0 ? Int.max : Int.min) }
        if value >= 9.2e18 { return Int.max }
        if value <= -9.2e18 { return Int.min }
        return Int(value.rounded(.towardZero))
    }
}
