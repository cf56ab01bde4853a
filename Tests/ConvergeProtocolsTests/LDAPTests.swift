import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// LDAPMessages built field by field (LDAPFixtures): typed values, pairing, StartTLS and SASL
/// stepping, oversized messages, events and facts.
@Suite struct LDAPTests {
    typealias F = LDAPFixtures

    @Test func simpleBindIsFlaggedAndThePasswordIsNotKept() throws {
        let bytes = F.simpleBind
        let message = try F.parse(bytes)
        #expect(message.op == 0 && message.functionCode == 0 && message.messageID == 1)
        #expect(message.bindVersion == 3 && message.bindKind == .simple && message.passwordLength == 7)
        #expect(message.dn.text(bytes.span, limit: 100) == "cn=admin,dc=converge,dc=test")
        #expect(message.anomalies == [.cleartextPassword])
        let event = try F.event(bytes)
        #expect(event.functionName == "bind_request" && event.operation == .auth && event.status == .pending)
        #expect(event.targets.contains { $0.kind == "bind" && $0.name == "simple" && $0.address == 3 })
        #expect(!event.targets.contains { $0.name?.contains("adminpw") == true })
        let facts = try F.facts(bytes, .toServer)
        #expect(
            facts.contains {
                $0.kind == .userName && $0.value == "cn=admin,dc=converge,dc=test" && $0.address == F.client.address
            })
        #expect(!facts.contains { $0.value.contains("adminpw") })
    }

    @Test func anonymousAndSASLBinds() throws {
        #expect(try F.parse(F.anonymousBind).anomalies == [.anonymousBind])
        let bytes = F.saslBind
        let sasl = try F.parse(bytes)
        #expect(sasl.bindKind == .sasl && sasl.mechanism.text(bytes.span, limit: 20) == "GSSAPI")
        #expect(sasl.anomalies.isEmpty)
        let unauthenticated = F.message(1, DER.app(0, DER.int(3), DER.octets("cn=x"), F.implicit(0, [])))
        #expect(try F.parse(unauthenticated).anomalies == [.unauthenticatedBind])
    }

    @Test func bindResponsePairsAndFlagsInvalidCredentials() throws {
        var state = LDAP.makeState()
        _ = try F.parse(F.simpleBind, .toServer, time: 10, state: &state)
        #expect(state.pending.count == 1)
        let bytes = F.bindResponse(1, 49)
        let (response, _) = try F.parse(bytes, .toClient, time: 30, state: &state)
        #expect(response.op == 1 && response.resultCode == 49 && response.requestOp == 0)
        #expect(response.roundTripNanoseconds == 20 && response.anomalies == [.invalidCredentials])
        #expect(state.pending.count == 0)
        let event = LDAP.event(response, bytes: bytes.span, context: F.context(.toClient), state: &state)
        #expect(event.status == .exception(code: 49, name: "invalid_credentials"))
        #expect(event.targets.contains { $0.kind == "diagnostic" && $0.name == "bad" })
        // The same id answered twice: the second is unsolicited.
        #expect(try F.parse(bytes, .toClient, state: &state).message.anomalies.contains(.unsolicitedResponse))
    }

    @Test func searchRequestSummarisesItsFilterToAttributeNames() throws {
        let bytes = F.searchRequest
        let message = try F.parse(bytes)
        #expect(message.op == 3 && message.scope == 2)
        #expect(message.dn.text(bytes.span, limit: 100) == "dc=converge,dc=test")
        #expect(LDAP.filterAttributes(message.filter, bytes.span) == ["uid", "mail", "sn", "objectClass", "cn"])
        let event = try F.event(bytes)
        #expect(event.operation == .read && event.functionName == "search_request")
        #expect(event.targets.contains { $0.kind == "scope" && $0.name == "subtree" && $0.address == 2 })
        #expect(event.targets.filter { $0.kind == "attribute" }.compactMap(\.name) == ["cn", "mail"])
        #expect(!event.targets.contains { $0.name == "alice" || $0.name == "person" })
    }

    @Test func searchEntriesPeekAndDoneTakesTheRequest() throws {
        var state = LDAP.makeState()
        let request = F.message(
            3,
            DER.app(
                3,
                DER.octets(""), DER.enumerated(0), DER.enumerated(0), DER.int(0), DER.int(0), DER.tlv(0x01, [0]),
                F.implicit(7, Array("objectClass".utf8)), DER.seq()))
        _ = try F.parse(request, .toServer, state: &state)
        let entry = try F.parse(F.rootDSEEntry, .toClient, state: &state).message
        #expect(entry.op == 4 && entry.requestOp == 3 && state.pending.count == 1)
        let done = try F.parse(F.searchDone, .toClient, state: &state).message
        #expect(done.op == 5 && done.resultCode == 0 && done.requestOp == 3 && state.pending.count == 0)
    }

    @Test func rootDSEEntryNamesTheServer() throws {
        let facts = try F.facts(F.rootDSEEntry, .toClient)
        let server = F.server.address
        #expect(facts.contains { $0.kind == .hostname && $0.value == "dc1.converge.test" && $0.address == server })
        #expect(facts.contains { $0.kind == .hostname && $0.value == "DC1" && $0.address == server })
        #expect(facts.contains { $0.kind == .domain && $0.value == "converge.test" && $0.address == server })
        #expect(facts.contains { $0.kind == .role && $0.value == "ldap_server" })
        // An ordinary entry describes a directory object, not the server.
        var other = F.rootDSEEntry
        let entry = F.message(
            3,
            DER.app(
                4,
                DER.octets("cn=ws1,dc=converge,dc=test"),
                DER.seq(DER.seq(DER.octets("dnsHostName"), DER.set(DER.octets("ws1.converge.test"))))))
        other = entry
        let objectFacts = try F.facts(other, .toClient)
        #expect(!objectFacts.contains { $0.kind == .hostname })
    }

    @Test func writesAbandonAndUnbind() throws {
        let add = try F.event(F.addRequest)
        #expect(add.functionCode == 8 && add.operation == .write)
        #expect(add.targets.contains { $0.kind == "dn" && $0.name == "uid=alice,ou=people,dc=converge,dc=test" })
        let delete = try F.event(F.deleteRequest)
        #expect(delete.functionCode == 10 && delete.operation == .write)
        #expect(delete.targets.contains { $0.kind == "dn" && $0.name == "uid=alice,ou=people,dc=converge,dc=test" })
        let abandon = try F.event(F.abandonRequest)
        #expect(abandon.functionCode == 16 && abandon.operation == .session && abandon.status == .ok)
        #expect(abandon.targets.contains { $0.kind == "abandon" && $0.address == 2 })
        let unbind = try F.event(F.unbindRequest)
        #expect(unbind.functionCode == 2 && unbind.operation == .session)
    }

    @Test func startTLSStepsOverEverythingAfterIt() throws {
        var state = LDAP.makeState()
        let request = try F.parse(F.startTLSRequest, .toServer, state: &state).message
        #expect(request.op == 23 && request.isStartTLS)
        let response = try F.parse(F.startTLSResponse, .toClient, state: &state).message
        #expect(response.op == 24 && response.isStartTLS && state.tls)
        let responseBytes = F.startTLSResponse
        let requestBytes = F.startTLSRequest
        var event = LDAP.event(response, bytes: responseBytes.span, context: F.context(.toClient), state: &state)
        #expect(event.operation == .session)
        event = LDAP.event(request, bytes: requestBytes.span, context: F.context(.toServer), state: &state)
        #expect(event.targets.contains { $0.kind == "oid" && $0.name == "1.3.6.1.4.1.1466.20037" })
        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]
        let stepped = try F.parse(hello, .toServer, state: &state)
        #expect(!stepped.message.isMessage && stepped.consumed == hello.count)
        // A failed StartTLS leaves the session in the clear.
        var clear = LDAP.makeState()
        _ = try F.parse(F.startTLSRequest, .toServer, state: &clear)
        let refused = F.message(8, DER.app(24, DER.enumerated(2), DER.octets(""), DER.octets("")))
        _ = try F.parse(refused, .toClient, state: &clear)
        #expect(!clear.tls)
    }

    @Test func saslSecurityLayerBuffersAreSteppedOver() throws {
        var state = LDAP.makeState()
        _ = try F.parse(F.saslBind, .toServer, state: &state)
        _ = try F.parse(F.bindResponse(2, 0), .toClient, state: &state)
        #expect(state.saslBound)
        let wrapped: [UInt8] = [0x00, 0x00, 0x00, 0x06, 0x05, 0x04, 0x01, 0xFF, 0x00, 0x0C]
        let first = try F.parse(Array(wrapped[0..<7]), .toServer, state: &state)
        #expect(!first.message.isMessage && first.consumed == 7 && state.skipRemaining[0] == 3)
        let rest = try F.parse(Array(wrapped[7...]) + F.unbindRequest, .toServer, state: &state)
        #expect(!rest.message.isMessage && rest.consumed == 3)
        // Without a SASL bind, such bytes are not LDAP.
        #expect(throws: DissectError.self) { try F.parse(wrapped) }
    }

    @Test func oversizedMessageIsReadFromItsHeadAndSkipped() throws {
        let big = F.message(
            9,
            DER.app(
                4,
                DER.octets("cn=photo,dc=converge,dc=test"),
                DER.seq(
                    DER.seq(DER.octets("jpegPhoto"), DER.set(DER.tlv(0x04, [UInt8](repeating: 0xAB, count: 100_000))))))
        )
        var state = LDAP.makeState()
        let head = Array(big[0..<5000])
        let (message, consumed) = try F.parse(head, .toClient, state: &state)
        #expect(message.op == 4 && consumed == 5000 && message.anomalies.contains(.oversized))
        #expect(message.dn.text(head.span, limit: 100) == "cn=photo,dc=converge,dc=test")
        #expect(state.skipRemaining[1] == big.count - 5000)
        let tail = Array(big[5000...]) + F.searchDone
        let skipped = try F.parse(tail, .toClient, state: &state)
        #expect(!skipped.message.isMessage && skipped.consumed == big.count - 5000)
        let after = Array(tail[skipped.consumed...])
        #expect(try F.parse(after, .toClient, state: &state).message.op == 5)
        // Below the head length it waits.
        var fresh = LDAP.makeState()
        #expect(throws: DissectError.needMore(LDAP.oversizedHeadLength)) {
            try F.parse(Array(big[0..<100]), .toClient, state: &fresh)
        }
    }

    @Test func twoMessagesInOneSegmentAndDripFeeding() throws {
        let stream = F.simpleBind + F.searchRequest
        var state = LDAP.makeState()
        let first = try F.parse(stream, .toServer, state: &state)
        #expect(first.consumed == F.simpleBind.count)
        let second = try F.parse(Array(stream[first.consumed...]), .toServer, state: &state)
        #expect(second.message.op == 3 && second.consumed == F.searchRequest.count)
        for length in 0..<F.searchRequest.count {
            #expect(throws: DissectError.self) { try F.parse(Array(F.searchRequest[0..<length])) }
        }
    }

    @Test func probeAndResynchronize() {
        #expect(F.probe(F.simpleBind) == .match)
        #expect(F.probe(F.unbindRequest) == .match)
        #expect(F.probe([0x30]) == .needMore)
        #expect(F.probe([0x30, 0x05, 0x02, 0x01, 0x01]) == .needMore)
        #expect(F.probe([0x30, 0x05, 0x02, 0x01, 0x01, 0x30, 0x00]) == .reject)  // no application tag
        #expect(F.probe([0x16, 0x03, 0x01, 0x00, 0x05]) == .reject)  // TLS
        let stream: [UInt8] = [0x00, 0x30, 0xFF, 0x01] + F.searchRequest
        #expect(LDAP.resynchronize(stream.span, direction: .toServer) == 4)
    }

    @Test func cldapDatagramWithEntryAndDone() throws {
        let datagram = F.rootDSEEntry + F.searchDone
        var state = CLDAP.makeState()
        #expect(CLDAP.probe(datagram.span, direction: .toClient) == .match)
        let first = try CLDAP.parse(datagram.span, direction: .toClient, time: .zero, state: &state)
        #expect(first.message.op == 4 && first.consumed == F.rootDSEEntry.count)
        let rest = Array(datagram[first.consumed...])
        let second = try CLDAP.parse(rest.span, direction: .toClient, time: .zero, state: &state)
        #expect(second.message.op == 5 && second.consumed == rest.count)
        // RFC 1798's user DN before the operation.
        let old = DER.seq(DER.int(1), DER.octets("cn=u"), DER.app(3, DER.octets(""), DER.enumerated(0)))
        let parsed = try CLDAP.parse(old.span, direction: .toServer, time: .zero, state: &state)
        #expect(parsed.message.op == 3)
        // Cut by the datagram's end: read as far as it goes.
        let cut = Array(F.searchRequest[0..<20])
        let truncated = try CLDAP.parse(cut.span, direction: .toServer, time: .zero, state: &state)
        #expect(truncated.message.anomalies.contains(.truncated) && truncated.consumed == 20)
    }
}
