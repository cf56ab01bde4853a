import Crypto
import Foundation

/// Identifies a capture file by content, so a rerun recognises what it already merged: size, and
/// SHA-256 over the first and last MiB (cheap on multi-gigabyte files, and an appended-to file
/// differs from its earlier self).
public enum CaptureFingerprint {
    static let window = 1 << 20

    /// Nil for standard input or a file that cannot be read (it is then never taken as merged).
    public static func of(path: String) -> (fingerprint: String, bytes: Int64)? {
        guard path != "-", let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        var hash = SHA256()
        hash.update(data: Data("\(size)\n".utf8))
        try? handle.seek(toOffset: 0)
        if let head = try? handle.read(upToCount: window) { hash.update(data: head) }
        if size > UInt64(window) {
            try? handle.seek(toOffset: size - UInt64(window))
            if let tail = try? handle.read(upToCount: window) { hash.update(data: tail) }
        }
        let digest = hash.finalize().map { String(format: "%02x", $0) }.joined()
        return (digest, Int64(clamping: size))
    }
}
