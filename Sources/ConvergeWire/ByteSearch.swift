#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Span where Element == UInt8 {
    /// The offset of the first `byte` in `start..<end` (clamped to the span), or nil. The C
    /// library's `memchr` looks at many bytes an instruction, where a Swift loop with its bounds
    /// checks costs several instructions a byte: this is how text protocols find line ends.
    @inlinable
    public func firstIndex(of byte: UInt8, from start: Int, to end: Int) -> Int? {
        let upper = Swift.min(end, count)
        let lower = Swift.max(start, 0)
        guard lower < upper else { return nil }
        return withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            guard let hit = memchr(base + lower, Int32(byte), upper &- lower) else { return nil }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        }
    }
}
