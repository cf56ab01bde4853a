import ConvergeModel
import ConvergeStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `converge analyze --database` with detection, killed inside its commit: the store holds
/// neither the run's inventory nor its alerts; the rerun commits both once.
@Suite(.serialized) struct AlertInterruptedRunTests {
    @Test(arguments: StoreBackend.available)
    func aKilledRunLeavesNoAlertsAndTheRerunCommitsThemOnce(_ backend: StoreBackend) async throws {
        let location = try await backend.withEmpty { _, location in location }
        let normal = AlertStoreTests.normal
        let attack = AlertStoreTests.attack

        let (learn, _) = try InterruptedRunTests.launch(
            ["analyze", normal, "--database", location, "--learn"], pauseInCommit: false)
        learn.waitUntilExit()
        #expect(learn.terminationStatus == 0)
        let learned = try await Self.alerts(backend, location)
        #expect(learned.isEmpty)

        let (killed, errors) = try InterruptedRunTests.launch(
            ["analyze", attack, "--database", location], pauseInCommit: true)
        #expect(InterruptedRunTests.waitFor("pausing inside the commit", in: errors))
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(try await Self.alerts(backend, location).isEmpty)
        #expect(try await backend.withExisting(location) { try await $0.captures().map(\.path) } == [normal])

        let (rerun, _) = try InterruptedRunTests.launch(
            ["analyze", attack, "--database", location], pauseInCommit: false)
        rerun.waitUntilExit()
        #expect(rerun.terminationStatus == 0)
        let committed = try await Self.alerts(backend, location)
        #expect(committed.contains { $0.id == "baseline.new_pair:192.168.10.50>10.10.1.10/modbus" })

        let (again, _) = try InterruptedRunTests.launch(
            ["analyze", attack, "--database", location], pauseInCommit: false)
        again.waitUntilExit()
        #expect(try await Self.alerts(backend, location) == committed)
    }

    static func alerts(_ backend: StoreBackend, _ location: String) async throws -> [Alert] {
        try await backend.withExisting(location) { store in
            guard let d = store as? any DetectionStore else { return [] }
            return try await d.alerts(AlertFilter())
        }
    }
}
