/// The bytes of one input, addressed by absolute offset in the (decompressed) file.
///
/// A memory-mapped file is one window over the whole file that never moves. A stream (standard
/// input, a pipe, a gzip file) is a bounded buffer refilled on demand: `request` may drop every
/// byte before the offset it asks for, so a reader only ever asks for its current record, at
/// offsets that never go backwards.
final class ByteWindow {
    /// Memory holding the byte at absolute offset `start`.
    private(set) var base: UnsafeRawPointer
    /// Absolute offset of `base[0]`.
    private(set) var start: Int = 0
    /// Absolute offset one past the last byte held.
    private(set) var end: Int
    /// Why a stream could not supply more bytes (read error, bad gzip, record too large); nil at a clean end.
    private(set) var failure: String?

    private let mapping: MappedFile?
    private let feeder: StreamFeeder?
    private var buffer: UnsafeMutableRawPointer?
    private var capacity: Int = 0

    init(mapping: MappedFile) {
        self.mapping = mapping
        self.feeder = nil
        self.base = UnsafeRawPointer(mapping.base)
        self.end = mapping.count
    }

    init(feeder: StreamFeeder) {
        self.mapping = nil
        self.feeder = feeder
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: CaptureLimits.streamWindowBytes, alignment: 16)
        self.buffer = buffer
        self.capacity = CaptureLimits.streamWindowBytes
        self.base = UnsafeRawPointer(buffer)
        self.end = 0
    }

    deinit { buffer?.deallocate() }

    var isStream: Bool { feeder != nil }
    /// Raw (for gzip: compressed) bytes a stream has read from its descriptor.
    var streamBytesRead: Int { feeder?.bytesRead ?? 0 }

    /// Makes `count` bytes from `offset` readable; false at the end of the input (see `remaining`)
    /// or when the stream failed (see `failure`).
    @inline(__always)
    func request(_ offset: Int, _ count: Int) -> Bool {
        if count >= 0, offset >= start, count <= end &- offset { return true }
        return refill(offset, count)
    }

    /// Says the bytes before `offset` will not be read again (a mapping drops their pages; a stream
    /// drops them at its next refill anyway).
    func release(before offset: Int) { mapping?.release(before: offset) }

    /// Bytes held from `offset` to the end of what could be read.
    func remaining(from offset: Int) -> Int { max(0, end &- max(offset, start)) }

    @inline(never)
    private func refill(_ offset: Int, _ count: Int) -> Bool {
        guard let feeder, let buffer, failure == nil, count >= 0, offset >= start, offset <= end else { return false }
        guard count <= CaptureLimits.maxStreamRecord else {
            failure = "record of \(count) bytes exceeds the stream buffer limit of \(CaptureLimits.maxStreamRecord)"
            return false
        }
        // Keep only the bytes from `offset` on, moved to the front of the buffer.
        let kept = max(0, end &- offset)
        if kept > 0, offset > start { buffer.copyMemory(from: buffer + (offset &- start), byteCount: kept) }
        start = offset
        end = offset &+ kept
        if count > capacity { grow(to: count) }
        guard let buffer = self.buffer else { return false }
        while end &- start < count {
            let held = end &- start
            let got = feeder.fill(buffer + held, capacity &- held)
            if got > 0 {
                end &+= got
            } else {
                if got < 0 { failure = feeder.failure ?? "read error" }
                return false
            }
        }
        return true
    }

    private func grow(to count: Int) {
        guard let old = buffer else { return }
        let newCapacity = min(max(count, capacity &* 2), CaptureLimits.maxStreamRecord)
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        fresh.copyMemory(from: old, byteCount: end &- start)
        old.deallocate()
        buffer = fresh
        capacity = newCapacity
        base = UnsafeRawPointer(fresh)
    }

    // MARK: Loads. Each checks its range and yields 0 outside it, so a reader bug can never read
    // outside the window; readers check lengths before they load, so 0 is never seen in practice.

    @inline(__always)
    func u8(_ offset: Int) -> UInt8 {
        let rel = offset &- start
        guard rel >= 0, rel < end &- start else { return 0 }
        return base.load(fromByteOffset: rel, as: UInt8.self)
    }

    @inline(__always)
    func u16(_ offset: Int, bigEndian: Bool) -> UInt16 {
        let rel = offset &- start
        guard rel >= 0, rel <= (end &- start) &- 2 else { return 0 }
        let raw = base.loadUnaligned(fromByteOffset: rel, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw)
    }

    @inline(__always)
    func u32(_ offset: Int, bigEndian: Bool) -> UInt32 {
        let rel = offset &- start
        guard rel >= 0, rel <= (end &- start) &- 4 else { return 0 }
        let raw = base.loadUnaligned(fromByteOffset: rel, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
    }

    @inline(__always)
    func u64(_ offset: Int, bigEndian: Bool) -> UInt64 {
        let rel = offset &- start
        guard rel >= 0, rel <= (end &- start) &- 8 else { return 0 }
        let raw = base.loadUnaligned(fromByteOffset: rel, as: UInt64.self)
        return bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw)
    }

    /// Lends `count` bytes from `offset` as a span (empty if outside the window).
    @inline(__always)
    func withSpan<R>(_ offset: Int, _ count: Int, _ body: (Span<UInt8>) -> R) -> R {
        let rel = offset &- start
        let valid = count >= 0 && rel >= 0 && count <= (end &- start) &- rel
        let pointer = (base + (valid ? rel : 0)).assumingMemoryBound(to: UInt8.self)
        let bytes = UnsafeBufferPointer(start: pointer, count: valid ? count : 0)
        return body(bytes.span)
    }
}
