/// A name pattern from a rule: `*` matches any run of characters, `?` any one; letters compare
/// without regard to ASCII case. Matching walks the name's UTF-8 in place (no copy for native
/// strings), so checking a function name per event allocates nothing.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let bytes: [UInt8]
    private let literal: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        bytes = Array(pattern.utf8).map(Glob.lower)
        literal = !bytes.contains(UInt8(ascii: "*")) && !bytes.contains(UInt8(ascii: "?"))
    }

    public var description: String { pattern }

    /// The pattern in lowercase when it has no wildcard (it then matches that text only, in any case).
    public var literalText: String? { literal ? String(decoding: bytes, as: UTF8.self) : nil }

    public func matches(_ text: String) -> Bool {
        // Most function names a literal is checked against differ in length: no byte is read.
        if literal && text.utf8.count != bytes.count { return false }
        if let result = text.utf8.withContiguousStorageIfAvailable({ matches(bytes: $0) }) { return result }
        // A bridged or foreign string only: made native on a copy.
        var native = text
        native.makeContiguousUTF8()
        return native.utf8.withContiguousStorageIfAvailable { matches(bytes: $0) } ?? false
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }

    /// Greedy wildcard matching with one backtrack point: linear in practice, never recursive.
    private func matches(bytes text: UnsafeBufferPointer<UInt8>) -> Bool {
        if literal {
            guard text.count == bytes.count else { return false }
            for i in 0..<text.count where Glob.lower(text[i]) != bytes[i] { return false }
            return true
        }
        let star = UInt8(ascii: "*")
        let any = UInt8(ascii: "?")
        var p = 0
        var t = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < bytes.count && (bytes[p] == any || bytes[p] == Glob.lower(text[t])) {
                p += 1
                t += 1
            } else if p < bytes.count && bytes[p] == star {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < bytes.count && bytes[p] == star { p += 1 }
        return p == bytes.count
    }

    public static func == (a: Glob, b: Glob) -> Bool { a.pattern == b.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

extension Array where Element == Glob {
    func anyMatches(_ text: String) -> Bool {
        // Through the buffer: each pattern is matched in place, not copied out (and retained) first.
        withUnsafeBufferPointer { globs in
            for i in globs.indices where globs[i].matches(text) { return true }
            return false
        }
    }
}
