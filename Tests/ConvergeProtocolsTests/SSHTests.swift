import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

@Suite struct SSHTests {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 22)

    static func context(_ direction: Direction) -> MessageContext {
        MessageContext(time: .zero, flowID: 3, client: client, server: server, direction: direction)
    }

    static func nameList(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return [0, 0, UInt8(bytes.count >> 8), UInt8(bytes.count & 0xff)] + bytes
    }

    /// A binary packet with the payload padded to a multiple of 8 with at least 4 bytes.
    static func packet(_ payload: [UInt8]) -> [UInt8] {
        var padding = 8 - (5 + payload.count) % 8
        if padding < 4 { padding += 8 }
        let length = 1 + payload.count + padding
        return [0, 0, UInt8(length >> 8), UInt8(length & 0xff), UInt8(padding)] + payload
            + [UInt8](repeating: 0, count: padding)
    }

    static let banner = Array("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n".utf8)

    static let kexinit: [UInt8] = packet(
        [20]  // SSH_MSG_KEXINIT
            + [UInt8](repeating: 0x42, count: 16)  // cookie
            + nameList("curve25519-sha256,ext-info-c")  // kex_algorithms
            + nameList("ssh-ed25519")  // server_host_key_algorithms
            + nameList("chacha20-poly1305@openssh.com")  // encryption client to server
            + nameList("aes128-ctr")  // encryption server to client
            + nameList("umac-64-etm@openssh.com")  // mac client to server
            + nameList("hmac-sha2-256")  // mac server to client
            + nameList("none,zlib@openssh.com")  // compression client to server
            + nameList("none")  // compression server to client
            + nameList("") + nameList("")  // languages
            + [0, 0, 0, 0, 0])  // first_kex_packet_follows, reserved

    static func run(_ bytes: [UInt8], _ direction: Direction, state: inout SSH.State)
        -> (frames: [SSH.Frame], events: [Message], facts: [AssetFact], error: DissectError?)
    {
        var frames: [SSH.Frame] = []
        var events: [Message] = []
        var facts: [AssetFact] = []
        var rest = bytes
        while !rest.isEmpty {
            do throws(DissectError) {
                let (frame, consumed) = try SSH.parse(rest.span, direction: direction, time: .zero, state: &state)
                frames.append(frame)
                let used = Array(rest[..<consumed])
                events.append(SSH.event(frame, bytes: used.span, context: context(direction), state: &state))
                facts += SSH.facts(frame, bytes: used.span, context: context(direction), state: state)
                rest.removeFirst(consumed)
            } catch {
                return (frames, events, facts, error)
            }
        }
        return (frames, events, facts, nil)
    }

    @Test func bannerKexinitNewKeysThenEncrypted() throws {
        var state = SSH.makeState()
        let newKeys = Self.packet([21])
        let stream =
            Self.banner + Self.kexinit + Self.packet([30, 0, 0, 0, 1, 9]) + newKeys + [0xde, 0xad, 0xbe, 0xef]
        let out = Self.run(stream, .toServer, state: &state)
        #expect(out.error == nil)
        #expect(out.frames.map(\.kind) == [.banner, .packet, .packet, .packet, .encrypted])
        #expect(out.frames.filter(\.hasFunction).map(\.functionCode) == [20, 30, 21])
        #expect(out.events[0].targets.first?.name == "OpenSSH_8.9p1")
        #expect(out.events[0].targets.first?.value == "Ubuntu-3ubuntu0.6")
        let hassh = try #require(out.events[1].targets.first { $0.kind == "hassh" })
        let expected = "curve25519-sha256,ext-info-c;chacha20-poly1305@openssh.com;"
            + "umac-64-etm@openssh.com;none,zlib@openssh.com"
        #expect(hassh.name == expected)
        #expect(hassh.value == TLS.Fingerprint.md5(hassh.name ?? ""))
        #expect(out.facts.contains { $0.kind == .os && $0.value == "Ubuntu" && $0.address == Self.client.address })
        #expect(out.facts.contains { $0.kind == .software && $0.value == "OpenSSH_8.9p1 Ubuntu-3ubuntu0.6" })
        #expect(out.facts.contains { $0.kind == .fingerprint && $0.value.hasPrefix("hassh=") })
        #expect(state.client.phase == .encrypted && state.server.phase == .banner)
    }

    @Test func serverKexinitGivesHasshServer() throws {
        var state = SSH.makeState()
        let banner = Array("SSH-2.0-Cisco-1.25\r\n".utf8)
        let out = Self.run(banner + Self.kexinit, .toClient, state: &state)
        let target = try #require(out.events[1].targets.first { $0.kind == "hassh_server" })
        #expect(target.name == "curve25519-sha256,ext-info-c;aes128-ctr;hmac-sha2-256;none")
        #expect(out.facts.contains { $0.kind == .vendor && $0.value == "Cisco" })
        #expect(out.facts.contains { $0.kind == .role && $0.value == "ssh_server" })
    }

    @Test func preambleLinesAndOldProtocol() {
        var state = SSH.makeState()
        let out = Self.run(Array("Welcome\r\nSSH-1.5-OldServer\r\n".utf8), .toClient, state: &state)
        #expect(out.frames.map(\.kind) == [.preamble, .banner])
        #expect(out.events[1].anomalies == ["ssh.protocol_version_1"])
        var client = SSH.makeState()
        let bad = Self.run(Array("Welcome\r\n".utf8), .toServer, state: &client)
        guard case .malformed = bad.error else {
            Issue.record("a client line before its banner must be malformed")
            return
        }
        var modern = SSH.makeState()
        #expect(Self.run(Array("SSH-1.99-x\r\n".utf8), .toClient, state: &modern).events[0].anomalies.isEmpty)
    }

    @Test func badPacketLengthsAreMalformed() {
        for header: [UInt8] in [[0, 1, 0, 0, 4], [0, 0, 0, 8, 7], [0xff, 0xff, 0xff, 0xff, 4], [0, 0, 0, 0, 0]] {
            var state = SSH.makeState()
            let out = Self.run(Self.banner + header + [UInt8](repeating: 0, count: 16), .toServer, state: &state)
            guard case .malformed = out.error else {
                Issue.record("\(header) not malformed")
                continue
            }
        }
        var state = SSH.makeState()
        let long = Self.run([UInt8](repeating: 0x41, count: 300), .toServer, state: &state)
        guard case .malformed = long.error else {
            Issue.record("a 300-byte line must be malformed")
            return
        }
    }

    @Test func kexinitWithOverlongListIsAnAnomaly() {
        var payload = Array(Self.kexinit[5..<(Self.kexinit.count - Int(Self.kexinit[4]))])
        payload[17 + 2] = 0x7f  // kex_algorithms length far past the packet
        var state = SSH.makeState()
        let out = Self.run(Self.banner + Self.packet(payload), .toServer, state: &state)
        #expect(out.error == nil)
        #expect(out.events[1].anomalies == ["ssh.malformed_kexinit"])
        #expect(out.facts.count == 2)  // software and OS from the banner only
    }

    static let flow = banner + kexinit

    @Test(arguments: 0..<flow.count)
    func everyPrefixNeedsMoreOrParses(length: Int) {
        var state = SSH.makeState()
        let out = Self.run(Array(Self.flow[..<length]), .toServer, state: &state)
        if let error = out.error, case .malformed = error { Issue.record("prefix \(length) malformed") }
    }

    @Test func probe() {
        #expect(SSH.probe(Array("SSH-2.0-x".utf8).span, direction: .toServer) == .match)
        #expect(SSH.probe(Array("SS".utf8).span, direction: .toServer) == .needMore)
        #expect(SSH.probe(Array("GET /".utf8).span, direction: .toServer) == .reject)
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x55f)
        for round in 0..<3_000 {
            let count = Int.random(in: 0..<200, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 2 == 0 { bytes = Self.banner + bytes }
            if round % 4 == 0, bytes.count > Self.banner.count + 6 { bytes[Self.banner.count + 5] = 20 }
            var state = SSH.makeState()
            let out = Self.run(bytes, round % 3 == 0 ? .toClient : .toServer, state: &state)
            #expect(out.frames.count <= bytes.count)
        }
    }

    @Test func itMixCaptureMatchesTshark() throws {
        guard let path = ITStreamRunner.shared("generated/it_mix.pcap") else {
            print("skipped: ../shared/captures is missing")
            return
        }
        let result = ITStreamRunner.run(SSH.self, path: path, ports: [22, 2222])
        let golden = try #require(ITStreamRunner.text(ITStreamRunner.fixture("ssh", "shared_it_mix.golden")))
        #expect(result.functions == ITStreamRunner.golden(golden))
        #expect(result.malformed == 0)
        let hassh = result.messages.compactMap { $0.targets.first { $0.kind == "hassh" }?.value }
        let hasshServer = result.messages.compactMap { $0.targets.first { $0.kind == "hassh_server" }?.value }
        let expected = ITStreamRunner.text(ITStreamRunner.fixture("ssh", "shared_it_mix.hassh")) ?? ""
        let expectedServer = ITStreamRunner.text(ITStreamRunner.fixture("ssh", "shared_it_mix.hasshserver")) ?? ""
        #expect(hassh == expected.split(separator: "\n").map(String.init))
        #expect(hasshServer == expectedServer.split(separator: "\n").map(String.init))
        #expect(result.facts.contains { $0.kind == .os && $0.value == "Debian" })
    }
}
