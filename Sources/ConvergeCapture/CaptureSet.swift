#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The capture inputs of one run, read as one time-ordered packet sequence.
///
/// Regular files are memory-mapped and their packets lent straight from the mapping; standard
/// input (`-`), pipes and gzip files are streamed through a bounded window. Several inputs are
/// merged on timestamp (ties keep input order). Damage stops only the damaged input, after every
/// packet before it has been delivered.
public final class CaptureSet {
    public let paths: [String]
    /// Sum of the input file sizes (compressed size for gzip), nil when an input is a stream of
    /// unknown length such as standard input.
    public let totalBytes: Int?
    private let progress = ProgressCounter()
    private var readers: [CaptureReader] = []
    /// Errors in opening, with the index of their input so all errors come back in input order.
    private var openErrors: [(index: Int, error: CaptureError)] = []
    var stopRequested = false
    private var used = false

    /// Opens every input now; errors in opening are returned by `forEachPacket`, never thrown.
    public convenience init(paths: [String]) {
        self.init(paths: paths, standardInput: STDIN_FILENO)
    }

    /// `standardInput` is the descriptor read for `-` (tests hand in a pipe).
    init(paths: [String], standardInput: Int32) {
        self.paths = paths
        var total: Int? = 0
        var standardInputTaken = false
        for (index, path) in paths.enumerated() {
            if path == CaptureInput.standardInputName {
                guard !standardInputTaken else {
                    let reason = "standard input named more than once"
                    openErrors.append((index, CaptureError(file: path, record: 0, offset: 0, reason: reason)))
                    continue
                }
                standardInputTaken = true
            }
            switch CaptureInput.open(path, standardInput: standardInput, progress: progress) {
            case .success(let opened):
                readers.append(CaptureReader(
                    name: path, fileIndex: index, window: opened.window, progress: progress, knownSize: opened.size))
                if let size = opened.size, let sum = total { total = sum &+ size } else { total = nil }
            case .failure(let error):
                openErrors.append((index, error))
            }
        }
        totalBytes = total
    }

    /// Bytes of input consumed so far (compressed bytes for gzip); safe to read inside the callback.
    public var bytesRead: Int { progress.bytes }

    /// Asks `forEachPacket` to return after the packet being delivered.
    public func stop() { stopRequested = true }

    /// Delivers every packet of every input in time order. A file that is damaged stops being read
    /// at the damage; its error is returned and the other files go on. Packets before the damage are
    /// kept. The bytes are lent for the duration of the call only. A set is read once: a second call
    /// delivers nothing.
    @discardableResult
    public func forEachPacket(_ body: (borrowing PacketHeader, Span<UInt8>) -> Void) -> [CaptureError] {
        guard !used else { return [] }
        used = true
        stopRequested = false
        var errors = openErrors
        let started = readers.filter { $0.start() }
        if started.count == 1 {
            let reader = started[0]
            while !stopRequested && reader.advance() { reader.deliver(body) }
        } else if !started.isEmpty {
            merge(started, body)
        }
        for reader in readers {
            if let error = reader.error { errors.append((reader.fileIndex, error)) }
        }
        readers = []  // unmaps the files
        // One error at most per input: ordering by input index is total.
        return errors.sorted { $0.index < $1.index }.map(\.error)
    }
}
