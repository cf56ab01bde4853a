import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct TACACSTests {
    static let nas = Endpoint(address: IPAddress(v4: 0x0a1e_0001), port: 40_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 49)

    /// Header: version 0xC0 (or 0xC1), type, seq_no, flags, session id, body length; then the body.
    static func packet(type: UInt8, seq: UInt8, flags: UInt8, body: [UInt8], version: UInt8 = 0xC1) -> [UInt8] {
        let n = body.count
        return [version, type, seq, flags, 0, 0, 0x10, 0x02,
                UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
    }

    /// START: action login (1), priv 1, PAP (2), service login (1), lengths user 8, port 4,
    /// rem_addr 9, data 8; "operator", "vty1", "10.30.0.6", the password "plain-pw".
    static let papStart = packet(type: 1, seq: 1, flags: 0x01,
                                 body: [1, 1, 2, 1, 8, 4, 9, 8] + Array("operatorvty110.30.0.6plain-pw".utf8))
    /// Authorization REQUEST: method, priv, type, service, lengths user 5, port 0, rem_addr 0,
    /// 1 argument of 13; "admin", "service=shell".
    static let authorization = packet(type: 2, seq: 1, flags: 0x01,
                                      body: [6, 1, 1, 1, 5, 0, 0, 1, 13] + Array("adminservice=shell".utf8))
    /// An obfuscated START: its body is opaque.
    static let obfuscated = packet(type: 1, seq: 1, flags: 0, body: [0x8F, 0x13, 0x77, 0x02, 0x99, 0x41, 0x00, 0x3E])

    static func parse(_ bytes: [UInt8], _ direction: Direction = .toServer)
        -> Result<(message: TACACS.Packet, consumed: Int), DissectError>
    {
        var state = TACACS.makeState()
        do throws(DissectError) {
            return .success(try TACACS.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: 0),
                                             state: &state))
        } catch {
            return .failure(error)
        }
    }

    static func event(_ bytes: [UInt8], _ direction: Direction = .toServer) -> (TACACS.Packet, Message, [AssetFact])? {
        guard case .success(let parsed) = parse(bytes, direction), parsed.consumed == bytes.count else {
            Issue.record("packet did not parse whole")
            return nil
        }
        var state = TACACS.makeState()
        let context = MessageContext(time: Timestamp(nanoseconds: 0), flowID: 1, client: nas, server: server,
                                     direction: direction)
        return (parsed.message, TACACS.event(parsed.message, bytes: bytes.span, context: context, state: &state),
                TACACS.facts(parsed.message, bytes: bytes.span, context: context, state: state))
    }

    @Test func clearPAPStart() throws {
        let (packet, event, facts) = try #require(Self.event(Self.papStart))
        #expect(packet.functionCode == 1 && packet.sessionID == 0x1002 && packet.minorVersion == 1)
        #expect(packet.decodedBody)
        #expect(event.anomalies == ["tacacs_unencrypted", "cleartext_password"])
        #expect(event.functionName == "authentication_start" && event.operation == .auth)
        #expect(event.targets.map(\.kind) == ["session", "start", "user", "port", "rem_addr"])
        #expect(event.targets.compactMap(\.name) == ["operator", "vty1", "10.30.0.6"])
        #expect(event.targets[1].values == [1, 2])
        // The password is never in the event.
        #expect(!event.targets.contains { ($0.name ?? "").contains("plain") })
        #expect(facts.map(\.value) == ["operator"] && facts.first?.address == IPAddress("10.30.0.6"))
    }

    @Test func clearAuthorizationRequest() throws {
        let (packet, event, _) = try #require(Self.event(Self.authorization))
        #expect(packet.argumentCount == 1 && event.targets.compactMap(\.name) == ["admin"])
        #expect(event.functionName == "authorization_request" && !packet.anomalies.contains(.cleartextPassword))
    }

    @Test func obfuscatedBodiesStayOpaque() throws {
        let (packet, event, facts) = try #require(Self.event(Self.obfuscated))
        #expect(!packet.decodedBody && event.anomalies.isEmpty && event.targets.map(\.kind) == ["session"])
        #expect(facts.isEmpty)
        let reply = Self.packet(type: 1, seq: 2, flags: 0, body: [1, 2, 3, 4, 5, 6])
        let (_, replyEvent, replyFacts) = try #require(Self.event(reply, .toClient))
        #expect(replyEvent.functionName == "authentication_reply" && replyFacts.map(\.value) == ["tacacs_server"])
    }

    @Test func badFieldLengthsAndHeaders() {
        var lying = Self.papStart
        lying[12 + 4] = 200  // user_len past the body
        guard case .success(let parsed) = Self.parse(lying) else { return }
        #expect(parsed.message.anomalies.contains(.invalidLength) && !parsed.message.decodedBody)
        let tiny = Self.packet(type: 1, seq: 1, flags: 1, body: [1, 1])
        guard case .success(let short) = Self.parse(tiny) else { return }
        #expect(short.message.anomalies.contains(.invalidLength))
        var badType = Self.papStart
        badType[1] = 9
        guard case .failure(.malformed) = Self.parse(badType) else {
            Issue.record("type 9 accepted")
            return
        }
        var huge = Self.papStart
        huge[8] = 0x7F
        guard case .failure(.malformed) = Self.parse(huge) else {
            Issue.record("2 GB body accepted")
            return
        }
        #expect(TACACS.probe(Self.papStart.span, direction: .toServer) == .match)
        #expect(TACACS.probe(Self.papStart.span, direction: .toClient) == .reject)
        #expect(TACACS.probe([0xC0, 1].span, direction: .toServer) == .needMore)
        #expect(TACACS.probe(Array("SSH-2.0-x\r\n..".utf8).span, direction: .toServer) == .reject)
        #expect(TACACS.resynchronize(([0, 1, 2] + Self.obfuscated).span, direction: .toServer) == 3)
    }

    @Test(arguments: 0..<3)
    func everyTruncationAsksForMore(_ which: Int) {
        let fixture = [Self.papStart, Self.authorization, Self.obfuscated][which]
        for cut in 0..<fixture.count {
            guard case .failure(.needMore(let n)) = Self.parse(Array(fixture.prefix(cut))) else {
                Issue.record("prefix \(cut) did not ask for more")
                continue
            }
            #expect(n > cut && n <= fixture.count)
        }
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 49)
        for round in 0..<3000 {
            var bytes = [Self.papStart, Self.authorization, Self.obfuscated][round % 3]
            if round % 2 == 0 {
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let index = Int.random(in: 12..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                bytes = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            }
            if case .success = Self.parse(bytes) { _ = Self.event(Array(bytes.prefix(max(12, bytes.count)))) }
            _ = TACACS.probe(bytes.span, direction: .toServer)
            _ = TACACS.resynchronize(bytes.span, direction: .toServer)
        }
    }

    @Test func captureCountsEqualTshark() throws {
        let folder = ITRemoteCaptureRunner<TACACS>.fixtures("tacacs")
        let expected = ITRemoteCaptureRunner<TACACS>.golden(
            try String(contentsOf: folder.appendingPathComponent("tacacs-exchange.tshark.txt"), encoding: .utf8))
        let result = ITRemoteCaptureRunner<TACACS>(ports: [49])
            .run(path: folder.appendingPathComponent("tacacs-exchange.pcap").path)
        #expect(!expected.isEmpty && result.functions == expected && result.malformed == 0)
        let anomalies = result.messages.flatMap(\.anomalies)
        #expect(anomalies.filter { $0 == "tacacs_unencrypted" }.count == 4 && anomalies.contains("cleartext_password"))
        #expect(result.facts.filter { $0.kind == .userName }.map(\.value) == ["operator", "operator"])
        #expect(result.facts.filter { $0.kind == .role }.count == 4)
        let users = result.messages.flatMap(\.targets).filter { $0.kind == "user" }.compactMap(\.name)
        #expect(users == ["operator", "operator"])
    }
}
