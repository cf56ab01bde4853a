@testable import ConvergeEngine

/// A consumer that knows the original stream: every span it is offered must equal the original at
/// the stream position the stream's contract implies (end of what was consumed + reported gap).
final class StreamChecker {
    let original: [UInt8]
    /// Stream offset just after the last consumed byte.
    var position = 0
    var gaps: [Int] = []
    var mismatches = 0
    var deliveries = 0
    /// Base address of the most recent span, to tell a zero-copy delivery from a buffered one.
    var lastBase: UnsafeRawPointer?
    /// How much of the offered bytes to consume; all of them by default.
    var policy: (Span<UInt8>) -> Int = { $0.count }

    init(_ original: [UInt8]) { self.original = original }

    func deliver(_ bytes: Span<UInt8>, _ gap: Int) -> Int {
        deliveries += 1
        if gap != 0 { gaps.append(gap) }
        let start = position + gap
        lastBase = bytes.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        if start < 0 || start + bytes.count > original.count {
            mismatches += 1
        } else {
            for i in 0..<bytes.count where bytes[i] != original[start + i] {
                mismatches += 1
                break
            }
        }
        let consumed = policy(bytes)
        position = start + min(max(consumed, 0), bytes.count)
        return consumed
    }
}

/// A byte pattern with no short period, so misplaced bytes show.
func streamBytes(_ count: Int, salt: UInt32 = 0) -> [UInt8] {
    (0..<count).map { i in
        var x = UInt32(truncatingIfNeeded: i) &* 2_654_435_761 &+ salt
        x ^= x >> 13
        return UInt8(truncatingIfNeeded: x)
    }
}

extension TCPStream {
    /// Feeds `original[range]` as one segment of a stream whose first byte has sequence `base`.
    mutating func feed(_ original: [UInt8], _ range: Range<Int>, base: UInt32, flags: UInt8 = 0x10,
                       shared: TCPReassembly, to checker: StreamChecker) {
        let segment = Array(original[range])
        receive(sequence: base &+ UInt32(truncatingIfNeeded: range.lowerBound), flags: flags, payload: segment.span,
                shared: shared, deliver: checker.deliver)
    }

    /// The bounds every stream must respect after every call.
    func withinBounds(_ limits: TCPStreamLimits) -> Bool {
        carry.count <= limits.maxCarryBytes && segments.count <= limits.maxOutOfOrderSegments
            && segments.reduce(0) { $0 + Int($1.length) } <= limits.maxOutOfOrderBytes
            && arena.count <= limits.maxOutOfOrderBytes
    }

    /// What the stream should hold of the shared budget.
    var heldCapacity: Int { carry.capacity + arena.capacity }
}
