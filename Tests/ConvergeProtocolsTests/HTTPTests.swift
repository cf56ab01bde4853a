import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

@Suite struct HTTPTests {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 80)

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func run(_ bytes: [UInt8], _ direction: Direction, state: inout HTTP.State)
        -> (frames: [HTTP.Frame], events: [Message], facts: [AssetFact], error: DissectError?)
    {
        var frames: [HTTP.Frame] = []
        var events: [Message] = []
        var facts: [AssetFact] = []
        var rest = bytes
        let context = MessageContext(time: .zero, flowID: 5, client: client, server: server, direction: direction)
        while !rest.isEmpty {
            do throws(DissectError) {
                let (frame, consumed) = try HTTP.parse(rest.span, direction: direction, time: .zero, state: &state)
                frames.append(frame)
                let used = Array(rest[..<consumed])
                events.append(HTTP.event(frame, bytes: used.span, context: context, state: &state))
                facts += HTTP.facts(frame, bytes: used.span, context: context, state: state)
                rest.removeFirst(consumed)
            } catch {
                return (frames, events, facts, error)
            }
        }
        return (frames, events, facts, nil)
    }

    static let request = bytes(
        "GET /index.html HTTP/1.1\r\n"  // request line
            + "Host: plc1.plant.example:8080\r\n"
            + "User-Agent: curl/7.88.1\r\n"
            + "Authorization: Basic YWRtaW46YWRtaW4=\r\n"  // admin:admin, must never be kept
            + "\r\n")

    @Test func requestWithBasicAuth() throws {
        var state = HTTP.makeState()
        let out = Self.run(Self.request, .toServer, state: &state)
        #expect(out.error == nil)
        let frame = try #require(out.frames.first)
        #expect(frame.kind == .request && frame.method == .get && frame.functionCode == 1 && frame.minorVersion == 1)
        #expect(frame.authScheme == .basic)
        let event = try #require(out.events.first)
        #expect(event.functionName == "get" && event.operation == .auth && event.status == .pending)
        #expect(event.anomalies == ["http.cleartext_credentials"])
        let targets = Dictionary(event.targets.map { ($0.kind, $0.name ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(targets["uri"] == "/index.html" && targets["host"] == "plc1.plant.example:8080")
        #expect(targets["user_agent"] == "curl/7.88.1" && targets["authorization"] == "basic")
        let everything =
            event.targets.map { "\($0.name ?? "") \($0.value ?? "")" }.joined() + out.facts.map(\.value).joined()
        #expect(!everything.contains("YWRtaW46YWRtaW4="))
        #expect(out.facts.contains { $0.kind == .hostname && $0.value == "plc1.plant.example" })
        #expect(
            out.facts.contains {
                $0.kind == .software && $0.value == "curl/7.88.1" && $0.address == Self.client.address
            })
        #expect(state.pendingCount == 1)
    }

    @Test func responseWithBodyAndDeviceBanner() throws {
        var state = HTTP.makeState()
        _ = Self.run(Self.request, .toServer, state: &state)
        let body = [UInt8](repeating: 0x41, count: 20)
        let response =
            Self.bytes(
                "HTTP/1.1 401 Unauthorized\r\nServer: GoAhead-Webs/2.5 Siemens SIMATIC\r\n"
                    + "WWW-Authenticate: Basic realm=\"PLC\"\r\nContent-Type: text/html\r\nContent-Length: 20\r\n\r\n")
            + body
        let out = Self.run(response, .toClient, state: &state)
        #expect(out.error == nil)
        #expect(out.frames.count == 1 && out.frames[0].status == 401 && out.frames[0].bodyBytes == 20)
        #expect(out.frames[0].requestMethod == .get)
        #expect(out.events[0].status == .exception(code: 401, name: "unauthorized"))
        #expect(out.events[0].targets.contains { $0.kind == "www_authenticate" && $0.name == "Basic realm=\"PLC\"" })
        #expect(out.facts.contains { $0.kind == .vendor && $0.value == "Siemens" })
        #expect(out.facts.contains { $0.kind == .role && $0.value == "embedded_web_server" })
        #expect(state.server.body == .none && state.pendingCount == 0)
    }

    @Test func pipelinedRequestsAndChunkedResponses() throws {
        var state = HTTP.makeState()
        let requests = Self.bytes(
            "HEAD / HTTP/1.1\r\nHost: a\r\n\r\nPOST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /y HTTP/1.1\r\n\r\n")
        let sent = Self.run(requests, .toServer, state: &state)
        #expect(sent.frames.map(\.functionCode) == [3, 2, 1])
        // The HEAD response has a Content-Length but no body; the chunked one carries extensions
        // and a trailer; the last one is read until the connection closes.
        let responses = Self.bytes(
            "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"
                + "HTTP/1.0 200 OK\r\n\r\nanything until close")
        let answered = Self.run(responses, .toClient, state: &state)
        #expect(answered.error == nil)
        #expect(answered.frames.map(\.functionCode) == [200, 201, 200])
        #expect(answered.frames.map(\.requestMethod) == [.head, .post, .get])
        #expect(state.server.body == .untilClose)
        let more = Self.run(Self.bytes("HTTP/1.1 200 OK\r\n"), .toClient, state: &state)
        #expect(more.frames.map(\.kind) == [.body])
    }

    @Test func connectTunnelIsSkippedBothWays() {
        var state = HTTP.makeState()
        _ = Self.run(Self.bytes("CONNECT plc:443 HTTP/1.1\r\nHost: plc:443\r\n\r\n"), .toServer, state: &state)
        let established = Self.bytes("HTTP/1.1 200 Connection established\r\n\r\n") + [22, 3, 1]
        let answer = Self.run(established, .toClient, state: &state)
        #expect(answer.frames.map(\.functionCode) == [200] && answer.frames[0].bodyBytes == 3)
        let tunnel = Self.run([22, 3, 1, 0, 5, 1, 2, 3, 4, 5], .toServer, state: &state)
        #expect(tunnel.error == nil && tunnel.frames.map(\.kind) == [.body])
    }

    @Test func chunkedBodyDrippedByteByByte() {
        var state = HTTP.makeState()
        _ = Self.run(Self.bytes("GET / HTTP/1.1\r\n\r\n"), .toServer, state: &state)
        let stream =
            Self.bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n")
            + [UInt8](repeating: 0x42, count: 26) + Self.bytes("\r\n0\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n")
        var buffer: [UInt8] = []
        var codes: [Int] = []
        for byte in stream {
            buffer.append(byte)
            while !buffer.isEmpty {
                do throws(DissectError) {
                    let (frame, consumed) = try HTTP.parse(
                        buffer.span, direction: .toClient, time: .zero, state: &state)
                    if frame.hasFunction { codes.append(frame.functionCode) }
                    buffer.removeFirst(consumed)
                } catch {
                    guard case .needMore = error else {
                        Issue.record("\(error)")
                        return
                    }
                    break
                }
            }
        }
        #expect(codes == [200, 304])
        #expect(buffer.isEmpty && state.server.body == .none)
    }

    @Test func framingAnomalies() throws {
        var state = HTTP.makeState()
        let smuggle = Self.bytes("POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        let out = Self.run(smuggle, .toServer, state: &state)
        #expect(out.frames.count == 1)
        #expect(out.events[0].anomalies == ["http.conflicting_length"])
        var other = HTTP.makeState()
        let bad = Self.run(
            Self.bytes("GET / HTTP/1.1\r\nContent-Length: 12x\r\nNoColonHere\r\n\r\n"), .toServer, state: &other)
        #expect(bad.events[0].anomalies == ["http.invalid_content_length", "http.malformed_header"])
        var chunk = HTTP.makeState()
        _ = Self.run(Self.bytes("GET / HTTP/1.1\r\n\r\n"), .toServer, state: &chunk)
        let badChunk = Self.run(
            Self.bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), .toClient, state: &chunk)
        #expect(badChunk.events[0].anomalies.contains("http.invalid_chunk"))
        #expect(chunk.server.body == .untilClose)
        var unsolicited = HTTP.makeState()
        #expect(
            Self.run(Self.bytes("HTTP/1.1 200 OK\r\n\r\n"), .toClient, state: &unsolicited).events[0].anomalies
                == ["http.unsolicited_response"])
    }

    @Test func notHTTPIsMalformed() {
        for (text, direction) in [
            ("\u{16}\u{03}\u{01}\u{00}", Direction.toServer), ("HTTP/2 200\r\n\r\n", .toClient),
            ("HTTP/1.1 2x0 OK\r\n\r\n", .toClient), ("GE(T / HTTP/1.1\r\n\r\n", .toServer),
        ] {
            var state = HTTP.makeState()
            guard case .malformed = Self.run(Self.bytes(text), direction, state: &state).error else {
                Issue.record("\(text) not malformed")
                continue
            }
        }
        var state = HTTP.makeState()
        let long = Self.run(
            Self.bytes("GET /" + String(repeating: "a", count: HTTP.maxHeadLength)), .toServer, state: &state)
        guard case .malformed = long.error else {
            Issue.record("an endless head must be malformed")
            return
        }
        #expect(HTTP.probe(Self.bytes("GE").span, direction: .toServer) == .needMore)
        #expect(HTTP.probe(Self.bytes("PROPFIND / HTTP/1.1").span, direction: .toServer) == .reject)
        #expect(HTTP.probe(Self.bytes("HTTP/1.0 200").span, direction: .toClient) == .match)
        #expect(HTTP.resynchronize(Self.bytes("xx\r\nGET / HTTP/1.1").span, direction: .toServer) == 4)
    }

    @Test(arguments: 0..<request.count)
    func everyPrefixNeedsMoreOrParses(length: Int) {
        var state = HTTP.makeState()
        let out = Self.run(Array(Self.request[..<length]), .toServer, state: &state)
        if let error = out.error, case .malformed = error { Issue.record("prefix \(length) malformed") }
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x4777)
        let alphabet = Self.bytes("GET HTTP/1.1 200\r\n:;Content-Length: 5Transfer-Encoding: chunked0123456789abcdef")
        for round in 0..<3_000 {
            let count = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<count).map { _ in
                round % 2 == 0
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                    : UInt8.random(in: 0...255, using: &generator)
            }
            if round % 3 == 0 {
                bytes = Self.bytes(round % 2 == 0 ? "HTTP/1.1 200 OK\r\n" : "GET / HTTP/1.1\r\n") + bytes
            }
            var state = HTTP.makeState()
            let out = Self.run(bytes, round % 2 == 0 ? .toClient : .toServer, state: &state)
            #expect(out.frames.count <= bytes.count)
        }
    }

    static let ports: Set<UInt16> = [80, 8080, 8000, 8008, 8081, 8888, 591, 3128]

    @Test func benchCaptureMatchesTshark() throws {
        let result = ITStreamRunner.run(
            HTTP.self, path: ITStreamRunner.fixture("http", "bench_http_small.pcap"), ports: Self.ports)
        let golden = try #require(ITStreamRunner.text(ITStreamRunner.fixture("http", "bench_http_small.golden")))
        #expect(result.functions == ITStreamRunner.golden(golden))
        #expect(result.malformed == 0)
    }

    @Test(arguments: [
        "generated/it_mix.pcap", "public/suricata-verify/http-request-invalid/input.pcap",
        "public/suricata-verify/datajson/datajson-08-invalid-json/input.pcap",
        "public/iti/IEC61850/m-send-req.mms.pcap",
        "public/suricata-verify/firewall/tcp-session-ipv6-decode-malformed/input.pcap",
    ])
    func sharedCapturesMatchTshark(relative: String) throws {
        guard let path = ITStreamRunner.shared(relative) else {
            print("skipped: ../shared/captures is missing")
            return
        }
        var stem = relative.replacingOccurrences(of: "generated/", with: "").replacingOccurrences(
            of: "public/", with: "")
        stem = stem.replacingOccurrences(of: "/input.pcap", with: "").replacingOccurrences(of: ".pcap", with: "")
        stem = "shared_" + stem.replacingOccurrences(of: "/", with: "_")
        let result = ITStreamRunner.run(HTTP.self, path: path, ports: Self.ports)
        let golden = try #require(ITStreamRunner.text(ITStreamRunner.fixture("http", stem + ".golden")))
        #expect(result.functions == ITStreamRunner.golden(golden), "\(stem): \(result.functions)")
    }
}
