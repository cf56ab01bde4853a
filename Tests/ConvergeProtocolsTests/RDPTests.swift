import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct RDPTests {
    static func parse(_ bytes: [UInt8], _ direction: Direction, state: inout RDP.State)
        -> Result<(message: RDP.Message, consumed: Int), DissectError>
    {
        do throws(DissectError) {
            return .success(try RDP.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: 0), state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Connection request: TPKT (3, 0, length 43), X.224 (LI 38, CR 0xE0, refs, class), cookie,
    /// RDP_NEG_REQ (type 1, flags 0, length 8, protocols TLS|CredSSP|early user auth).
    static let request: [UInt8] = [0x03, 0x00, 0x00, 0x2B, 0x26, 0xE0, 0, 0, 0, 0, 0]
        + Array("Cookie: mstshash=alice\r\n".utf8) + [0x01, 0x00, 0x08, 0x00, 0x0B, 0, 0, 0]
    /// Connection confirm: TPKT, X.224 (LI 14, CC 0xD0), RDP_NEG_RSP selecting CredSSP (2).
    static let confirm: [UInt8] = [0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0, 0, 0x12, 0x34, 0,
                                   0x02, 0x1F, 0x08, 0x00, 0x02, 0, 0, 0]
    /// Confirm with no negotiation response: standard RDP security.
    static let bareConfirm: [UInt8] = [0x03, 0x00, 0x00, 0x0B, 0x06, 0xD0, 0, 0, 0x12, 0x34, 0]

    @Test func cookieAndProtocols() throws {
        var state = RDP.makeState()
        guard case .success(let parsed) = Self.parse(Self.request, .toServer, state: &state) else {
            Issue.record("request did not parse")
            return
        }
        #expect(parsed.consumed == Self.request.count && parsed.message.functionCode == 0x0E)
        #expect(parsed.message.protocols == 0x0B && parsed.message.anomalies.isEmpty)
        let context = MessageContext(time: Timestamp(nanoseconds: 0), flowID: 1,
                                     client: SMBFixtures.client, server: SMBFixtures.server, direction: .toServer)
        let event = RDP.event(parsed.message, bytes: Self.request.span, context: context, state: &state)
        #expect(event.targets.map(\.name) == ["alice", "tls,credssp,credssp_early_user_auth"])
        let facts = RDP.facts(parsed.message, bytes: Self.request.span, context: context, state: state)
        #expect(facts.map(\.value) == ["alice"] && facts.first?.kind == .userName)
        guard case .success(let answer) = Self.parse(Self.confirm, .toClient, state: &state) else {
            Issue.record("confirm did not parse")
            return
        }
        #expect(answer.message.negotiationType == 2 && state.selected == 2 && answer.message.anomalies.isEmpty)
        guard case .success(let bare) = Self.parse(Self.bareConfirm, .toClient, state: &state) else {
            Issue.record("bare confirm did not parse")
            return
        }
        #expect(bare.message.anomalies.contains(.standardSecurity))
    }

    @Test func tlsAndFastPathAreSkippedUncounted() {
        var state = RDP.makeState()
        let tls: [UInt8] = [0x17, 0x03, 0x03, 0x00, 0x02, 0xAA, 0xBB]
        guard case .success(let record) = Self.parse(tls, .toClient, state: &state) else {
            Issue.record("TLS record not skipped")
            return
        }
        #expect(record.consumed == 7 && !record.message.hasFunction)
        let fast: [UInt8] = [0x00, 0x80, 0x05, 1, 2]
        guard case .success(let pdu) = Self.parse(fast, .toClient, state: &state) else {
            Issue.record("fast-path not skipped")
            return
        }
        #expect(pdu.consumed == 5 && pdu.message.kind == .fastPath)
        guard case .failure(.malformed) = Self.parse([0x01, 0x02], .toServer, state: &state) else {
            Issue.record("junk accepted")
            return
        }
    }

    @Test(arguments: [request, confirm, bareConfirm])
    func everyTruncationAsksForMore(_ fixture: [UInt8]) {
        for cut in 0..<fixture.count {
            var state = RDP.makeState()
            guard case .failure(.needMore(let n)) = Self.parse(Array(fixture.prefix(cut)), .toServer, state: &state) else {
                Issue.record("prefix \(cut) did not ask for more")
                continue
            }
            #expect(n > cut)
        }
    }

    @Test func lyingLengths() {
        var state = RDP.makeState()
        var request = Self.request
        request[4] = 0xF0  // X.224 length indicator past the TPKT
        guard case .success(let parsed) = Self.parse(request, .toServer, state: &state) else {
            Issue.record("bad LI broke framing")
            return
        }
        #expect(parsed.message.anomalies.contains(.invalidLength))
        var noCRLF = Self.request
        noCRLF[11 + 22] = 0x41  // cookie loses its CR
        guard case .success(let cookie) = Self.parse(noCRLF, .toServer, state: &state) else {
            Issue.record("cookie without CR LF broke framing")
            return
        }
        #expect(cookie.message.anomalies.contains(.invalidCookie) && cookie.message.cookieLength == 0)
        guard case .failure(.malformed) = Self.parse([0x03, 0x00, 0x00, 0x02, 0, 0], .toServer, state: &state) else {
            Issue.record("TPKT length 2 accepted")
            return
        }
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x0D_3389)
        let seeds = [Self.request, Self.confirm, Self.bareConfirm]
        for round in 0..<3000 {
            var bytes = seeds[round % 3]
            if round % 2 == 0 {
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                bytes = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            var state = RDP.makeState()
            if case .success(let parsed) = Self.parse(bytes, .toServer, state: &state) {
                #expect(parsed.consumed > 0 && parsed.consumed <= bytes.count)
                let context = MessageContext(time: Timestamp(nanoseconds: 0), flowID: 1, client: SMBFixtures.client,
                                             server: SMBFixtures.server, direction: .toServer)
                _ = RDP.event(parsed.message, bytes: bytes.span, context: context, state: &state)
                _ = RDP.facts(parsed.message, bytes: bytes.span, context: context, state: state)
            }
            _ = RDP.probe(bytes.span, direction: .toServer)
            _ = RDP.resynchronize(bytes.span, direction: .toServer)
        }
    }

    @Test func captureCountsEqualTshark() throws {
        let folder = ITRemoteCaptureRunner<RDP>.fixtures("rdp")
        let expected = ITRemoteCaptureRunner<RDP>.golden(
            try String(contentsOf: folder.appendingPathComponent("rdp-negotiation.tshark.txt"), encoding: .utf8))
        let result = ITRemoteCaptureRunner<RDP>(ports: [3389])
            .run(path: folder.appendingPathComponent("rdp-negotiation.pcap").path)
        #expect(!expected.isEmpty && result.functions == expected && result.malformed == 0)
        #expect(result.facts.filter { $0.kind == .userName }.map(\.value) == ["alice", "OPERATOR"])
        let anomalies = result.messages.flatMap(\.anomalies)
        #expect(anomalies.filter { $0 == "standard_rdp_security" }.count == 1)
        #expect(anomalies.contains("negotiation_failure") && anomalies.filter { $0 == "no_nla_offered" }.count == 2)
    }
}
