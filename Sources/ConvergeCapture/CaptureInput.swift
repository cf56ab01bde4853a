#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens one input named on the command line: a regular file is memory-mapped, anything else
/// (standard input, a pipe, a device) and any gzip file is read as a stream through a bounded window.
enum CaptureInput {
    struct Opened {
        var window: ByteWindow
        /// Size of the input in bytes when it is a regular file (compressed size for gzip).
        var size: Int?
    }

    static let standardInputName = "-"

    static func open(
        _ path: String, standardInput: Int32, progress: ProgressCounter
    ) -> Result<Opened, CaptureError> {
        func failure(_ reason: String) -> Result<Opened, CaptureError> {
            .failure(CaptureError(file: path, record: 0, offset: 0, reason: reason))
        }
        if path == standardInputName {
            let feeder = StreamFeeder(fd: standardInput, closesFD: false, progress: progress)
            return .success(Opened(window: ByteWindow(feeder: feeder), size: nil))
        }
        let fd = openReadOnly(path)
        guard fd >= 0 else { return failure("cannot open: \(errnoDescription())") }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let reason = "cannot stat: \(errnoDescription())"
            _ = close(fd)
            return failure(reason)
        }
        let kind = status.st_mode & S_IFMT
        if kind == S_IFDIR {
            _ = close(fd)
            return failure("cannot read: is a directory")
        }
        guard kind == S_IFREG else {
            let feeder = StreamFeeder(fd: fd, closesFD: true, progress: progress)
            return .success(Opened(window: ByteWindow(feeder: feeder), size: nil))
        }
        let size = Int(clamping: status.st_size)
        if size > 0 && !startsWithGzipMagic(fd), let mapping = MappedFile(fd: fd, count: size) {
            _ = close(fd)  // the mapping keeps the file's pages reachable
            return .success(Opened(window: ByteWindow(mapping: mapping), size: size))
        }
        // Empty, gzip, or not mappable: a stream over the descriptor says what it holds.
        let feeder = StreamFeeder(fd: fd, closesFD: true, progress: progress)
        return .success(Opened(window: ByteWindow(feeder: feeder), size: size))
    }

    private static func startsWithGzipMagic(_ fd: Int32) -> Bool {
        var magic: (UInt8, UInt8) = (0, 0)
        let got = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 2, 0) }
        return got == 2 && magic.0 == 0x1f && magic.1 == 0x8b
    }
}

/// `open(2)` read-only; a file-scope function so the name does not resolve to `CaptureInput.open`.
private func openReadOnly(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }
