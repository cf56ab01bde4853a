import ConvergeModel

extension MMS {
    /// Wire strings (identifiers, file names, identify replies) are cut to this many bytes.
    public static let maxTextLength = 128
    /// Targets one event carries at most (a read of hundreds of variables keeps the first).
    public static let maxTargets = 64

    /// An element's contents as text: printable ASCII kept, anything else as `?` (names are data).
    static func text(_ element: BERElement, in pdu: Span<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var index = element.contentStart
        let end = min(element.end, element.contentStart &+ maxTextLength, pdu.count)
        while index < end {
            let byte = pdu[index]
            scalars.append(Unicode.Scalar(byte >= 0x20 && byte < 0x7f ? byte : 0x3f))
            index &+= 1
        }
        return String(scalars)
    }

    /// Contents as lowercase hex, at most `maxTextLength / 2` bytes.
    static func hex(_ element: BERElement, in pdu: Span<UInt8>) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var scalars = String.UnicodeScalarView()
        var index = element.contentStart
        let end = min(element.end, element.contentStart &+ maxTextLength / 2, pdu.count)
        while index < end {
            scalars.append(digits[Int(pdu[index] >> 4)])
            scalars.append(digits[Int(pdu[index] & 0x0f)])
            index &+= 1
        }
        return String(scalars)
    }

    /// An OBJECT IDENTIFIER's dotted text (arcs capped; a broken arc ends it).
    static func oidText(_ element: BERElement, in pdu: Span<UInt8>) -> String {
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        var index = element.contentStart
        let end = min(element.end, pdu.count)
        while index < end, arcs.count < 32 {
            let byte = pdu[index]
            guard value >> 56 == 0 else { break }
            value = value << 7 | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 {
                if arcs.isEmpty {
                    let first: UInt64 = value < 40 ? 0 : value < 80 ? 1 : 2
                    arcs.append(first)
                    arcs.append(value &- first &* 40)
                } else {
                    arcs.append(value)
                }
                value = 0
            }
            index &+= 1
        }
        return arcs.map(String.init).joined(separator: ".")
    }

    /// ObjectName: vmd-specific [0] `item`, domain-specific [1] `domain/item`, aa-specific [2]
    /// `@item`; nil for anything else.
    static func objectName(_ element: BERElement, in pdu: Span<UInt8>) -> (domain: String?, item: String)? {
        guard element.isContext else { return nil }
        switch element.number {
        case 0 where !element.constructed: return (nil, text(element, in: pdu))
        case 1 where element.constructed:
            guard let domain = firstChild(of: element, in: pdu),
                let item = nextSibling(of: domain, in: element, bytes: pdu)
            else { return nil }
            return (text(domain, in: pdu), text(item, in: pdu))
        case 2 where !element.constructed: return (nil, "@" + text(element, in: pdu))
        default: return nil
        }
    }

    /// The children of a constructed element, at most `maxTargets` (for events only).
    static func children(_ element: BERElement, in pdu: Span<UInt8>) -> [BERElement] {
        var result: [BERElement] = []
        var current = firstChild(of: element, in: pdu)
        while let item = current, result.count < maxTargets {
            result.append(item)
            current = nextSibling(of: item, in: element, bytes: pdu)
        }
        return result
    }
}
