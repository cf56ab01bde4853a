import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Byte-commented SNMP messages of each family: typed fields, events, facts and pairing.
@Suite struct SNMPParseTests {
    @Test func v2cGetRequestWithDefaultCommunity() throws {
        let packet = try SNMPFixtures.parse(SNMPFixtures.getSysDescr)
        #expect(packet.version == 1)
        #expect(packet.pduType == 0)
        #expect(packet.hasRequestID && packet.requestID == 0x1234)
        #expect(packet.varbindCount == 1)
        #expect(packet.community == .defaultPublic)
        #expect(packet.anomalies == [.defaultCommunity])
        let event = SNMPFixtures.event(packet, SNMPFixtures.getSysDescr)
        #expect(event.functionName == "get_request")
        #expect(event.operation == .read)
        #expect(event.status == .pending)
        #expect(event.anomalies == ["snmp.default_community"])
        #expect(event.targets == [Message.Target(kind: "oid", address: 0, name: "1.3.6.1.2.1.1.1.0")])
    }

    @Test func responsePairsAndRevealsTheAgent() throws {
        var state = SNMP.makeState()
        _ = try SNMPFixtures.parse(SNMPFixtures.getSysDescr, .toServer, state: &state, time: 1_000)
        let response = try SNMPFixtures.parse(SNMPFixtures.responseSystem, .toClient, state: &state, time: 5_000)
        #expect(response.pduType == 2)
        #expect(response.requestType == 0)
        #expect(response.roundTripNanoseconds == 4_000)
        #expect(response.varbindCount == 4)
        #expect(state.pending.count == 0)
        let event = SNMPFixtures.event(response, SNMPFixtures.responseSystem, .toClient, state: &state)
        #expect(event.status == .ok)
        #expect(event.roundTripNanoseconds == 4_000)
        #expect(event.targets.map { $0.value } == ["Linux rtu1", "rtu1", "1.3.6.1.4.1.8072.3.2.10", "Hall 2"])
        let facts = SNMPFixtures.facts(response, SNMPFixtures.responseSystem, .toClient)
        let agent = SNMPFixtures.agent.address
        #expect(facts.allSatisfy { $0.address == agent })
        #expect(
            Set(facts.map { "\($0.kind.rawValue)=\($0.value)@\($0.source)" }) == [
                "os=Linux rtu1@snmp/sysDescr", "hostname=rtu1@snmp/sysName",
                "product_code=1.3.6.1.4.1.8072.3.2.10@snmp/sysObjectID", "vendor=Net-SNMP@snmp/sysObjectID",
            ])
    }

    @Test func requestsGiveNoSystemFacts() throws {
        let packet = try SNMPFixtures.parse(SNMPFixtures.getSysDescr)
        let facts = SNMPFixtures.facts(packet, SNMPFixtures.getSysDescr)
        #expect(facts.isEmpty)
    }

    @Test func v1TrapFromTheWiresharkWikiCapture() throws {
        let packet = try SNMPFixtures.parse(SNMPFixtures.v1Trap)
        #expect(packet.version == 0)
        #expect(packet.pduType == 4)
        #expect(!packet.hasRequestID)
        #expect(packet.genericTrap == 0 && packet.specificTrap == 0)
        #expect(packet.varbindCount == 1)
        #expect(packet.anomalies == [.defaultCommunity])
        let event = SNMPFixtures.event(packet, SNMPFixtures.v1Trap)
        #expect(event.functionName == "trap")
        #expect(event.targets == [Message.Target(kind: "oid", address: 0, values: [33], name: "1.3.6.1.2.1.2.1.0")])
        let facts = SNMPFixtures.facts(packet, SNMPFixtures.v1Trap)
        #expect(facts.map(\.value) == ["Unix"])
        #expect(facts.first?.address == SNMPFixtures.manager.address)  // the trap's sender
    }

    @Test func v3UnauthenticatedGetBulk() throws {
        let packet = try SNMPFixtures.parse(SNMPFixtures.v3GetBulk)
        #expect(packet.version == 3)
        #expect(packet.pduType == 5)
        #expect(packet.requestID == 77)
        #expect(packet.errorStatus == 0 && packet.errorIndex == 10)
        #expect(packet.securityLevel == 0)
        #expect(packet.community == .none)
        #expect(packet.anomalies == [.unauthenticated])
        let event = SNMPFixtures.event(packet, SNMPFixtures.v3GetBulk)
        #expect(event.functionName == "get_bulk_request")
        let user = Message.Target(kind: "snmpv3_user", address: 0, name: "noAuthUser", value: "noAuthNoPriv")
        #expect(event.targets.first == user)
        let facts = SNMPFixtures.facts(packet, SNMPFixtures.v3GetBulk)
        // A request's engine id is the receiving agent's.
        #expect(facts.map { "\($0.kind.rawValue)=\($0.value)" } == ["vendor=Net-SNMP"])
        #expect(facts.first?.address == SNMPFixtures.agent.address)
    }

    @Test func v3EncryptedPDUHasNoFunction() throws {
        let packet = try SNMPFixtures.parse(SNMPFixtures.v3Encrypted)
        #expect(packet.encrypted)
        #expect(!packet.hasFunction)
        #expect(packet.securityLevel == 3)
        #expect(packet.anomalies.isEmpty)
        let event = SNMPFixtures.event(packet, SNMPFixtures.v3Encrypted)
        #expect(event.functionName == "encrypted_pdu")
        #expect(event.targets == [Message.Target(kind: "snmpv3_user", address: 0, name: "admin", value: "authPriv")])
    }

    @Test func setIsAWriteAndTheCommunityIsNeverKept() throws {
        var state = SNMP.makeState()
        let set = try SNMPFixtures.parse(SNMPFixtures.setContact, .toServer, state: &state)
        #expect(set.community == .other)
        #expect(set.anomalies == [.cleartextWrite])
        let event = SNMPFixtures.event(set, SNMPFixtures.setContact, state: &state)
        #expect(event.operation == .write)
        #expect(event.targets == [Message.Target(kind: "oid", address: 0, name: "1.3.6.1.2.1.1.4.0", value: "ops")])
        let json = String(decoding: try JSONEncoder().encode(Event.message(event)), as: UTF8.self)
        #expect(!json.contains("s3cret"))

        let answer = try SNMPFixtures.parse(SNMPFixtures.notWritable, .toClient, state: &state)
        let answerEvent = SNMPFixtures.event(answer, SNMPFixtures.notWritable, .toClient, state: &state)
        #expect(answerEvent.operation == .write)
        #expect(answerEvent.status == .exception(code: 17, name: "not_writable"))
    }

    @Test func unsolicitedResponseIsFlagged() throws {
        let packet = try SNMPFixtures.parse(SNMPFixtures.responseSystem, .toClient)
        #expect(packet.anomalies.contains(.unsolicitedResponse))
    }

    @Test func probe() {
        func probe(_ bytes: [UInt8]) -> ProbeResult { SNMP.probe(bytes.span, direction: .toServer) }
        for fixture in SNMPFixtures.all { #expect(probe(fixture) == .match) }
        #expect(probe([]) == .needMore)
        #expect(probe([0x30, 0x03, 0x02, 0x01, 0x02]) == .reject)  // version 2
        #expect(probe(Array("GET / HTTP/1.1\r\n".utf8)) == .reject)
    }
}
