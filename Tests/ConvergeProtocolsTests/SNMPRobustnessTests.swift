import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Hostile SNMP input: every cut, bad lengths, deep nesting, random bytes. Nothing may trap.
@Suite struct SNMPRobustnessTests {
    /// Parses and builds event and facts; returns the packet or the error.
    static func run(_ bytes: [UInt8]) -> Result<SNMP.Packet, DissectError> {
        var state = SNMP.makeState()
        do throws(DissectError) {
            let (packet, consumed) = try SNMP.parse(bytes.span, direction: .toServer, time: .zero, state: &state)
            #expect(consumed == bytes.count)
            _ = SNMP.event(packet, bytes: bytes.span, context: SNMPFixtures.context(.toServer), state: &state)
            _ = SNMP.facts(packet, bytes: bytes.span, context: SNMPFixtures.context(.toClient), state: state)
            _ = SNMP.probe(bytes.span, direction: .toServer)
            return .success(packet)
        } catch {
            return .failure(error)
        }
    }

    static let longest = SNMPFixtures.all.map(\.count).max() ?? 0

    @Test(arguments: 0..<longest)
    func everyTruncatedPrefix(length: Int) {
        for fixture in SNMPFixtures.all where length < fixture.count {
            switch Self.run(Array(fixture[0..<length])) {
            case .failure(let error):
                if length >= 2 { #expect(error != .needMore(2)) }
            case .success(let packet):
                // A cut message still parses as far as it goes, flagged.
                #expect(packet.anomalies.contains(.truncated) || packet.anomalies.contains(.invalidBER))
            }
        }
    }

    @Test func lengthBeyondItsContainerIsInvalid() throws {
        var bytes = SNMPFixtures.getSysDescr
        bytes[6] = 0x40  // community length 64, past the message
        let packet = try SNMPFixtures.parse(bytes)
        #expect(packet.anomalies.contains(.invalidBER))
        #expect(!packet.hasFunction)
    }

    @Test func indefiniteAndOverlongLengthsAreRejected() {
        #expect(throws: DissectError.self) { try SNMPFixtures.parse([0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00]) }
        #expect(throws: DissectError.self) { try SNMPFixtures.parse([0x30, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00]) }
        #expect(throws: DissectError.self) { try SNMPFixtures.parse([0x02, 0x01, 0x01]) }
    }

    @Test func messageLongerThanTheDatagramIsTruncated() throws {
        var bytes = SNMPFixtures.getSysDescr
        bytes[1] = 0x7f
        let packet = try SNMPFixtures.parse(bytes)
        #expect(packet.anomalies.contains(.truncated))
        #expect(packet.pduType == 0)  // still counted, as tshark does
    }

    @Test func unknownVersionAndPDU() throws {
        var version = SNMPFixtures.getSysDescr
        version[4] = 0x02
        #expect(try SNMPFixtures.parse(version).anomalies.contains(.unknownVersion))
        var pdu = SNMPFixtures.getSysDescr
        pdu[13] = 0xa9
        let packet = try SNMPFixtures.parse(pdu)
        #expect(packet.anomalies.contains(.unknownPDU))
        #expect(!packet.hasFunction)
    }

    /// 15,000 nested SEQUENCEs as a varbind value: skipped by length, never descended.
    @Test func deepNestingInAValue() throws {
        var value: [UInt8] = [0x05, 0x00]
        for _ in 0..<15_000 { value = SNMPFixtures.tlv(0x30, value) }
        let bytes = SNMPFixtures.sequence(
            SNMPFixtures.integer(1) + SNMPFixtures.octetString("x")
                + SNMPFixtures.tlv(
                    0xa3,
                    SNMPFixtures.integer(1) + SNMPFixtures.integer(0) + SNMPFixtures.integer(0)
                        + SNMPFixtures.sequence(SNMPFixtures.varbind([1, 3, 6, 1, 2, 1, 1, 1, 0], value))))
        guard case .success(let packet) = Self.run(bytes) else {
            Issue.record("deep value did not parse")
            return
        }
        #expect(packet.varbindCount == 1)
        #expect(packet.anomalies == [.cleartextWrite])
        // A PDU of 1,000 indefinite-length SEQUENCE headers: invalid, flagged, no descent.
        var nested: [UInt8] = []
        for _ in 0..<1_000 { nested += [0x30, 0x80] }
        let deep = Self.run([0x30, 0x82, 0x07, 0xd7, 0x02, 0x01, 0x01, 0x04, 0x00, 0xa2, 0x82, 0x07, 0xd0] + nested)
        guard case .success(let flagged) = deep else {
            Issue.record("nested headers did not parse")
            return
        }
        #expect(flagged.anomalies.contains(.invalidBER))
    }

    @Test func tooManyVarbindsAreCappedAndFlagged() throws {
        let one = SNMPFixtures.varbind([1, 3, 6, 1], [0x05, 0x00])
        let list = Array([[UInt8]](repeating: one, count: SNMP.maxVarbinds + 10).joined())
        let bytes = SNMPFixtures.sequence(
            SNMPFixtures.integer(1) + SNMPFixtures.octetString("x")
                + SNMPFixtures.tlv(
                    0xa0,
                    SNMPFixtures.integer(1) + SNMPFixtures.integer(0) + SNMPFixtures.integer(0)
                        + SNMPFixtures.sequence(list)))
        let packet = try SNMPFixtures.parse(bytes)
        #expect(packet.varbindCount == SNMP.maxVarbinds)
        #expect(packet.anomalies.contains(.tooManyVarbinds))
        #expect(SNMPFixtures.event(packet, bytes).targets.count == SNMP.maxEventTargets)
    }

    @Test func hugeSubidentifiersAndTagNumbersDoNotTrap() throws {
        let oid: [UInt8] = [0x06, 0x0c, 0x2b] + [UInt8](repeating: 0xff, count: 10) + [0x01]
        let bytes = SNMPFixtures.sequence(
            SNMPFixtures.integer(1) + SNMPFixtures.octetString("x")
                + SNMPFixtures.tlv(
                    0xa2,
                    SNMPFixtures.integer(1) + SNMPFixtures.integer(0) + SNMPFixtures.integer(0)
                        + SNMPFixtures.sequence(SNMPFixtures.sequence(oid + [0x05, 0x00]))))
        let packet = try SNMPFixtures.parse(bytes)
        #expect(packet.varbindCount == 1)
        #expect(SNMPFixtures.event(packet, bytes).targets.isEmpty)  // unreadable OID: no target
        // High tag number with endless continuation octets.
        _ = Self.run([0x30, 0x0a, 0x02, 0x01, 0x01, 0x04, 0x00, 0xbf, 0xff, 0xff, 0xff, 0xff])
        guard case .success(let cut) = Self.run([0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x00, 0xbf]) else {
            Issue.record("cut tag did not parse")
            return
        }
        #expect(cut.anomalies.contains(.invalidBER))
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x5e3a_11)
        var parsed = 0
        for round in 0..<3_000 {
            let count = Int.random(in: 0..<160, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Half start from a real message with a few bytes flipped, to get past the header.
            if round % 2 == 0 {
                bytes = SNMPFixtures.all[round / 2 % SNMPFixtures.all.count]
                for _ in 0..<3 where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            if case .success = Self.run(bytes) { parsed += 1 }
        }
        #expect(parsed > 1_000)
    }
}
