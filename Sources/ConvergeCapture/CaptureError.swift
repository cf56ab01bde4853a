/// A capture file that cannot be read (further): names the file, the record and the reason, so
/// the one-line message tells a user exactly where the damage is.
public struct CaptureError: Error, Sendable, Hashable, CustomStringConvertible, Codable {
    public var file: String
    /// 1-based number of the record that failed (the packet after the last good one); 0 for the file header.
    public var record: Int
    /// Byte offset in the (decompressed) file where the failing record or header starts.
    public var offset: Int
    public var reason: String

    public init(file: String, record: Int, offset: Int, reason: String) {
        self.file = file
        self.record = record
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(file): record \(record) at offset \(offset): \(reason)" }
}
