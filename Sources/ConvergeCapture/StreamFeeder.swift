import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Supplies the bytes of a stream input in order: raw from a file descriptor, or inflated when the
/// stream starts with the gzip magic (1f 8b), member after member for concatenated gzip files.
final class StreamFeeder {
    private enum Mode { case undecided, plain, gzip }

    private let fd: Int32
    private let closesFD: Bool
    private let progress: ProgressCounter
    private var mode = Mode.undecided
    /// Raw bytes read from `fd` and not yet handed on (or inflated): `raw[rawStart..<rawEnd]`.
    private let raw: UnsafeMutablePointer<UInt8>
    private var rawStart = 0
    private var rawEnd = 0
    private var sawEOF = false
    /// zlib keeps a pointer back to its stream, so the stream lives at a fixed heap address.
    private var zstream: UnsafeMutablePointer<z_stream>?
    private var memberEnded = false
    private(set) var failure: String?
    /// Raw (compressed) bytes read so far.
    private(set) var bytesRead = 0

    init(fd: Int32, closesFD: Bool, progress: ProgressCounter) {
        self.fd = fd
        self.closesFD = closesFD
        self.progress = progress
        self.raw = .allocate(capacity: CaptureLimits.streamReadBytes)
    }

    deinit {
        if let zstream {
            inflateEnd(zstream)
            zstream.deallocate()
        }
        raw.deallocate()
        if closesFD { _ = close(fd) }
    }

    var isGzip: Bool { mode == .gzip }

    /// Writes up to `capacity` bytes to `destination`: the count written, 0 at the end, -1 on failure.
    func fill(_ destination: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
        guard failure == nil, capacity > 0 else { return failure == nil ? 0 : -1 }
        if mode == .undecided && !decideMode() { return -1 }
        switch mode {
        case .gzip: return inflateInto(destination, capacity)
        default: return copyInto(destination, capacity)
        }
    }

    /// Reads until two bytes are buffered (or the end) and picks plain or gzip from them.
    private func decideMode() -> Bool {
        while rawEnd < 2 && !sawEOF {
            if !readRaw() { return false }
        }
        guard rawEnd >= 2, raw[0] == 0x1f, raw[1] == 0x8b else {
            mode = .plain
            return true
        }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 16 + MAX_WBITS: expect a gzip header and trailer (inflateInit2 is a macro, so call its function).
        let status = inflateInit2_(stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            failure = "cannot start gzip decoder (zlib status \(status))"
            return false
        }
        zstream = stream
        mode = .gzip
        return true
    }

    /// Appends one read's worth of raw bytes after `rawEnd` (compacting first); false on a read error.
    private func readRaw() -> Bool {
        if rawStart > 0 {
            let held = rawEnd &- rawStart
            if held > 0 { (raw).update(from: raw + rawStart, count: held) }
            rawStart = 0
            rawEnd = held
        }
        let room = CaptureLimits.streamReadBytes &- rawEnd
        guard room > 0 else { return true }
        while true {
            let got = read(fd, raw + rawEnd, room)
            if got > 0 {
                rawEnd &+= got
                bytesRead &+= got
                progress.bytes &+= got
                return true
            }
            if got == 0 {
                sawEOF = true
                return true
            }
            if errno == EINTR { continue }
            failure = "read error: \(errnoDescription())"
            return false
        }
    }

    private func copyInto(_ destination: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
        let held = rawEnd &- rawStart
        if held > 0 {
            let count = min(held, capacity)
            destination.copyMemory(from: raw + rawStart, byteCount: count)
            rawStart &+= count
            return count
        }
        if sawEOF { return 0 }
        while true {
            let got = read(fd, destination, capacity)
            if got > 0 {
                bytesRead &+= got
                progress.bytes &+= got
                return got
            }
            if got == 0 {
                sawEOF = true
                return 0
            }
            if errno == EINTR { continue }
            failure = "read error: \(errnoDescription())"
            return -1
        }
    }

    private func inflateInto(_ destination: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
        guard let stream = zstream else { return -1 }
        let room = UInt32(clamping: capacity)
        // Each pass consumes input, produces output, reads more input or ends; none can repeat forever.
        while true {
            if rawStart == rawEnd && !sawEOF {
                if !readRaw() { return -1 }
                continue
            }
            if memberEnded {
                if rawStart == rawEnd { return 0 }  // sawEOF holds here: a clean end after the last member
                // Another gzip member follows (concatenated .gz files): start it afresh.
                guard inflateReset(stream) == Z_OK else { return fail("bad gzip stream: cannot restart") }
                memberEnded = false
            }
            let available = rawEnd &- rawStart
            if available == 0 { return fail("gzip stream cut short") }  // sawEOF holds and the member is open
            stream.pointee.next_in = raw + rawStart
            stream.pointee.avail_in = UInt32(clamping: available)
            stream.pointee.next_out = destination.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = room
            let status = inflate(stream, Z_NO_FLUSH)
            let consumed = available &- Int(stream.pointee.avail_in)
            let produced = Int(room &- stream.pointee.avail_out)
            rawStart &+= consumed
            switch status {
            case Z_STREAM_END: memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                // With input and room zlib always moves; standing still with input left means it is stuck.
                if consumed == 0 && produced == 0 && rawStart != rawEnd { return fail("bad gzip stream: no progress") }
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                return fail("bad gzip stream: \(detail)")
            }
            if produced > 0 { return produced }
        }
    }

    private func fail(_ reason: String) -> Int {
        failure = reason
        return -1
    }
}
