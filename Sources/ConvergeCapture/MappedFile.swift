#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole regular file mapped read-only; unmapped when the last reader lets go.
final class MappedFile {
    let base: UnsafeMutableRawPointer
    let count: Int

    /// Maps `count` bytes of `fd` (a regular file of that size, `count > 0`); nil with `errno` set on failure.
    init?(fd: Int32, count: Int) {
        guard count > 0, let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0),
            address != MAP_FAILED
        else { return nil }
        // Packets are read front to back once: let the kernel read ahead and drop pages behind us.
        _ = madvise(address, count, MADV_SEQUENTIAL)
        self.base = address
        self.count = count
    }

    deinit { _ = munmap(base, count) }
}

/// The text of the current `errno`, for a one-line error.
func errnoDescription(_ code: Int32 = errno) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
