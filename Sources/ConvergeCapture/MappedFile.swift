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

    /// Bytes below this offset have been handed back.
    private var releasedUpTo = 0

    /// Drops the pages before `offset` from this process (they stay in the page cache), so the
    /// resident size stays bounded however large the file: touched pages of a mapping count in
    /// RSS until they are unmapped or released.
    func release(before offset: Int) {
        let page = Self.pageSize
        let end = min(offset, count) / page * page
        guard end > releasedUpTo else { return }
        _ = madvise(base + releasedUpTo, end &- releasedUpTo, MADV_DONTNEED)
        releasedUpTo = end
    }

    private static let pageSize = max(4096, sysconf(Int32(_SC_PAGESIZE)))
}

/// The text of the current `errno`, for a one-line error.
func errnoDescription(_ code: Int32 = errno) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
