import ConvergeModel

/// The value encoding of S7comm-plus bodies: variable-length integers (7 bits a byte, most
/// significant group first, 0x80 = more follow) and typed values (flags, datatype, element).
/// Read only when building events; every read is bounded and returns nil past the end.
extension S7CommPlus {
    /// Elements of one array value kept at most.
    public static let maxArrayElements = 64
    /// Characters kept from a string value.
    public static let maxValueText = 128

    /// An unsigned variable-length integer of at most 5 bytes (32 bits); advances `offset`.
    static func varUInt32(_ bytes: Span<UInt8>, at offset: inout Int) -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<5 {
            guard let byte = bytes.byte(at: offset) else { return nil }
            offset &+= 1
            value = value << 7 | UInt32(byte & 0x7f)
            if byte & 0x80 == 0 { return value }
        }
        return value
    }

    /// A signed variable-length integer: the first byte's 0x40 bit is the sign (at most 5 bytes
    /// for 32 bits, 9 for 64, the ninth carrying 8 bits).
    static func varInt(_ bytes: Span<UInt8>, at offset: inout Int, maxBytes: Int) -> Int64? {
        guard let first = bytes.byte(at: offset) else { return nil }
        var value: UInt64 = first & 0x40 != 0 ? ~UInt64(0x3f) | UInt64(first & 0x3f) : UInt64(first & 0x7f)
        offset &+= 1
        var more = first & 0x80 != 0
        var used = 1
        while more, used < maxBytes {
            guard let byte = bytes.byte(at: offset) else { return nil }
            offset &+= 1
            used &+= 1
            if used == 9 { return Int64(bitPattern: value << 8 | UInt64(byte)) }
            value = value << 7 | UInt64(byte & 0x7f)
            more = byte & 0x80 != 0
        }
        return Int64(bitPattern: value)
    }

    /// An unsigned variable-length integer of at most 9 bytes (the ninth carries 8 bits).
    static func varUInt64(_ bytes: Span<UInt8>, at offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        for index in 0..<9 {
            guard let byte = bytes.byte(at: offset) else { return nil }
            offset &+= 1
            if index == 8 { return value << 8 | UInt64(byte) }
            value = value << 7 | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 { return value }
        }
        return value
    }

    /// Fixed-width big-endian integer of `width` bytes (at most 8).
    static func fixed(_ bytes: Span<UInt8>, at offset: inout Int, width: Int) -> UInt64? {
        guard width <= 8, offset >= 0, offset &+ width <= bytes.count else { return nil }
        var value: UInt64 = 0
        for index in 0..<width { value = value << 8 | UInt64(bytes[offset &+ index]) }
        offset &+= width
        return value
    }

    /// A decoded value: integers in `values`, anything else (reals, strings, time stamps) as
    /// text; `complete` is false when the type cannot be read here (a structure, an unknown
    /// datatype) and the bytes after it cannot be found.
    struct Value {
        var values: [Int] = []
        var text: String?
        var datatype: UInt8 = 0
        var complete = true
    }

    /// A typed value: flags (0x10 array, 0x20 address array, 0x40 sparse array), datatype, then
    /// one element or a counted run of them. Structures and sparse arrays are not walked.
    static func value(_ bytes: Span<UInt8>, at offset: inout Int) -> Value? {
        guard let flags = bytes.byte(at: offset), let datatype = bytes.byte(at: offset &+ 1) else { return nil }
        offset &+= 2
        var result = Value(datatype: datatype)
        if flags & 0x40 != 0 || datatype == Datatype.structure {
            result.complete = false
            result.text = datatype == Datatype.structure ? "struct" : "sparse_array"
            return result
        }
        var count = 1
        if flags & 0x30 != 0 {
            guard let declared = varUInt32(bytes, at: &offset) else { return nil }
            count = Int(declared)
        }
        var texts: [String] = []
        for index in 0..<count {
            guard index < maxArrayElements else {
                // The rest of a long array is not read: nothing after it can be placed.
                result.complete = false
                break
            }
            guard element(bytes, at: &offset, datatype: datatype, into: &result, texts: &texts) else {
                result.complete = false
                break
            }
        }
        if !texts.isEmpty { result.text = texts.joined(separator: ",") }
        return result
    }

    /// Datatype codes of typed values.
    enum Datatype {
        static let structure: UInt8 = 0x17
    }

    /// One element of `datatype`; false when it cannot be read.
    static func element(
        _ bytes: Span<UInt8>, at offset: inout Int, datatype: UInt8, into result: inout Value, texts: inout [String]
    ) -> Bool {
        switch datatype {
        case 0x00: return true  // null
        case 0x01, 0x02, 0x0a:  // bool, usint, byte
            guard let value = fixed(bytes, at: &offset, width: 1) else { return false }
            result.values.append(Int(value))
        case 0x03, 0x0b:  // uint, word
            guard let value = fixed(bytes, at: &offset, width: 2) else { return false }
            result.values.append(Int(value))
        case 0x0c, 0x12:  // dword, relation id
            guard let value = fixed(bytes, at: &offset, width: 4) else { return false }
            result.values.append(Int(value))
        case 0x04, 0x13, 0x16:  // udint, attribute id, variant type: variable length
            guard let value = varUInt32(bytes, at: &offset) else { return false }
            result.values.append(Int(value))
        case 0x05, 0x11:  // ulint, timespan
            guard let value = varUInt64(bytes, at: &offset) else { return false }
            result.values.append(Int(truncatingIfNeeded: value))
        case 0x06:
            guard let value = fixed(bytes, at: &offset, width: 1) else { return false }
            result.values.append(Int(Int8(truncatingIfNeeded: value)))
        case 0x07:
            guard let value = fixed(bytes, at: &offset, width: 2) else { return false }
            result.values.append(Int(Int16(truncatingIfNeeded: value)))
        case 0x08, 0x09:  // dint, lint: signed variable length
            guard let value = varInt(bytes, at: &offset, maxBytes: datatype == 0x08 ? 5 : 9) else { return false }
            result.values.append(datatype == 0x08 ? Int(Int32(truncatingIfNeeded: value)) : Int(value))
        case 0x0d, 0x10:  // lword, timestamp (nanoseconds since 1970)
            guard let value = fixed(bytes, at: &offset, width: 8) else { return false }
            result.values.append(Int(truncatingIfNeeded: value))
        case 0x0e:
            guard let value = fixed(bytes, at: &offset, width: 4) else { return false }
            texts.append(String(Float(bitPattern: UInt32(truncatingIfNeeded: value))))
        case 0x0f:
            guard let value = fixed(bytes, at: &offset, width: 8) else { return false }
            texts.append(String(Double(bitPattern: value)))
        case 0x14:  // blob: reserved byte, length, bytes (kept as a length only)
            offset &+= 1
            guard let length = varUInt32(bytes, at: &offset), offset &+ Int(length) <= bytes.count else { return false }
            offset &+= Int(length)
            result.values.append(Int(length))
        case 0x15:  // wide string: length, UTF-8 bytes
            guard let length = varUInt32(bytes, at: &offset), offset &+ Int(length) <= bytes.count else { return false }
            texts.append(utf8Text(bytes, from: offset, length: Int(length)))
            offset &+= Int(length)
        default:
            return false
        }
        return true
    }

    /// Printable text of at most `maxValueText` bytes (others become "?").
    static func utf8Text(_ bytes: Span<UInt8>, from start: Int, length: Int) -> String {
        var characters: [UInt8] = []
        var index = start
        let end = min(start &+ min(length, maxValueText), bytes.count)
        while index < end {
            let byte = bytes[index]
            characters.append(byte >= 0x20 && byte < 0x7f ? byte : 0x3f)
            index &+= 1
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
