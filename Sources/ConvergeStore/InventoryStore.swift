import ConvergeInventory
import ConvergeModel
import Foundation

/// Where the inventory lives between runs: SQLite through GRDB by default (`SQLiteStore`), or
/// PostgreSQL (`PostgresStore`), behind this one protocol and one schema.
///
/// A run loads the stored evidence, adds its captures' events, builds the inventory from all of it
/// and commits evidence, inventory, new changes and the captures it read in one transaction: a run
/// killed at any point leaves the store as the last commit left it, and rerunning completes it
/// (captures already committed are recognised and skipped).
public protocol InventoryStore: AnyObject, Sendable {
    func load() async throws -> StoredState
    func commit(_ update: StoreUpdate) async throws
    /// The inventory as last committed.
    func inventory() async throws -> Inventory
    /// What was committed, for `converge diff` and the console's history.
    func captures() async throws -> [CaptureRecord]
    /// Closes the connection (PostgreSQL); a no-op for a file.
    func close() async
}

/// What a run starts from.
public struct StoredState: Sendable {
    public var evidence = EvidenceRows()
    /// Each asset's role and level as last built, to tell role and level changes.
    public var classifications: [String: Classification] = [:]
    /// Fingerprints of the captures already merged.
    public var captureFingerprints: Set<String> = []
    public init() {}
}

public struct Classification: Sendable, Hashable {
    public var role: String
    public var level: String?
    public init(role: String, level: String?) {
        self.role = role
        self.level = level
    }
}

/// What a run commits.
public struct StoreUpdate: Sendable {
    public var evidence: EvidenceRows
    public var inventory: Inventory
    public var captures: [CaptureRecord]
    /// The run's alerts (and, learning, its baseline), committed in the same transaction.
    public var detection: DetectionUpdate? = nil
    public init(evidence: EvidenceRows, inventory: Inventory, captures: [CaptureRecord]) {
        self.evidence = evidence
        self.inventory = inventory
        self.captures = captures
    }
}

/// One capture file merged into the store.
public struct CaptureRecord: Sendable, Codable, Hashable {
    /// Size and a hash of the file's first and last MiB: the same file under another name is
    /// recognised, an appended-to file is not taken for the old one.
    public var fingerprint: String
    public var path: String
    public var bytes: Int64
    /// Packets of the run that merged the file (several files merged together share one count).
    public var packets: Int64
    public var analysedAt: Timestamp
    public init(fingerprint: String, path: String, bytes: Int64, packets: Int64, analysedAt: Timestamp) {
        self.fingerprint = fingerprint
        self.path = path
        self.bytes = bytes
        self.packets = packets
        self.analysedAt = analysedAt
    }
}

/// A store that cannot be opened, read or written, with what and where.
public struct StoreError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Inventory {
    /// The role and level changes from `previous` (an asset's last stored classification) to now.
    public func classificationChanges(from previous: [String: Classification], at time: Timestamp) -> [AssetChange] {
        var out: [AssetChange] = []
        for asset in assets {
            guard let before = previous[asset.id] else { continue }
            let name = asset.addresses.first.map { "\($0.address)" } ?? asset.id
            if before.role != asset.role.rawValue {
                out.append(AssetChange(
                    time: time, asset: asset.id, kind: .roleChange, field: "role", previous: before.role,
                    current: asset.role.rawValue, source: nil,
                    text: "\(name): role changed from \(before.role) to \(asset.role.rawValue)"))
            }
            if before.level != asset.level?.rawValue {
                let old = before.level ?? "unknown"
                let new = asset.level?.rawValue ?? "unknown"
                out.append(AssetChange(
                    time: time, asset: asset.id, kind: .levelChange, field: "level", previous: old, current: new,
                    source: nil, text: "\(name): Purdue level changed from \(old) to \(new)"))
            }
        }
        return out
    }
}
