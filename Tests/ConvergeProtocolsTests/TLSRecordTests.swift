import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

@Suite struct TLSRecordTests {
    typealias F = TLSFixtures

    @Test func clientHelloInOneRecord() throws {
        var state = TLS.makeState()
        let out = F.run(F.clientHelloRecord, .toServer, state: &state)
        #expect(out.error == nil)
        let frame = try #require(out.frames.first)
        #expect(out.frames.count == 1)
        #expect(frame.kind == .handshake && frame.hasFunction && frame.functionCode == 1)
        #expect(frame.recordVersion == 0x0301 && frame.helloVersion == 0x0303 && frame.selectedVersion == 0x0304)
        #expect(frame.anomalies.isEmpty)
        let event = try #require(out.events.first)
        #expect(event.functionName == "client_hello" && event.operation == .session)
        let targets = Dictionary(event.targets.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(targets["server_name"]?.name == "example.com")
        #expect(targets["alpn"]?.name == "h2,http/1.1")
        #expect(targets["version"]?.name == "tls1.3")
        #expect(targets["cipher_suites"]?.count == 3)
        // GREASE left out of ciphers and groups (values checked with Python's hashlib).
        #expect(targets["ja3"]?.name == "771,4865-49199-255,0-10-11-13-16-43,29,0")
        #expect(targets["ja3"]?.value == "3785d561c83963aa014a2d3ebc95e40e")
        #expect(targets["ja4"]?.value == "t13d0306h2_938715873a05_fb71836bce29")
        #expect(
            out.facts.contains { $0.kind == .hostname && $0.value == "example.com" && $0.address == F.server.address })
        #expect(out.facts.contains { $0.kind == .fingerprint && $0.value == "ja3=3785d561c83963aa014a2d3ebc95e40e" })
    }

    @Test func serverFlightInOneRecordIsThreeMessages() throws {
        // ServerHello (TLS 1.2 style, no extensions), Certificate (empty list), ServerHelloDone.
        let hello = [0x03, 0x03] + F.random + [0x00, 0xc0, 0x2f, 0x00]
        let flight = F.handshake(2, hello) + F.handshake(11, [0, 0, 0]) + F.handshake(14, [])
        var state = TLS.makeState()
        let out = F.run(F.record(22, flight), .toClient, state: &state)
        #expect(out.error == nil)
        #expect(out.frames.map(\.functionCode) == [2, 11, 14])
        #expect(out.frames[0].cipherSuite == 0xc02f && out.frames[0].selectedVersion == 0x0303)
        #expect(state.shared.negotiatedVersion == 0x0303)
        #expect(out.events[1].anomalies == ["tls.malformed_certificate"])
        #expect(out.events[0].targets.first { $0.kind == "ja3s" }?.name == "771,49199,")
    }

    @Test func tls13ServerHelloGivesJA3SAndVersion() throws {
        var state = TLS.makeState()
        let out = F.run(F.record(22, F.handshake(2, F.serverHelloBody)), .toClient, state: &state)
        let event = try #require(out.events.first)
        #expect(event.targets.first { $0.kind == "version" }?.name == "tls1.3")
        #expect(event.targets.first { $0.kind == "ja3s" }?.value == "f4febc55ea12b31ae17cfb7e614afda8")
        #expect(state.shared.negotiatedVersion == 0x0304)
    }

    @Test func clientHelloSplitAcrossRecords() throws {
        let message = F.handshake(1, F.clientHelloBody)
        for cut in [1, 2, 3, 4, 5, 40, message.count - 1] {
            let bytes =
                F.record(22, Array(message[..<cut]), version: 0x0301)
                + F.record(22, Array(message[cut...]), version: 0x0301)
            var state = TLS.makeState()
            let out = F.run(bytes, .toServer, state: &state)
            #expect(out.error == nil)
            #expect(out.frames.map(\.kind) == [.handshakeFragment, .handshake], "cut \(cut)")
            #expect(out.frames.last?.functionCode == 1 && out.frames.last?.messageOffset == -1)
            #expect(out.events.last?.targets.first { $0.kind == "ja3" }?.value == "3785d561c83963aa014a2d3ebc95e40e")
            #expect(out.frames.first?.anomalies.contains(.fragmentedHandshake) == (cut < 4))
        }
    }

    @Test func clientHelloInThreeRecordsThenAnother() throws {
        let message = F.handshake(1, F.clientHelloBody)
        let bytes =
            F.record(22, Array(message[..<10])) + F.record(22, Array(message[10..<50]))
            + F.record(22, Array(message[50...]) + F.handshake(16, [1, 2]))
        var state = TLS.makeState()
        let out = F.run(bytes, .toServer, state: &state)
        #expect(out.error == nil)
        #expect(out.frames.filter(\.hasFunction).map(\.functionCode) == [1, 16])
    }

    @Test func drippedByteByByte() throws {
        let stream =
            F.clientHelloRecord + F.record(20, [1]) + F.record(22, [0x14, 0, 0, 12] + [UInt8](repeating: 9, count: 12))
        var state = TLS.makeState()
        var buffer: [UInt8] = []
        var functions: [Int] = []
        var kinds: [TLS.Frame.Kind] = []
        for byte in stream {
            buffer.append(byte)
            while !buffer.isEmpty, case .success(let parsed) = F.parse(buffer, .toServer, state: &state) {
                kinds.append(parsed.message.kind)
                if parsed.message.hasFunction { functions.append(parsed.message.functionCode) }
                buffer.removeFirst(parsed.consumed)
            }
        }
        #expect(buffer.isEmpty)
        #expect(functions == [1])
        // ChangeCipherSpec makes the next handshake record (Finished) encrypted, read by pieces.
        #expect(kinds.prefix(2) == [.handshake, .changeCipherSpec])
        #expect(kinds.dropFirst(2).allSatisfy { $0 == .encryptedHandshake })
    }

    @Test func tls13ChangeCipherSpecDoesNotEncryptHandshake() throws {
        var state = TLS.makeState()
        _ = F.run(F.record(22, F.handshake(2, F.serverHelloBody)), .toClient, state: &state)
        let out = F.run(F.record(20, [1]) + F.clientHelloRecord, .toServer, state: &state)
        #expect(out.frames.map(\.kind) == [.changeCipherSpec, .handshake])
    }

    @Test func applicationDataRunsAreSkippedAcrossSegments() throws {
        let data =
            F.record(23, [UInt8](repeating: 0xaa, count: 100)) + F.record(23, [UInt8](repeating: 0xbb, count: 50))
            + F.record(23, [UInt8](repeating: 0xcc, count: 300))
        var state = TLS.makeState()
        // The first segment ends 20 bytes into the third record.
        guard case .success(let first) = F.parse(Array(data[..<(105 + 55 + 25)]), .toServer, state: &state) else {
            Issue.record("no parse")
            return
        }
        #expect(first.message.kind == .applicationData && !first.message.hasFunction)
        #expect(first.consumed == 185 && first.message.records == 3 && first.message.skippedBytes == 170)
        #expect(state.client.recordRemaining == 280)
        let out = F.run(Array(data[185...]) + F.record(21, [1, 0]), .toServer, state: &state)
        #expect(out.frames.map(\.kind) == [.applicationData, .alert])
        #expect(out.events.last?.targets.first?.name == "close_notify")
        #expect(state.client.recordRemaining == 0)
    }

    @Test func fatalAlertIsAnException() throws {
        var state = TLS.makeState()
        let out = F.run(F.record(21, [2, 40]), .toClient, state: &state)
        #expect(out.events.first?.status == .exception(code: 40, name: "handshake_failure"))
    }

    @Test func heartbleedRequestIsFlagged() throws {
        var state = TLS.makeState()
        let out = F.run(F.record(24, [1, 0x40, 0x00, 0x41]), .toServer, state: &state)
        #expect(out.frames.first?.kind == .heartbeat)
        #expect(out.events.first?.anomalies == ["tls.heartbleed"])
        var fine = TLS.makeState()
        let ok = F.run(F.record(24, [1, 0x00, 0x01, 0x41] + [UInt8](repeating: 0, count: 16)), .toServer, state: &fine)
        #expect(ok.events.first?.anomalies == [])
    }

    @Test func oversizedHandshakeIsKeptBoundedAndCounted() throws {
        // A 40,000-byte Certificate in three records: counted once, kept up to maxReassembly.
        let message = F.handshake(11, [UInt8](repeating: 0x30, count: 40_000))
        let records = stride(from: 0, to: message.count, by: 16_384).map { start in
            F.record(22, Array(message[start..<min(start + 16_384, message.count)]))
        }
        var state = TLS.makeState()
        let out = F.run(records.flatMap { $0 }, .toClient, state: &state)
        #expect(out.error == nil)
        #expect(out.frames.filter(\.hasFunction).map(\.functionCode) == [11])
        #expect(out.frames.last?.truncated == true)
        #expect(state.server.buffer.count == TLS.maxReassembly)
        #expect(out.events.last?.anomalies.contains("tls.reassembly_truncated") == true)
    }

    @Test func badRecordHeadersAreMalformed() {
        for bytes: [UInt8] in [
            [0x47, 0x45, 0x54, 0x20, 0x2f],  // "GET /"
            [22, 2, 0, 0, 1, 0],  // major version 2
            [22, 3, 5, 0, 1, 0],  // minor version 5
            [23, 3, 3, 0x48, 0x01],  // length 18433 > 2^14 + 2048
        ] {
            var state = TLS.makeState()
            guard case .failure(.malformed) = F.parse(bytes, .toServer, state: &state) else {
                Issue.record("\(bytes) not malformed")
                continue
            }
            #expect(TLS.probe(bytes.span, direction: .toServer) == .reject)
        }
        #expect(TLS.probe([22, 3].span, direction: .toServer) == .needMore)
        #expect(TLS.probe(F.clientHelloRecord.span, direction: .toServer) == .match)
        #expect(TLS.probe([23, 3, 3, 0, 10].span, direction: .toClient) == .match)
    }

    @Test func malformedHelloFieldsAreAnomalies() throws {
        var body = F.clientHelloBody
        body[35 + 1] = 0xff  // cipher suite length runs past the message
        var state = TLS.makeState()
        let out = F.run(F.record(22, F.handshake(1, body)), .toServer, state: &state)
        #expect(out.frames.first?.anomalies.contains(.malformedHello) == true)
        var extensionBody = F.clientHelloBody
        extensionBody[52] = 0xff  // the server_name extension's length runs past the block
        var other = TLS.makeState()
        let bad = F.run(F.record(22, F.handshake(1, extensionBody)), .toServer, state: &other)
        #expect(bad.frames.first?.anomalies.contains(.malformedHello) == true)
        #expect(bad.events.count == 1)
    }

    @Test func resynchronizeFindsTheNextRecord() {
        let bytes: [UInt8] = [0xde, 0xad, 0x17] + F.record(23, [1, 2, 3]) + F.record(23, [4])
        #expect(TLS.resynchronize(bytes.span, direction: .toServer) == 3)
        #expect(TLS.resynchronize([1, 2, 3, 4, 5, 6].span, direction: .toServer) == nil)
    }

    static let flight = F.clientHelloRecord + F.record(20, [1])

    @Test(arguments: 0..<flight.count)
    func everyPrefixNeedsMoreOrParses(length: Int) {
        var state = TLS.makeState()
        let prefix = Array(Self.flight[..<length])
        let out = F.run(prefix, .toServer, state: &state)
        if let error = out.error {
            guard case .needMore(let needed) = error else {
                Issue.record("prefix \(length): \(error)")
                return
            }
            #expect(needed > out.rest)
        }
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x7151)
        for round in 0..<3_000 {
            let count = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Half the inputs start with a plausible handshake record so the deeper readers run.
            if round % 2 == 0, bytes.count > 9 {
                bytes[0] = 22
                bytes[1] = 3
                bytes[2] = UInt8.random(in: 0...4, using: &generator)
                bytes[3] = 0
                bytes[4] = UInt8(min(bytes.count - 5, 255))
                bytes[5] = [1, 2, 11, 4][round % 4]
            }
            var state = TLS.makeState()
            for direction in [Direction.toServer, .toClient] {
                let out = F.run(bytes, direction, state: &state)
                #expect(out.frames.count <= bytes.count + 1)
            }
        }
    }
}
