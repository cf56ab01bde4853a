import ArgumentParser
import ConvergeModel
import ConvergeStore
import Foundation

/// What `converge policy check` leaves in the store it checked: the violations as alerts (through
/// the detection store's commit, beside the rules' and the baseline's alerts) and the policy itself.
enum PolicyCommit {
    static func store(policyPath: String, violations: [Alert], in location: String) async throws {
        let text: String
        do {
            text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: policyPath)), as: UTF8.self)
        } catch {
            FileHandle.standardError.write(Data("converge: cannot read \(policyPath): \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
        let source = URL(fileURLWithPath: policyPath).standardizedFileURL.path
        try await withStore(location) { store in
            guard let detection = store as? any DetectionStore, let policies = store as? any PolicyStore else {
                throw StoreError("store \(location) keeps no alerts or policies")
            }
            try await policies.savePolicy(StoredPolicy(text: text, source: source, storedAt: .wallClockNow))
            try await detection.commitRecounted(violations)
        }
    }
}

extension Timestamp {
    static var wallClockNow: Timestamp { Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9)) }
}
