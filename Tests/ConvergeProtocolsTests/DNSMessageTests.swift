import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// DNS messages decoded field by field: header, sections, names through compression pointers,
/// record data, pairing, events and the names-for-addresses facts.
@Suite struct DNSMessageTests {
    typealias H = NameServiceHarness
    typealias F = DNSFixtures

    @Test func queryHeaderAndQuestion() throws {
        let run = try #require(H.run(DNS.self, F.query))
        let frame = run.parsed
        #expect(frame.id == 0x1234)
        #expect(!frame.isResponse)
        #expect(frame.functionCode == 0)
        #expect(frame.questionCount == 1)
        #expect(frame.questionOffset == 12)
        #expect(frame.questionType == DNS.RecordType.a)
        #expect(frame.questionClass == 1)
        #expect(frame.answersOffset == 33)
        #expect(frame.anomalies.isEmpty)
        #expect(run.message.functionName == "query")
        #expect(run.message.operation == .read)
        #expect(run.message.status == .pending)
        #expect(run.message.targets == [Message.Target(kind: "question.a", address: 1, name: "www.example.com")])
        #expect(run.facts.isEmpty)
    }

    @Test func responseFollowsPointersAndNamesTheAddress() throws {
        let run = try #require(H.run(DNS.self, F.response, .toClient))
        #expect(run.parsed.functionCode == DNS.responseBase)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.parsed.recordBits == DNS.RecordBits.address | DNS.RecordBits.alias)
        #expect(run.message.functionName == "query_response")
        #expect(run.message.status == .ok)
        #expect(
            run.message.targets == [
                Message.Target(kind: "question.a", address: 1, name: "www.example.com"),
                Message.Target(kind: "answer.cname", address: 5, name: "www.example.com", value: "web.example.com"),
                Message.Target(kind: "answer.a", address: 1, name: "web.example.com", value: "192.0.2.1"),
            ])
        #expect(run.facts.map(\.value) == ["web.example.com"])
        #expect(run.facts.first?.address == IPAddress("192.0.2.1"))
        #expect(run.facts.first?.kind == .hostname)
        #expect(run.facts.first?.source == "dns/a")
    }

    @Test func reverseLookupNamesTheAddressItSpells() throws {
        let run = try #require(H.run(DNS.self, F.reverse, .toClient))
        #expect(run.parsed.isAuthoritative)
        #expect(
            run.facts == [
                AssetFact(
                    time: .zero, address: try #require(IPAddress("192.0.2.1")), kind: .hostname,
                    value: "host.example.net", source: "dns/ptr")
            ])
        #expect(DNS.reverseAddress("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
            == IPAddress("2001:db8::1"))
        #expect(DNS.reverseAddress("2.0.192.in-addr.arpa") == nil)
        #expect(DNS.reverseAddress("300.2.0.192.in-addr.arpa") == nil)
    }

    @Test func nxdomainIsAnExceptionWithTheZoneSOA() throws {
        let run = try #require(H.run(DNS.self, F.nxdomain, .toClient))
        #expect(run.parsed.rcode == 3)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.message.status == .exception(code: 3, name: "nxdomain"))
        #expect(run.message.targets.last == Message.Target(
            kind: "authority.soa", address: 6, name: "example", value: "ns.example root.example 42"))
        #expect(run.facts.isEmpty)
    }

    @Test func pointerLoopsAreFlaggedAndNeverFollowed() throws {
        let run = try #require(H.run(DNS.self, F.pointerLoop, .toClient))
        #expect(run.parsed.anomalies.contains(.badPointer))
        #expect(run.message.anomalies.contains("dns.bad_pointer"))
        #expect(run.message.targets.count == 2)
        #expect(run.message.targets.allSatisfy { $0.name == nil })
        #expect(run.facts.isEmpty)
        // A backward pointer into a name that loops: the walk passes, decoding gives up.
        let cycle = try #require(H.run(DNS.self, F.pointerCycle))
        #expect(cycle.parsed.questionCount == 2)
        #expect(cycle.message.targets.count == 2)
        #expect(cycle.message.targets.allSatisfy { $0.name == nil })
    }

    @Test func pairsResponsesByIDAndFlagsUnsolicitedOnes() {
        var state = DNS.makeState()
        guard case .success = H.parse(DNS.self, F.query, .toServer, state: &state, time: 1_000),
            case .success(let answer) = H.parse(DNS.self, F.response, .toClient, state: &state, time: 4_500)
        else {
            Issue.record("did not parse")
            return
        }
        #expect(answer.message.roundTripNanoseconds == 3_500)
        #expect(state.pending.count == 0)
        // The same answer again: its query is gone.
        guard case .success(let again) = H.parse(DNS.self, F.response, .toClient, state: &state, time: 5_000) else {
            Issue.record("did not parse")
            return
        }
        #expect(again.message.anomalies.contains(.unsolicitedResponse))
        // A flow first seen at a response (capture started late) is not unsolicited.
        var late = DNS.makeState()
        guard case .success(let first) = H.parse(DNS.self, F.response, .toClient, state: &late) else { return }
        #expect(first.message.anomalies.isEmpty)
    }

    @Test func pendingQueriesAreBounded() {
        var state = DNS.makeState()
        var overflowed = 0
        for id in 0..<200 {
            var query = F.query
            query[0] = UInt8(id >> 8)
            query[1] = UInt8(id & 0xff)
            if case .success(let parsed) = H.parse(DNS.self, query, state: &state, time: Int64(id)),
                parsed.message.anomalies.contains(.pendingOverflow)
            {
                overflowed += 1
            }
        }
        #expect(state.pending.count == DNS.State.pendingCapacity)
        #expect(overflowed == 200 - DNS.State.pendingCapacity)
    }

    @Test func opcodesAndTheirCodes() throws {
        var update = F.query
        update[2] = 0x28  // opcode 5 (UPDATE)
        let run = try #require(H.run(DNS.self, update))
        #expect(run.parsed.functionCode == 5)
        #expect(run.message.functionName == "update")
        #expect(run.message.operation == .write)
        var unknown = F.response
        unknown[2] = 0x80 | 9 << 3  // response, opcode 9
        let odd = try #require(H.run(DNS.self, unknown, .toClient))
        #expect(odd.parsed.functionCode == 25)
        #expect(odd.parsed.anomalies.contains(.unknownOpcode))
        #expect(odd.message.functionName == "opcode_9_response")
    }

    @Test func namesKeepUTF8AndEscapeTheRest() {
        let message: [UInt8] =
            [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
            + [5, 0x4b, 0xc3, 0xbc, 0x63, 0x68]  // "Küch" (valid UTF-8)
            + [3, 0x61, 0x2e, 0x62]  // "a.b": the dot is part of the label
            + [2, 0xff, 0x01]  // not UTF-8, a control byte
            + [0, 0, 1, 0, 1]
        #expect(H.dnsName(message, at: 12) == "Küch.a\\.b.\\255\\001")
        #expect(H.dnsName([0], at: 0) == ".")
    }

    @Test func tcpFramingTakesOneMessageAtATime() {
        let stream = F.framed(F.query) + F.framed(F.response) + [0x00]
        var state = DNSOverTCP.makeState()
        var offset = 0
        var codes: [Int] = []
        var stop: DissectError?
        while offset < stream.count {
            switch H.parse(DNSOverTCP.self, Array(stream[offset...]), state: &state) {
            case .success(let parsed):
                codes.append(parsed.message.functionCode)
                offset += parsed.consumed
            case .failure(let error):
                stop = error
                offset = stream.count
            }
        }
        #expect(codes == [0, 16])
        #expect(stop == .needMore(2))
        #expect(H.probe(DNSOverTCP.self, F.framed(F.query)) == .match)
        #expect(H.probe(DNSOverTCP.self, [0x00]) == .needMore)
        #expect(H.probe(DNSOverTCP.self, [0x00, 0x05, 1, 2, 3, 4, 5]) == .reject)
        // A frame shorter than a header is taken whole and flagged.
        var short = DNSOverTCP.makeState()
        guard case .success(let tiny) = H.parse(DNSOverTCP.self, [0x00, 0x03, 1, 2, 3, 0x00], state: &short)
        else { return }
        #expect(tiny.consumed == 5)
        #expect(!tiny.message.hasFunction)
        #expect(tiny.message.anomalies.contains(.shortMessage))
    }

    @Test func probeWantsAPlausibleHeader() {
        #expect(H.probe(DNS.self, F.query) == .match)
        #expect(H.probe(DNS.self, Array(F.query.prefix(11))) == .reject)
        var flood = F.query
        flood[4] = 0xff  // 65,281 questions in 21 bytes
        #expect(H.probe(DNS.self, flood) == .reject)
    }
}
