import ConvergeModel
import ConvergeWire

/// Reads the packets of one input in file order, one at a time: `advance` parses the next record's
/// header and `deliver` lends its bytes. The current packet stays readable until the next `advance`,
/// which is what lets several readers wait side by side in a time-ordered merge.
final class CaptureReader {
    enum Format { case pcap, pcapng }

    let name: String
    let fileIndex: Int
    let window: ByteWindow
    private let progress: ProgressCounter
    /// Input size when known, so the progress reaches the total even when a file stops early.
    private let knownSize: Int?

    var format = Format.pcap
    /// Byte order of the pcap file or of the current pcapng section.
    var bigEndian = false

    // Classic pcap (from the file header).
    var pcapNanoseconds = false
    var pcapLinkType = LinkType.ethernet
    var pcapSnaplen = 0
    /// 16, or 24 in Alexey Kuznetzov's modified pcap (which appends ifindex, protocol and type).
    var pcapRecordHeaderLength = 16

    // pcapng (interfaces of the current section, numbered from 0 in each section).
    var interfaces: [PcapngInterface] = []
    /// Simple packet blocks carry no time: they inherit the previous packet's, keeping file order.
    var lastTimestamp = Timestamp.zero

    /// The current packet.
    var header = PacketHeader(
        timestamp: .zero, linkType: .ethernet, capturedLength: 0, originalLength: 0,
        fileIndex: 0, record: 0, offset: 0, interfaceID: 0)
    var dataOffset = 0
    /// Where the next record starts.
    var nextOffset = 0
    /// Packets read so far (the current one included).
    var packets = 0
    private(set) var error: CaptureError?
    private var finished = false
    private var progressReported = 0
    private var releasedUpTo = 0

    init(name: String, fileIndex: Int, window: ByteWindow, progress: ProgressCounter, knownSize: Int?) {
        self.name = name
        self.fileIndex = fileIndex
        self.window = window
        self.progress = progress
        self.knownSize = knownSize
        header.fileIndex = fileIndex
    }

    /// Moves to the next packet; false at the end of the input or at damage (then `error` says where).
    @inline(__always)
    func advance() -> Bool {
        if finished { return false }
        let moved = format == .pcap ? nextPcapPacket() : nextPcapngPacket()
        if !moved {
            finish()
            return false
        }
        if !window.isStream {
            progress.bytes &+= nextOffset &- progressReported
            progressReported = nextOffset
            if nextOffset &- releasedUpTo >= CaptureLimits.mappedReleaseBytes {
                // Everything before the current record has been delivered.
                window.release(before: header.offset)
                releasedUpTo = header.offset
            }
        }
        return true
    }

    /// Lends the current packet to `body`.
    @inline(__always)
    func deliver(_ body: (borrowing PacketHeader, Span<UInt8>) -> Void) {
        window.withSpan(dataOffset, header.capturedLength) { bytes in body(header, bytes) }
    }

    /// Stops reading and counts the input as fully consumed for progress.
    func finish() {
        guard !finished else { return }
        finished = true
        let consumed = window.isStream ? window.streamBytesRead : progressReported
        if let knownSize, knownSize > consumed { progress.bytes &+= knownSize &- consumed }
    }

    // MARK: Errors (shared by the formats)

    /// Records damage at the record after the last good packet; always false, to end `advance`.
    func fail(_ reason: String, at offset: Int, record: Int? = nil) -> Bool {
        error = CaptureError(file: name, record: record ?? packets &+ 1, offset: offset, reason: reason)
        return false
    }

    /// A record of `needs` bytes at `offset` does not fit in what the input holds.
    func truncated(at offset: Int, needs: Int) -> Bool {
        if let failure = window.failure { return fail(failure, at: offset) }
        let remain = window.remaining(from: offset)
        return fail("truncated record: needs \(needs) bytes, \(remain) remain", at: offset)
    }

    /// At a record boundary: the clean end of the input, or a record cut short.
    func endOrTruncated(at offset: Int, needs: Int) -> Bool {
        if window.failure == nil && window.remaining(from: offset) == 0 { return false }
        return truncated(at: offset, needs: needs)
    }
}
