import ConvergeModel
import ConvergeProtocols
import ConvergeTestSupport
import Testing

@Suite struct ARPTests {
    /// Who has 10.0.0.2? Tell 10.0.0.1 (at 00:1b:1b:00:00:01).
    static let request: [UInt8] = [
        0x00, 0x01,  // hardware type Ethernet
        0x08, 0x00,  // protocol type IPv4
        6, 4,  // address lengths
        0x00, 0x01,  // request
        0x00, 0x1B, 0x1B, 0x00, 0x00, 0x01, 10, 0, 0, 1,  // sender MAC, IP
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 2,  // target MAC (unknown), IP
    ]

    static func frame(operation: UInt8, senderMAC: UInt8, senderIP: [UInt8], targetIP: [UInt8]) -> [UInt8] {
        [0, 1, 8, 0, 6, 4, 0, operation, 0x00, 0x1B, 0x1B, 0, 0, senderMAC] + senderIP
            + [0, 0, 0, 0, 0, 0] + targetIP
    }

    @Test func readsARequest() throws {
        let frame = try ARP.parse(Self.request.span)
        #expect(frame.operation == 1)
        #expect(frame.isIPv4OverEthernet)
        #expect(frame.senderMAC == 0x001B_1B00_0001)
        #expect(IPAddress(v4: frame.senderIP).description == "10.0.0.1")
        #expect(IPAddress(v4: frame.targetIP).description == "10.0.0.2")
        #expect(!frame.isGratuitous && !frame.isProbe)
        #expect(ARP.functionName(frame.operation) == "request")
    }

    @Test func announcementsAndProbesAreNamed() throws {
        let announcement = try ARP.parse(Self.frame(operation: 1, senderMAC: 1, senderIP: [10, 0, 0, 1], targetIP: [10, 0, 0, 1]).span)
        #expect(announcement.isGratuitous)
        let probe = try ARP.parse(Self.frame(operation: 1, senderMAC: 1, senderIP: [0, 0, 0, 0], targetIP: [10, 0, 0, 9]).span)
        #expect(probe.isProbe)
        let event = ARP.event(probe, change: .same, time: .zero, sourceMAC: 0x001B_1B00_0001, destinationMAC: 0xFFFF_FFFF_FFFF)
        #expect(event.anomalies == [ARP.Anomaly.probe])
        #expect(event.destinationMAC == "ff:ff:ff:ff:ff:ff")
        #expect(event.operation == .discovery)
    }

    @Test func otherHardwareIsCountedButBindsNothing() throws {
        // Token ring hardware with 2-byte "addresses": valid ARP, no IPv4-over-Ethernet binding.
        let frame = try ARP.parse([0, 6, 8, 0, 2, 4, 0, 2, 1, 2, 10, 0, 0, 1, 3, 4, 10, 0, 0, 2].span)
        #expect(frame.operation == 2)
        #expect(!frame.isIPv4OverEthernet)
        #expect(ARP.facts(frame, change: .new, time: .zero).isEmpty)
    }

    @Test func aBindingThatMovesIsAChange() {
        var table = ARP.Bindings()
        #expect(table.observe(ip: 0x0A00_0001, mac: 0x001B_1B00_0001) == .new)
        #expect(table.observe(ip: 0x0A00_0001, mac: 0x001B_1B00_0001) == .same)
        #expect(table.observe(ip: 0x0A00_0001, mac: 0x0050_5600_0099) == .changed(previous: 0x001B_1B00_0001))
        #expect(table.changes == 1)
        // 0.0.0.0 (probes) and group MACs never bind.
        #expect(table.observe(ip: 0, mac: 0x001B_1B00_0001) == .same)
        #expect(table.observe(ip: 0x0A00_0002, mac: 0x0100_5E00_0001) == .same)
        #expect(table.count == 1)
    }

    @Test func theTableStopsAtItsCapacity() {
        var table = ARP.Bindings(capacity: 3)
        for ip in UInt32(1)...10 { _ = table.observe(ip: ip, mac: 0x001B_1B00_0000 | UInt64(ip)) }
        #expect(table.count == 3)
        #expect(table.untracked == 7)
        #expect(table.observe(ip: 1, mac: 0x001B_1B00_00FF) == .changed(previous: 0x001B_1B00_0001))
    }

    @Test func changedBindingIsAnEventAnomalyAndAFact() throws {
        let frame = try ARP.parse(Self.frame(operation: 2, senderMAC: 9, senderIP: [10, 0, 0, 1], targetIP: [10, 0, 0, 2]).span)
        let change = ARP.BindingChange.changed(previous: 0x001B_1B00_0001)
        let event = ARP.event(frame, change: change, time: .zero, sourceMAC: 0x001B_1B00_0009, destinationMAC: 1)
        #expect(event.anomalies == [ARP.Anomaly.bindingChanged])
        #expect(event.targets.first { $0.kind == "previous_mac" }?.value == "00:1b:1b:00:00:01")
        #expect(event.functionName == "reply")
        #expect(event.direction == .toClient)
        let facts = ARP.facts(frame, change: change, time: .zero)
        #expect(facts.map(\.value) == ["00:1b:1b:00:00:09"])
        #expect(facts.first?.address.description == "10.0.0.1")
        #expect(facts.first?.kind == .macAddress)
    }

    @Test func aReplyFromAnotherMACIsFlagged() throws {
        let frame = try ARP.parse(Self.frame(operation: 2, senderMAC: 9, senderIP: [10, 0, 0, 1], targetIP: [10, 0, 0, 2]).span)
        let event = ARP.event(frame, change: .same, time: .zero, sourceMAC: 0x0050_5600_0001, destinationMAC: 1)
        #expect(event.anomalies == [ARP.Anomaly.senderMismatch])
    }

    @Test(arguments: 0..<28) func everyTruncationIsMalformedNeverATrap(length: Int) {
        let bytes = Array(Self.request.prefix(length))
        #expect(throws: DissectError.self) { try ARP.parse(bytes.span) }
    }

    @Test func addressLengthsPastTheBytesAreMalformed() {
        var bytes = Self.request
        bytes[4] = 255
        #expect(throws: DissectError.self) { try ARP.parse(bytes.span) }
    }

    @Test func randomInputsNeverTrap() {
        var random = SeededGenerator(seed: 0xA2B)
        var table = ARP.Bindings(capacity: 64)
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...64, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            if count >= 6, Bool.random(using: &random) { bytes.replaceSubrange(0..<6, with: [0, 1, 8, 0, 6, 4]) }
            guard let frame = try? ARP.parse(bytes.span) else { continue }
            let change = table.observe(ip: frame.senderIP, mac: frame.senderMAC)
            _ = ARP.event(frame, change: change, time: .zero, sourceMAC: frame.senderMAC, destinationMAC: 0)
            _ = ARP.facts(frame, change: change, time: .zero)
        }
        #expect(table.count <= 64)
    }
}
