import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// S7comm-plus recognition: header versions, opcode, function, session, protection, framing.
@Suite struct S7CommPlusTests {
    /// V1 CreateObject request (30 bytes): session 0x120, sequence 1.
    static let v1Request: [UInt8] = [
        0x03, 0x00, 0x00, 0x1e, 0x02, 0xf0, 0x80,  // TPKT 30, COTP DT EOT
        0x72, 0x01, 0x00, 0x0f,  // S7comm-plus V1, data length 15
        0x31, 0x00, 0x00, 0x04, 0xca, 0x00, 0x00, 0x00, 0x01,  // request, CreateObject, sequence 1
        0x00, 0x00, 0x01, 0x20, 0x36, 0x00,  // session 0x120, transport flags, one data byte
        0x72, 0x01, 0x00, 0x00,  // trailer
    ]
    /// V2 SetMultiVariables response (S7-1200-Uploading-OB1-TIAV12 frame 11).
    static let v2Response: [UInt8] = S7Fixtures.hex("0300001f02f080720200103200000542000000023400000000000072020000")

    /// V3 GetMultiVariables request: digest length 32, digest, operation header.
    static var v3Request: [UInt8] {
        let operation: [UInt8] = [0x31, 0x00, 0x00, 0x05, 0x4c, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x03, 0x88, 0x34]
        let data: [UInt8] = [0x20] + Array(repeating: 0xa5, count: 32) + operation
        let pdu: [UInt8] = [0x72, 0x03, 0x00, UInt8(data.count)] + data + [0x72, 0x03, 0x00, 0x00]
        return [0x03, 0x00, 0x00, UInt8(7 + pdu.count), 0x02, 0xf0, 0x80] + pdu
    }

    static func dt(_ payload: [UInt8]) -> [UInt8] {
        [0x03, 0x00, UInt8((7 + payload.count) >> 8), UInt8((7 + payload.count) & 0xff), 0x02, 0xf0, 0x80] + payload
    }

    static func parse(_ bytes: [UInt8], _ direction: Direction, state: inout S7CommPlus.State, time: Int64 = 0)
        -> (frame: S7CommPlus.Frame, message: Message)?
    {
        guard case .success(let parsed) = S7Fixtures.parse(S7CommPlus.self, bytes, direction, state: &state, time: time)
        else { return nil }
        let message = S7CommPlus.event(
            parsed.message, bytes: bytes.span, context: S7Fixtures.context(direction, time: time), state: &state)
        return (parsed.message, message)
    }

    @Test func v1RequestAndPairedResponse() throws {
        var state = S7CommPlus.makeState()
        let request = try #require(Self.parse(Self.v1Request, .toServer, state: &state, time: 10))
        #expect(request.frame.version == 1 && request.frame.opcode == 0x31 && request.frame.hasTrailer)
        #expect(request.frame.function == 0x04ca && request.frame.sequence == 1 && request.frame.sessionID == 0x120)
        #expect(request.frame.security == .none)
        #expect(request.message.functionName == "create_object" && request.message.operation == .session)
        #expect(request.message.proto == "s7comm-plus" && request.message.functionCode == 0x04ca)
        #expect(request.message.targets == [Message.Target(
            kind: "session_none", address: 0x120, values: [0, 1, 1],
            value: "opcode=request version=v1 integrity_protected=false encrypted=false")])
        var response = Self.v1Request
        response[11] = 0x32
        let answer = try #require(Self.parse(response, .toClient, state: &state, time: 50))
        #expect(answer.message.roundTripNanoseconds == 40 && answer.message.status == .ok)
        #expect(answer.frame.anomalies.isEmpty)
    }

    @Test func v2IsLegacyIntegrityAndV3HasADigest() throws {
        var state = S7CommPlus.makeState()
        let v2 = try #require(Self.parse(Self.v2Response, .toClient, state: &state))
        #expect(v2.frame.function == 0x0542 && v2.frame.security == .legacyIntegrity)
        #expect(v2.message.operation == .write && v2.frame.anomalies == [.unsolicitedResponse])
        let v3 = try #require(Self.parse(Self.v3Request, .toServer, state: &state))
        #expect(v3.frame.integrityDigestLength == 32 && v3.frame.function == 0x054c)
        #expect(v3.frame.sessionID == 0x388 && v3.frame.security == .integrity)
        #expect(v3.message.targets.first?.kind == "session_integrity" && v3.message.operation == .read)
        #expect(v3.message.targets.first?.value
            == "opcode=request version=v3 integrity_protected=true encrypted=false body=not_decoded")
        #expect(v3.message.targets.count == 1)
        #expect(v2.message.targets.first?.values == [1, 2, 2])
    }

    @Test(arguments: 0..<62)
    func truncatedV3NeedsMore(length: Int) {
        let bytes = Self.v3Request
        #expect(bytes.count == 62)
        var state = S7CommPlus.makeState()
        let result = S7Fixtures.parse(S7CommPlus.self, Array(bytes.prefix(length)), .toServer, state: &state)
        guard case .failure(.needMore(let needed)) = result else {
            Issue.record("prefix \(length): \(result)")
            return
        }
        #expect(needed > length && needed <= bytes.count)
    }

    @Test func tlsAfterInitSSL() throws {
        var state = S7CommPlus.makeState()
        var initSSL = Self.v1Request
        initSSL[14] = 0x05
        initSSL[15] = 0xb3
        _ = try #require(Self.parse(initSSL, .toServer, state: &state))
        var reply = initSSL
        reply[11] = 0x32
        let answer = try #require(Self.parse(reply, .toClient, state: &state))
        #expect(answer.message.functionName == "init_ssl")
        let record = Self.dt([0x17, 0x03, 0x03, 0x00, 0x02, 0xde, 0xad])
        let tls = try #require(Self.parse(record, .toServer, state: &state))
        #expect(tls.frame.kind == .tls && tls.frame.security == .tls && !tls.frame.hasFunction)
        #expect(tls.message.functionName == "tls_record")
        #expect(tls.message.targets.count == 1)
        #expect(tls.message.targets.first?.value?.hasSuffix("encrypted=true body=not_decoded") == true)
        #expect(S7CommPlus.probe(record.span, direction: .toServer) == .match)
    }

    @Test func aMessageWithoutTrailerContinues() throws {
        var state = S7CommPlus.makeState()
        // First part: header with data length 14 and no trailer.
        let first = Self.dt([0x72, 0x02, 0x00, 0x0e, 0x31, 0x00, 0x00, 0x05, 0x86, 0x00, 0x00, 0x00, 0x07,
            0x00, 0x00, 0x03, 0x88, 0x34])
        let part = try #require(Self.parse(first, .toServer, state: &state))
        #expect(part.frame.function == 0x0586 && !part.frame.hasTrailer && part.frame.anomalies.isEmpty)
        let second = Self.dt([0x72, 0x02, 0x00, 0x02, 0x01, 0x02, 0x72, 0x02, 0x00, 0x00])
        let rest = try #require(Self.parse(second, .toServer, state: &state))
        #expect(rest.frame.kind == .continuation && !rest.frame.hasFunction)
        let next = try #require(Self.parse(Self.v1Request, .toServer, state: &state))
        #expect(next.frame.kind == .pdu && next.frame.function == 0x04ca)
    }

    @Test func badHeadersAreAnomalies() throws {
        var state = S7CommPlus.makeState()
        var wrongLength = Self.v1Request
        wrongLength[10] = 0x40
        let long = try #require(Self.parse(wrongLength, .toServer, state: &state))
        #expect(long.frame.anomalies.contains(.lengthMismatch))
        var wrongVersion = Self.v1Request
        wrongVersion[8] = 0x09
        let version = try #require(Self.parse(wrongVersion, .toServer, state: &state))
        #expect(version.frame.anomalies.contains(.unknownVersion))
        var unknownFunction = Self.v1Request
        unknownFunction[14] = 0x7f
        let unknown = try #require(Self.parse(unknownFunction, .toServer, state: &state))
        #expect(unknown.frame.anomalies.contains(.unknownFunction) && unknown.message.functionName == "unknown_0x7fca")
        var badDigest = Self.v3Request
        badDigest[11] = 0x10
        let digest = try #require(Self.parse(badDigest, .toServer, state: &state))
        #expect(digest.frame.anomalies.contains(.invalidIntegrityPart))
        let keepAlive = Self.dt([0x72, 0xff, 0x00, 0x00])
        #expect(try #require(Self.parse(keepAlive, .toServer, state: &state)).frame.kind == .keepAlive)
    }

    @Test func identityFromCreateObjectOnARealCapture() {
        let path = S7CaptureHarness.fixtures.appendingPathComponent("S7-1200-Uploading-OB1-TIAV12.pcap").path
        let result = S7CommPlusCaptureTests.run(path)
        let facts = Set(result.facts.map { "\($0.kind.rawValue)=\($0.value)" })
        #expect(facts == ["product_code=6ES7 214-1HE30-0XB0", "firmware=V2.2", "vendor=Siemens"])
        #expect(result.matchedFlows == 1 && result.malformed == 0)
        #expect(result.parsed.contains { $0.security == .legacyIntegrity })
        let v1511 = S7CommPlusCaptureTests.run(
            S7CaptureHarness.fixtures.appendingPathComponent("S7-1511_db6w0_HMI.pcap").path)
        #expect(Set(v1511.facts.map(\.value)).isSuperset(of: ["6ES7 511-1AK00-0AB0", "V1.0"]))
        // The S7comm dissector turns these flows down by their protocol id.
        #expect(S7CaptureHarness.run(S7Comm.self, path: path).rejectedFlows == 1)
    }

    @Test func randomPayloadsNeverTrap() {
        var generator = SeededGenerator(seed: 0x7272)
        for round in 0..<3000 {
            var payload: [UInt8] = round % 2 == 0 ? Array(Self.v3Request[7...]) : Array(Self.v1Request[7...])
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let at = Int.random(in: 0..<payload.count, using: &generator)
                payload[at] = UInt8.random(in: 0...255, using: &generator)
            }
            payload = Array(payload.prefix(Int.random(in: 0...payload.count, using: &generator)))
            var state = S7CommPlus.makeState()
            for direction in [Direction.toServer, .toClient, .toServer] {
                let bytes = Self.dt(payload)
                guard let parsed = Self.parse(bytes, direction, state: &state) else { continue }
                let context = S7Fixtures.context(direction)
                _ = S7CommPlus.facts(parsed.frame, bytes: bytes.span, context: context, state: state)
            }
        }
        // The same over real bodies that decode item addresses, values and attribute strings.
        for round in 0..<3000 {
            let fixtures = S7CommPlusBodyTests.bodies
            var payload = fixtures[round % fixtures.count]
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let at = Int.random(in: 0..<payload.count, using: &generator)
                payload[at] = UInt8.random(in: 0...255, using: &generator)
            }
            if round % 3 == 0 { payload = Array(payload.prefix(Int.random(in: 0...payload.count, using: &generator))) }
            var state = S7CommPlus.makeState()
            _ = Self.parse(Self.dt(payload), round % 2 == 0 ? .toServer : .toClient, state: &state)
        }
    }
}
