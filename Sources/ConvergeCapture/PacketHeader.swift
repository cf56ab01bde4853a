import ConvergeModel
import ConvergeWire

/// What a capture file says about one packet; the bytes themselves are handed on separately as a
/// borrowed `Span<UInt8>` that is valid only during the callback.
public struct PacketHeader: Sendable {
    public var timestamp: Timestamp
    public var linkType: LinkType
    /// Bytes present in the capture (`caplen`).
    public var capturedLength: Int
    /// Bytes the packet had on the wire (`len`).
    public var originalLength: Int
    /// Index of the file among the inputs of one run (0-based).
    public var fileIndex: Int
    /// 1-based record number within its file, counting packets only (as Wireshark numbers frames).
    public var record: Int
    /// Byte offset of the record within the (decompressed) file.
    public var offset: Int
    /// pcapng interface id (0 for classic pcap).
    public var interfaceID: Int

    public init(
        timestamp: Timestamp, linkType: LinkType, capturedLength: Int, originalLength: Int,
        fileIndex: Int, record: Int, offset: Int, interfaceID: Int
    ) {
        self.timestamp = timestamp
        self.linkType = linkType
        self.capturedLength = capturedLength
        self.originalLength = originalLength
        self.fileIndex = fileIndex
        self.record = record
        self.offset = offset
        self.interfaceID = interfaceID
    }
}
