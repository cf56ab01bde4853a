import ConvergeModel
import Foundation
import Testing

@testable import ConvergeInventory

/// `takeChangedEvidence` hands out exactly the records changed since the last call or `restore`:
/// records remember that they are marked, so these tests hold the marks to the change sets.
@Suite struct ChangedEvidenceTests {
    typealias F = InventoryFixtures

    static func feed(_ builder: InventoryBuilder, _ client: String, _ server: String, at time: Int64) {
        for message in F.exchange(client, server, proto: "modbus", operation: .read, at: time) { builder.add(message) }
    }

    static func keys(_ rows: EvidenceRows) -> (hosts: [String], links: [String], edges: [String]) {
        (rows.hosts.map(\.key), rows.links.map(\.key), rows.edges.map { "\($0.client)>\($0.server)/\($0.proto)" })
    }

    @Test func eachRecordOnceUntilChangedAgain() throws {
        let builder = InventoryBuilder()
        builder.add(F.fact("10.0.0.1", .hostname, "plc1"))
        builder.add(F.binding("10.0.0.2", "00:1b:1b:00:00:02"))
        Self.feed(builder, "10.0.0.2", "10.0.0.1", at: 2)
        let first = Self.keys(try builder.takeChangedEvidence())
        #expect(first.hosts == ["10.0.0.1", "10.0.0.2"])
        #expect(first.links == ["00:1b:1b:00:00:02"])
        #expect(first.edges == ["10.0.0.2>10.0.0.1/modbus"])
        #expect(try builder.takeChangedEvidence().isEmpty)

        // Many updates of one record: one row, the others untouched.
        for second in 3..<10 { builder.add(F.fact("10.0.0.1", .hostname, "plc1", at: Int64(second))) }
        let second = Self.keys(try builder.takeChangedEvidence())
        #expect(second.hosts == ["10.0.0.1"] && second.links.isEmpty && second.edges.isEmpty)

        Self.feed(builder, "10.0.0.2", "10.0.0.1", at: 11)
        let third = Self.keys(try builder.takeChangedEvidence())
        #expect(third.hosts == ["10.0.0.1", "10.0.0.2"] && third.edges == ["10.0.0.2>10.0.0.1/modbus"])
        #expect(try builder.takeChangedEvidence().isEmpty)
    }

    @Test func restoreClearsEveryMark() throws {
        let stored = InventoryBuilder()
        stored.add(F.fact("10.0.0.1", .hostname, "plc1"))
        let rows = try stored.takeChangedEvidence()

        // Records changed before a restore are not changed after it, and are handed out again
        // once they change again.
        let builder = InventoryBuilder()
        builder.add(F.fact("10.0.0.9", .hostname, "hmi"))
        Self.feed(builder, "10.0.0.9", "10.0.0.8", at: 1)
        try builder.restore(rows)
        #expect(try builder.takeChangedEvidence().isEmpty)
        builder.add(F.fact("10.0.0.9", .hostname, "hmi", at: 5))
        builder.add(F.fact("10.0.0.1", .vendor, "Acme", at: 5))
        #expect(Self.keys(try builder.takeChangedEvidence()).hosts == ["10.0.0.1", "10.0.0.9"])
        Self.feed(builder, "10.0.0.9", "10.0.0.8", at: 6)
        #expect(Self.keys(try builder.takeChangedEvidence()).edges == ["10.0.0.9>10.0.0.8/modbus"])
    }

    /// The mark is not part of the stored record.
    @Test func markIsNotStored() throws {
        let builder = InventoryBuilder()
        builder.add(F.fact("10.0.0.1", .hostname, "plc1"))
        builder.add(F.binding("10.0.0.1", "00:1b:1b:00:00:01"))
        let rows = try builder.takeChangedEvidence()
        for row in rows.hosts + rows.links {
            #expect(!String(decoding: row.record, as: UTF8.self).contains("marked"))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for host in builder.hosts.values {
            var marked = host
            marked.marked = true
            #expect(try encoder.encode(marked) == encoder.encode(host))
            #expect(EvidenceJSON.host(marked) == EvidenceJSON.host(host))
        }
    }
}
