import ConvergeWire

extension DNS {
    /// The offset just past the name at `offset` (a compression pointer ends it), without
    /// following any pointer; nil when the name is broken or runs past `end`. A pointer that does
    /// not point backwards, or lands outside the message, is flagged `badPointer`.
    static func skipName(
        _ bytes: Span<UInt8>, at offset: Int, base: Int, end: Int, anomalies: inout Anomalies
    ) -> Int? {
        var position = offset
        var length = 0
        while position < end, position >= 0 {
            let label = bytes[position]
            switch label & 0xc0 {
            case 0:
                if label == 0 { return position &+ 1 }
                length &+= Int(label) &+ 1
                guard length < maxNameLength else {
                    anomalies.insert(.badName)
                    return nil
                }
                position &+= Int(label) &+ 1
            case 0xc0:
                guard position &+ 1 < end else { return nil }
                let target = base &+ (Int(label & 0x3f) << 8 | Int(bytes[position &+ 1]))
                if target >= position { anomalies.insert(.badPointer) }
                return position &+ 2
            default:
                // 0x40 and 0x80: extended and reserved label types (RFC 6891 retired them).
                anomalies.insert(.badName)
                return nil
            }
        }
        return nil
    }

    /// The name at `offset` as text, following compression pointers (each strictly backwards, at
    /// most `maxPointerJumps`) with at most `maxNameLength` bytes and `maxLabels` labels; nil when
    /// broken. The root is ".". A label that is valid UTF-8 stays as it is (mDNS instance names
    /// are UTF-8); dots, backslashes and control bytes are escaped `\.`, `\\`, `\DDD`, as is every
    /// byte of a label that is not UTF-8. Allocates: for events and facts only.
    static func name(_ bytes: Span<UInt8>, at offset: Int, base: Int, end: Int) -> String? {
        var text: [UInt8] = []
        // Room for most names at once (the array would otherwise grow two or three times).
        text.reserveCapacity(64)
        var position = offset
        var jumps = 0
        var length = 0
        var labels = 0
        // The lowest offset a pointer may reach next: anything at or past the current run could loop.
        var limit = position
        while position >= base, position < end {
            let label = bytes[position]
            switch label & 0xc0 {
            case 0:
                if label == 0 { return text.isEmpty ? "." : String(decoding: text, as: UTF8.self) }
                let count = Int(label)
                length &+= count &+ 1
                labels &+= 1
                guard length < maxNameLength, labels <= maxLabels, position &+ 1 &+ count <= end else { return nil }
                if !text.isEmpty { text.append(UInt8(ascii: ".")) }
                appendLabel(bytes.extracting((position &+ 1)..<(position &+ 1 &+ count)), to: &text)
                position &+= count &+ 1
            case 0xc0:
                guard position &+ 1 < end, jumps < maxPointerJumps else { return nil }
                let target = base &+ (Int(label & 0x3f) << 8 | Int(bytes[position &+ 1]))
                guard target < limit else { return nil }
                jumps &+= 1
                position = target
                limit = target
            default:
                return nil
            }
        }
        return nil
    }

    /// Appends one label, escaped as `name` describes.
    static func appendLabel(_ label: Span<UInt8>, to text: inout [UInt8]) {
        // Validity only decides what becomes of bytes from 0x80 up; an ASCII label (nearly all)
        // has none, and validating builds a string (an allocation per label of every name read).
        var isUTF8 = true
        var hasHigh = false
        var plain = true
        for index in 0..<label.count {
            let byte = label[index]
            if byte >= 0x80 {
                hasHigh = true
                break
            }
            if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "\\") { plain = false }
        }
        // Printable ASCII without dots or backslashes (nearly every label) is kept as it is.
        if !hasHigh, plain {
            label.withUnsafeBufferPointer { text.append(contentsOf: $0) }
            return
        }
        if hasHigh {
            label.withUnsafeBufferPointer { buffer in
                isUTF8 = String(validating: buffer, as: UTF8.self) != nil
            }
        }
        for index in 0..<label.count {
            appendEscaped(label[index], keepHigh: isUTF8, to: &text)
        }
    }

    static func appendEscaped(_ byte: UInt8, keepHigh: Bool, to text: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "\\"):
            text.append(UInt8(ascii: "\\"))
            text.append(byte)
        case 0x20...0x7e:
            text.append(byte)
        case 0x80...0xff where keepHigh:
            text.append(byte)
        default:
            text.append(UInt8(ascii: "\\"))
            text.append(UInt8(ascii: "0") &+ byte / 100)
            text.append(UInt8(ascii: "0") &+ byte / 10 % 10)
            text.append(UInt8(ascii: "0") &+ byte % 10)
        }
    }

    /// A character string (RFC 1035 §3.3: a length byte, then that many bytes) at `offset` within
    /// `end`, as text escaped like a label and cut to `maxTextLength`; and the offset after it.
    static func characterString(_ bytes: Span<UInt8>, at offset: Int, end: Int) -> (text: String, next: Int)? {
        guard offset >= 0, offset < end, offset < bytes.count else { return nil }
        let count = Int(bytes[offset])
        let next = offset &+ 1 &+ count
        guard next <= end, next <= bytes.count else { return nil }
        return (text(bytes.extracting((offset &+ 1)..<next)), next)
    }

    /// Wire bytes as text: UTF-8 kept when valid, control bytes escaped, cut to `maxTextLength`.
    static func text(_ raw: Span<UInt8>) -> String {
        let cut = raw.extracting(0..<min(raw.count, maxTextLength))
        var out: [UInt8] = []
        var isUTF8 = true
        cut.withUnsafeBufferPointer { isUTF8 = String(validating: $0, as: UTF8.self) != nil }
        for index in 0..<cut.count {
            let byte = cut[index]
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "\\") {
                out.append(byte)
            } else {
                appendEscaped(byte, keepHigh: isUTF8, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
