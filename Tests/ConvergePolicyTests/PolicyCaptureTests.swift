import ConvergeEngine
import ConvergeModel
import Foundation
import Testing

@testable import ConvergeInventory
@testable import ConvergePolicy

/// The policy on real traffic: proposed from one capture of a plant, checked against another.
@Suite struct PolicyCaptureTests {
    typealias T = PolicyTestSupport

    /// What a checked inventory did that the learned one did not, per host pair and protocol:
    /// the operations new to that conversation (an empty set marks a conversation new as a whole).
    /// Computed from the two inventories alone, not by the checker, so the two can disagree.
    static func newConversations(learned: Inventory, checked: Inventory) -> [String: Set<String>] {
        var seen: [String: Set<String>] = [:]
        for item in learned.communications {
            seen["\(item.client)>\(item.server)/\(item.proto)", default: []].formUnion(
                item.operations.filter { $0.value > 0 }.keys)
        }
        var new: [String: Set<String>] = [:]
        for item in checked.communications {
            let key = "\(item.client)>\(item.server)/\(item.proto)"
            let ops = Set(item.operations.filter { $0.value > 0 }.keys)
            guard let known = seen[key] else {
                new[key] = []
                continue
            }
            let extra = ops.subtracting(known)
            if !extra.isEmpty { new[key, default: []].formUnion(extra) }
        }
        return new
    }

    static func violations(_ result: PolicyCheckResult) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for alert in result.violations {
            let key = "\(alert.fields["client"] ?? "")>\(alert.fields["server"] ?? "")/\(alert.fields["proto"] ?? "")"
            let notAllowed = alert.fields["not_allowed"] ?? ""
            if notAllowed == "protocol" {
                out[key] = []
            } else {
                out[key, default: []].insert(notAllowed)
            }
        }
        return out
    }

    /// The first `count` packets of a classic pcap file, written to a temporary file.
    static func pcapPrefix(_ path: String, packets count: Int) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let bytes = [UInt8](data)
        var offset = 24
        for _ in 0..<count {
            guard offset + 16 <= bytes.count else { break }
            let length =
                Int(bytes[offset + 8]) | Int(bytes[offset + 9]) << 8 | Int(bytes[offset + 10]) << 16
                | Int(bytes[offset + 11]) << 24
            offset = min(bytes.count, offset + 16 + length)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "policy-prefix-\(UUID().uuidString).pcap")
        try Data(bytes[0..<offset]).write(to: url)
        return url.path
    }

    static func propose(_ inventory: Inventory) throws -> Policy {
        let text = PolicyProposer.propose(inventory)
        return try Policy.parse(yaml: text, file: "proposed.yaml", now: T.now)
    }

    @Test func proposedPolicyAllowsEverythingItWasLearnedFrom() throws {
        let path = T.shared.appendingPathComponent("captures/generated/modbus_normal.pcap").path
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipped: \(T.shared.path) is missing")
            return
        }
        let inventory = T.inventory([path])
        let policy = try Self.propose(inventory)
        #expect(!policy.zones.isEmpty && !policy.conduits.isEmpty)
        #expect(policy.diagnostics.isEmpty, "\(policy.diagnostics)")
        let result = PolicyChecker(policy: policy, now: T.now).check(inventory)
        #expect(result.violations.isEmpty, "\(result.violations.map(\.title))")
        #expect(result.unzoned.isEmpty)
    }

    /// Learn on the normal Modbus capture (and on its first half), check the attack capture
    /// (and the whole normal one): the violations are exactly the new conversations.
    static let learnAndCheck: [(learn: String, firstPackets: Int, check: String)] = [
        ("modbus_normal.pcap", 0, "modbus_attack.pcap"),
        ("modbus_normal.pcap", 180, "modbus_normal.pcap"),
        ("modbus_normal.pcap", 180, "modbus_attack.pcap"),
    ]

    @Test(arguments: learnAndCheck.indices)
    func flagsExactlyTheNewConversations(index: Int) throws {
        let (learn, firstPackets, check) = Self.learnAndCheck[index]
        let directory = T.shared.appendingPathComponent("captures/generated")
        guard FileManager.default.fileExists(atPath: directory.path) else {
            print("skipped: \(T.shared.path) is missing")
            return
        }
        var learnPath = directory.appendingPathComponent(learn).path
        if firstPackets > 0 { learnPath = try Self.pcapPrefix(learnPath, packets: firstPackets) }
        defer { if firstPackets > 0 { try? FileManager.default.removeItem(atPath: learnPath) } }
        let learned = T.inventory([learnPath])
        let checked = T.inventory([directory.appendingPathComponent(check).path])
        let policy = try Self.propose(learned)
        let result = PolicyChecker(policy: policy, now: T.now).check(checked)
        let expected = Self.newConversations(learned: learned, checked: checked)
        #expect(Self.violations(result) == expected)
        if check == "modbus_attack.pcap" {
            // The attacker's laptop is new to the plant: outside every zone, and everything it did is flagged.
            #expect(result.unzoned.contains { $0.addresses.contains("192.168.10.50") })
            #expect(
                result.violations.contains {
                    $0.assets.first == "192.168.10.50" && $0.fields["from_zone"] == "(outside)"
                })
        }
    }

    /// The frames behind a violation: the attacker's first Modbus request is frame 34 of the
    /// attack capture (tshark: 192.168.10.50 → 10.10.1.10, function 3).
    @Test func violationsCarryTheirFrames() throws {
        let directory = T.shared.appendingPathComponent("captures/generated")
        guard FileManager.default.fileExists(atPath: directory.path) else {
            print("skipped: \(T.shared.path) is missing")
            return
        }
        let attack = directory.appendingPathComponent("modbus_attack.pcap").path
        let policy = try Self.propose(T.inventory([directory.appendingPathComponent("modbus_normal.pcap").path]))
        let checked = T.inventory([attack])
        let result = PolicyChecker(policy: policy, now: T.now).check(checked)
        var evidence = ViolationEvidence(violations: result.violations, inventory: checked)
        let analyzer = Analyzer()
        final class Box: @unchecked Sendable { var messages: [Message] = [] }
        let box = Box()
        analyzer.eventSink = { event in
            if case .message(let message) = event { box.messages.append(message) }
        }
        _ = analyzer.run(paths: [attack])
        for message in box.messages { evidence.add(message, capture: attack) }
        let alert = try #require(evidence.alerts.first { $0.assets.first == "192.168.10.50" })
        #expect(alert.evidence.first == Alert.EvidenceFrame(capture: attack, frame: 34))
        // Every one of its 42 Modbus requests (tshark: ip.src==192.168.10.50 && modbus) is there.
        #expect(alert.evidence.count == 42)
        #expect(alert.evidence.map(\.frame) == alert.evidence.map(\.frame).sorted())
    }

    static let eipCaptures: [(file: String, expected: ConvergeModel.Operation)] = [
        ("EIP-RebootorRestart.pcap", .control),
        ("EIP-RemoteModeChangeAttempt.pcap", .control),
        ("EIP-SoftwareUpload.pcap", .program),
    ]

    /// The openics EtherNet/IP attack captures against a policy that allows only reads: their
    /// writes, mode changes, restarts and program transfers are flagged, and reads are not.
    @Test(arguments: eipCaptures.indices)
    func readOnlyPolicyFlagsEIPWritesAndModeChanges(index: Int) throws {
        let (file, expected) = Self.eipCaptures[index]
        let inventory = T.inventory([T.policyFixtures.appendingPathComponent(file).path])
        var policy = try Self.propose(inventory)
        for conduit in policy.conduits.indices {
            for permission in policy.conduits[conduit].protocols.indices {
                policy.conduits[conduit].protocols[permission].operations = [.read]
            }
        }
        let result = PolicyChecker(policy: policy, now: T.now).check(inventory)
        let flagged = Set(result.violations.flatMap { ($0.fields["not_allowed"] ?? "").components(separatedBy: ", ") })
        #expect(flagged.contains(expected.rawValue), "\(file): \(result.violations.map(\.title))")
        #expect(!flagged.contains("read"))
        // Exactly the non-read operations the capture carried between zones are flagged.
        var observed: Set<String> = []
        let map = ZoneMap(policy.zones)
        var zoneOf: [String: Int] = [:]
        for asset in inventory.assets { zoneOf[asset.id] = map.assign(asset)?.zone }
        for item in inventory.communications where zoneOf[item.client] != zoneOf[item.server] {
            observed.formUnion(item.operations.filter { $0.value > 0 && $0.key != "read" }.keys)
        }
        #expect(flagged.subtracting(["protocol", ""]) == observed)
    }

    /// The larger openics captures, from /work/shared when it is there.
    @Test func readOnlyPolicyFlagsFirmwareChange() throws {
        let path = T.shared.appendingPathComponent("captures/public/iti/openics/EIP-FirmwareChange.pcap").path
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipped: \(path) is missing")
            return
        }
        let inventory = T.inventory([path])
        var policy = try Self.propose(inventory)
        for conduit in policy.conduits.indices {
            for permission in policy.conduits[conduit].protocols.indices {
                policy.conduits[conduit].protocols[permission].operations = [.read]
            }
        }
        let result = PolicyChecker(policy: policy, now: T.now).check(inventory)
        let flagged = Set(result.violations.flatMap { ($0.fields["not_allowed"] ?? "").components(separatedBy: ", ") })
        #expect(flagged.contains("firmware") || flagged.contains("write"), "\(result.violations.map(\.title))")
    }
}
