import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Kerberos messages built field by field (KerberosFixtures): typed values, pairing, TCP
/// framing, events and facts.
@Suite struct KerberosTests {
    typealias F = KerberosFixtures

    @Test func asRequestWithoutPreauth() throws {
        let bytes = F.asRequest
        let message = try F.parse(bytes)
        #expect(message.messageType == 10 && message.functionCode == 10 && message.messageTypeField == 10)
        #expect(message.realm.text(bytes.span, limit: 64) == "CONVERGE.TEST")
        #expect(Kerberos.principalText(message.clientName, bytes.span) == "alice")
        #expect(Kerberos.principalText(message.serverName, bytes.span) == "krbtgt/CONVERGE.TEST")
        #expect(message.etypeCount == 2 && message.weakEtypeOffered)
        #expect(Kerberos.etypes(message, bytes.span) == [18, 23])
        #expect(message.padataCount == 1 && !message.hasPreauth)
        #expect(message.anomalies == [.weakEtypeOffered])
    }

    @Test func asRequestWithEncryptedTimestamp() throws {
        let message = try F.parse(F.asRequestPreauth)
        #expect(message.hasPreauth && message.padataCount == 2)
        #expect(message.padataTypes & (1 << 2) != 0)
        #expect(!message.weakEtypeOffered && message.anomalies.isEmpty)
    }

    @Test func asReplyNamesClientTicketAndSessionKeyEtype() throws {
        let bytes = F.asReply(etype: 23)
        let message = try F.parse(bytes, .toClient)
        #expect(message.messageType == 11)
        #expect(message.realm.text(bytes.span, limit: 64) == "CONVERGE.TEST")
        #expect(message.otherRealm.text(bytes.span, limit: 64) == "CONVERGE.TEST")
        #expect(Kerberos.principalText(message.clientName, bytes.span) == "alice")
        #expect(Kerberos.principalText(message.serverName, bytes.span) == "krbtgt/CONVERGE.TEST")
        #expect(message.replyEtype == 23)
        #expect(message.anomalies.contains(.weakEtypeChosen))
        // Unpaired on a fresh state.
        #expect(message.anomalies.contains(.unsolicitedReply))
    }

    @Test func errorCodesAndNames() throws {
        let unknown = try F.parse(F.error(6, cname: "nobody"), .toClient)
        #expect(unknown.messageType == 30 && unknown.errorCode == 6)
        #expect(unknown.anomalies.contains(.principalUnknown))
        let failed = try F.parse(F.error(24), .toClient)
        #expect(failed.anomalies.contains(.preauthFailed))
        let required = try F.parse(F.error(25), .toClient)
        #expect(!required.anomalies.contains(.preauthFailed) && !required.anomalies.contains(.principalUnknown))
        #expect(Kerberos.ErrorCode.name(25) == "kdc_err_preauth_required")
        #expect(Kerberos.ErrorCode.name(6) == "kdc_err_c_principal_unknown")
        #expect(Kerberos.ErrorCode.name(999) == "error_999")
        var state = Kerberos.makeState()
        let bytes = F.error(25)
        let event = Kerberos.event(required, bytes: bytes.span, context: F.context(.toClient), state: &state)
        #expect(event.status == .exception(code: 25, name: "kdc_err_preauth_required"))
        #expect(event.targets.contains { $0.kind == "error_text" && $0.name == "NEEDED_PREAUTH" })
        #expect(event.operation == .auth && event.functionName == "krb_error")
    }

    @Test func tgsRequestIsCountedOnceAndHasNoClientName() throws {
        let bytes = F.tgsRequest
        let message = try F.parse(bytes)
        #expect(message.messageType == 12 && message.functionCode == 12)
        #expect(message.clientName.isEmpty)
        #expect(Kerberos.principalText(message.serverName, bytes.span) == "krbtgt/CONVERGE.TEST")
        #expect(message.padataTypes & (1 << 1) != 0)
        #expect(message.anomalies.isEmpty)
    }

    @Test func pairingFlagsASRepRoasting() throws {
        var state = Kerberos.makeState()
        _ = try F.parse(F.asRequest, .toServer, time: 100, state: &state)
        #expect(state.pendingType == 10)
        let reply = try F.parse(F.asReply(), .toClient, time: 600, state: &state)
        #expect(reply.roundTripNanoseconds == 500)
        #expect(reply.anomalies.contains(.preauthNotRequired))
        #expect(!reply.anomalies.contains(.unsolicitedReply))
        #expect(state.pendingType == 0)

        _ = try F.parse(F.asRequestPreauth, .toServer, state: &state)
        let second = try F.parse(F.asReply(), .toClient, state: &state)
        #expect(!second.anomalies.contains(.preauthNotRequired))
    }

    @Test func tgsReplyDoesNotAnswerAnASRequest() throws {
        var state = Kerberos.makeState()
        _ = try F.parse(F.asRequest, .toServer, state: &state)
        var tgsReply = F.asReply()
        // Turn [APPLICATION 11] into [APPLICATION 13] and msg-type 11 into 13.
        tgsReply[0] = 0x6D
        if let index = tgsReply.firstIndex(of: 0x0B) { tgsReply[index] = 0x0D }
        let message = try F.parse(tgsReply, .toClient, state: &state)
        #expect(message.messageType == 13)
        #expect(message.anomalies.contains(.unsolicitedReply))
    }

    @Test func messageTypeFieldMismatch() throws {
        var bytes = F.asRequest
        // msg-type INTEGER 10 → 12 (first "02 01 0a").
        for index in 0..<(bytes.count - 2)
        where bytes[index] == 0x02 && bytes[index + 1] == 0x01 && bytes[index + 2] == 0x0A {
            bytes[index + 2] = 0x0C
            break
        }
        let message = try F.parse(bytes)
        #expect(message.messageType == 10 && message.messageTypeField == 12)
        #expect(message.anomalies.contains(.messageTypeMismatch))
    }

    @Test func tcpRecordsAreFramedAndTwoInOneSegmentBothParse() throws {
        let stream = F.record(F.asRequest) + F.record(F.asRequestPreauth)
        var state = KerberosOverTCP.makeState()
        #expect(KerberosOverTCP.probe(stream.span, direction: .toServer) == .match)
        let first = try KerberosOverTCP.parse(stream.span, direction: .toServer, time: .zero, state: &state)
        #expect(first.consumed == F.asRequest.count + 4 && first.message.messageType == 10)
        let rest = Array(stream[first.consumed...])
        let second = try KerberosOverTCP.parse(rest.span, direction: .toServer, time: .zero, state: &state)
        #expect(second.consumed == rest.count && second.message.hasPreauth)
        let bytes = Array(stream[0..<first.consumed])
        #expect(Kerberos.principalText(first.message.clientName, bytes.span) == "alice")
    }

    @Test func tcpRecordDrippedByteByByteAsksForMore() throws {
        let record = F.record(F.asRequest)
        var state = KerberosOverTCP.makeState()
        for length in 0..<record.count {
            let prefix = Array(record[0..<length])
            #expect(throws: DissectError.self) {
                try KerberosOverTCP.parse(prefix.span, direction: .toServer, time: .zero, state: &state)
            }
        }
        let whole = try KerberosOverTCP.parse(record.span, direction: .toServer, time: .zero, state: &state)
        #expect(whole.consumed == record.count)
    }

    @Test func tcpBadRecordLengthsAreMalformed() {
        var state = KerberosOverTCP.makeState()
        for prefix: [UInt8] in [[0x80, 0, 0, 5], [0, 0, 0, 0], [0x00, 0x20, 0, 0]] {
            let bytes = prefix + F.asRequest
            #expect(throws: DissectError.self) {
                try KerberosOverTCP.parse(bytes.span, direction: .toServer, time: .zero, state: &state)
            }
            #expect(KerberosOverTCP.probe(bytes.span, direction: .toServer) != .match)
        }
        // A record holding no Kerberos message.
        let junk: [UInt8] = [0, 0, 0, 3, 0x30, 0x01, 0x00]
        #expect(throws: DissectError.malformed("kerberos: record does not hold an application tag")) {
            try KerberosOverTCP.parse(junk.span, direction: .toServer, time: .zero, state: &state)
        }
    }

    @Test func resynchronizeFindsTheNextRecord() {
        let stream: [UInt8] = [0x17, 0x03, 0x01, 0xFF] + F.record(F.asRequest)
        #expect(KerberosOverTCP.resynchronize(stream.span, direction: .toServer) == 4)
        let junk = [UInt8](repeating: 0x41, count: 40)
        #expect(KerberosOverTCP.resynchronize(junk.span, direction: .toServer) == nil)
    }

    @Test func probeAcceptsKerberosAndRejectsOthers() {
        #expect(F.probe(F.asRequest) == .match)
        #expect(F.probe(F.error(6), .toClient) == .match)
        #expect(F.probe([0x6A]) == .needMore)
        #expect(F.probe([0x30, 0x03, 0x02, 0x01, 0x00]) == .reject)
        #expect(F.probe([0x61, 0x03, 0x30, 0x01, 0x00]) == .reject)  // [APPLICATION 1]
    }

    @Test func unknownApplicationTagIsFlaggedNotCounted() throws {
        let bytes: [UInt8] = [0x63, 0x03, 0x30, 0x01, 0x00]
        let message = try F.parse(bytes)
        #expect(!message.hasFunction && message.anomalies.contains(.unknownMessageType))
    }

    @Test func eventsListNamesEtypesAndStatus() throws {
        var state = Kerberos.makeState()
        let bytes = F.asRequest
        let message = try Kerberos.parse(bytes.span, direction: .toServer, time: .zero, state: &state).message
        let event = Kerberos.event(message, bytes: bytes.span, context: F.context(.toServer), state: &state)
        #expect(event.proto == "kerberos" && event.functionName == "as_req" && event.operation == .auth)
        #expect(event.status == .pending)
        #expect(event.targets.contains { $0.kind == "realm" && $0.name == "CONVERGE.TEST" })
        #expect(event.targets.contains { $0.kind == "client_name" && $0.name == "alice" })
        #expect(event.targets.contains { $0.kind == "server_name" && $0.name == "krbtgt/CONVERGE.TEST" })
        #expect(event.targets.filter { $0.kind == "etype_offered" }.map(\.address) == [18, 23])
        #expect(event.targets.contains { $0.kind == "etype_offered" && $0.name == "rc4-hmac" })
        #expect(event.anomalies == ["weak_etype_offered"])
    }

    @Test func factsNameUserRealmAndKDC() throws {
        var state = Kerberos.makeState()
        let request = F.asRequestPreauth
        let parsed = try Kerberos.parse(request.span, direction: .toServer, time: .zero, state: &state).message
        let facts = Kerberos.facts(parsed, bytes: request.span, context: F.context(.toServer), state: state)
        #expect(!facts.contains { $0.kind == .userName })
        #expect(facts.contains { $0.kind == .domain && $0.value == "CONVERGE.TEST" && $0.address == F.client.address })
        #expect(
            facts.contains { $0.kind == .service && $0.value == "krbtgt/CONVERGE.TEST" && $0.address == F.kdc.address })

        let reply = F.asReply()
        let answer = try Kerberos.parse(reply.span, direction: .toClient, time: .zero, state: &state).message
        let replyFacts = Kerberos.facts(answer, bytes: reply.span, context: F.context(.toClient), state: state)
        #expect(replyFacts.contains { $0.kind == .role && $0.value == "kerberos_kdc" && $0.address == F.kdc.address })
        #expect(
            replyFacts.contains { $0.kind == .domain && $0.value == "CONVERGE.TEST" && $0.address == F.kdc.address })
        #expect(
            replyFacts.contains {
                $0.kind == .userName && $0.value == "alice@CONVERGE.TEST" && $0.address == F.client.address
            })

        // An unknown principal is not a user.
        let unknown = F.error(6, cname: "nobody")
        let error = try Kerberos.parse(unknown.span, direction: .toClient, time: .zero, state: &state).message
        let errorFacts = Kerberos.facts(error, bytes: unknown.span, context: F.context(.toClient), state: state)
        #expect(!errorFacts.contains { $0.kind == .userName })
        #expect(errorFacts.contains { $0.kind == .role })
    }

    @Test func principalTextCapsComponents() {
        let parts = (0..<20).map { "p\($0)" }
        let bytes = DER.principal(1, parts)
        let text = Kerberos.principalText(BERSlice(offset: 0, length: bytes.count), bytes.span)
        #expect(text.split(separator: "/").count == Kerberos.maxNameComponents)
    }
}
