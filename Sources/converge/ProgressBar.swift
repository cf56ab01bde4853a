import Foundation

/// A one-line progress bar on standard error, shown only when standard error is a terminal and
/// the input is large enough for a wait to be noticed.
final class ProgressBar {
    static let minimumBytes = 64 << 20
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    static func ifTerminal() -> ProgressBar? {
        isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
    }

    func update(bytesRead: Int, total: Int?, packets: UInt64) {
        guard let total, total >= Self.minimumBytes else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = now
        let fraction = min(1, Double(bytesRead) / Double(max(total, 1)))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(packets) / elapsed / 1e6 : 0
        let line = "\r[" + bar + "]" + String(format: " %3.0f%%  %llu packets  %.2f Mpkt/s", fraction * 100, packets, rate)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
