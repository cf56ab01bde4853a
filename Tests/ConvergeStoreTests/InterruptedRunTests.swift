import ConvergeInventory
import ConvergeStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `converge analyze --database` killed with SIGKILL halfway through its commit (held there by the
/// fault-injection pause) leaves the store exactly as the previous run left it; running it again
/// completes the store.
@Suite(.serialized) struct InterruptedRunTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `converge` executable `swift test` built beside the tests.
    static func converge() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("converge"),
            packageRoot.appendingPathComponent(".build/debug/converge"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw StoreError("no converge executable at \(candidates.map(\.path))")
        }
        return found
    }

    static func launch(_ arguments: [String], pauseInCommit: Bool) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try converge()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if pauseInCommit { environment["CONVERGE_FAULT_PAUSE_IN_COMMIT"] = "60" }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    /// Waits for the child without holding one of the test run's few cooperative threads: tests
    /// run in parallel, and a blocked thread can starve another test's store connection, which
    /// holds the migration lock the child is waiting for.
    static func finished(_ process: Process) async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        process.waitUntilExit()
    }

    /// `waitFor` on a thread of its own, for the same reason.
    static func sees(_ marker: String, in pipe: Pipe) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: waitFor(marker, in: pipe)) }.start()
        }
    }

    /// Reads the child's standard error until `marker` shows (or 60 s pass).
    static func waitFor(_ marker: String, in pipe: Pipe) -> Bool {
        var seen = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { return false }
            seen += String(decoding: chunk, as: UTF8.self)
            if seen.contains(marker) { return true }
        }
        return false
    }

    @Test(arguments: StoreBackend.available)
    func aKilledRunLeavesTheLastCommitAndARerunCompletesIt(_ backend: StoreBackend) async throws {
        let location = try await backend.withEmpty { _, location in location }
        let s7 = StoreContractTests.s7
        let eip = StoreContractTests.eip

        let (first, _) = try Self.launch(["analyze", s7, "--database", location], pauseInCommit: false)
        await Self.finished(first)
        #expect(first.terminationStatus == 0)
        let committed = try await Self.snapshot(backend, location)

        let (killed, errors) = try Self.launch(["analyze", eip, "--database", location], pauseInCommit: true)
        #expect(await Self.sees("pausing inside the commit", in: errors))
        kill(killed.processIdentifier, SIGKILL)
        await Self.finished(killed)
        #expect(killed.terminationReason == .uncaughtSignal)

        let afterKill = try await Self.snapshot(backend, location)
        #expect(afterKill == committed)
        if backend == .sqlite {
            #expect(try SQLiteStore(path: location).integrityCheck() == "ok")
        }

        let (rerun, _) = try Self.launch(["analyze", eip, "--database", location], pauseInCommit: false)
        await Self.finished(rerun)
        #expect(rerun.terminationStatus == 0)
        let completed = try await Self.snapshot(backend, location)
        #expect(completed.assets == StoreContractTests.summary(StoreContractTests.direct([s7, eip]).assets))
        #expect(completed.captures == [s7, eip])
    }

    struct Snapshot: Equatable {
        var assets: [String]
        var changes: Int
        var captures: [String]
    }

    static func snapshot(_ backend: StoreBackend, _ location: String) async throws -> Snapshot {
        try await backend.withExisting(location) { store in
            let inventory = try await store.inventory()
            let captures = try await store.captures().map(\.path)
            return Snapshot(
                assets: StoreContractTests.summary(inventory.assets), changes: inventory.changes.count,
                captures: captures)
        }
    }
}
