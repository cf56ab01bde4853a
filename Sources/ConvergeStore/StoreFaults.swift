import Foundation

/// Fault injection for the interrupted-run test: with `CONVERGE_FAULT_PAUSE_IN_COMMIT=SECONDS` in
/// the environment, a commit stops for that long halfway through its transaction (evidence
/// written, inventory not yet), so a test can kill the process exactly there and check that the
/// store shows none of it. Unset, it costs one environment lookup a commit.
enum StoreFaults {
    static func pauseInsideCommit() {
        guard let text = ProcessInfo.processInfo.environment["CONVERGE_FAULT_PAUSE_IN_COMMIT"],
            let seconds = Double(text), seconds > 0
        else { return }
        FileHandle.standardError.write(Data("converge: fault injection: pausing inside the commit\n".utf8))
        Thread.sleep(forTimeInterval: min(seconds, 600))
    }
}
