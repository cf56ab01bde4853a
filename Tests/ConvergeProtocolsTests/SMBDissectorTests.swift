import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

@Suite struct SMBDissectorTests {
    typealias F = SMBFixtures

    static func parse(
        _ bytes: [UInt8], _ direction: Direction, state: inout SMB.State
    ) -> Result<(message: SMB.Message, consumed: Int), DissectError> {
        do throws(DissectError) {
            return .success(try SMB.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: 0), state: &state))
        } catch {
            return .failure(error)
        }
    }

    static func one(_ bytes: [UInt8], _ direction: Direction, state: inout SMB.State) -> (SMB.Message, Message, [AssetFact])? {
        guard case .success(let parsed) = parse(bytes, direction, state: &state) else { return nil }
        let used = Array(bytes.prefix(parsed.consumed))
        let event = SMB.event(parsed.message, bytes: used.span, context: F.context(direction), state: &state)
        let facts = SMB.facts(parsed.message, bytes: used.span, context: F.context(direction), state: state)
        return (parsed.message, event, facts)
    }

    @Test func negotiateOfferedAndChosen() throws {
        var state = SMB.makeState()
        let request = try #require(Self.one(F.negotiateRequest, .toServer, state: &state))
        #expect(request.0.version == .smb2 && request.0.command == 0 && !request.0.isResponse)
        #expect(request.0.dialectCount == 4 && request.0.highestDialect == 0x0311)
        #expect(request.1.targets.map(\.address) == [0x0202, 0x0210, 0x0300, 0x0311])
        #expect(request.1.functionName == "negotiate" && request.1.operation == .session)
        let response = try #require(Self.one(F.negotiateResponse, .toClient, state: &state))
        #expect(response.0.chosenDialect == 0x0311 && response.0.securityMode == 1)
        #expect(response.1.anomalies == ["signing_not_required"])
        #expect(state.dialect == 0x0311 && !state.signingRequired)
        #expect(response.2.contains { $0.kind == .role && $0.value == SMB.Role.server })
        let first = F.negotiateRequest
        let probe = SMB.probe(first.span, direction: .toServer)
        #expect(probe == .match)
    }

    @Test func ntlmChallengeNamesTheServer() throws {
        var state = SMB.makeState()
        _ = Self.one(F.sessionSetupRequest([0x60, 0x00]), .toServer, state: &state)
        let (message, event, facts) = try #require(
            Self.one(F.sessionSetupResponse(F.ntlmChallenge()), .toClient, state: &state))
        #expect(message.ntlmType == 2 && message.command == 1)
        #expect(message.roundTripNanoseconds == 0 && !message.anomalies.contains(.unsolicitedResponse))
        let names = Dictionary(event.targets.compactMap { t in t.name.map { (t.kind, $0) } }, uniquingKeysWith: { a, _ in a })
        #expect(names["netbios_computer"] == "FILESRV" && names["dns_domain"] == "corp.example")
        #expect(names["os_version"] == "Windows 10.0 build 19041")
        let serverFacts = facts.filter { $0.address == F.server.address }
        #expect(Set(serverFacts.map(\.value)) == ["FILESRV", "filesrv.corp.example", "CORP", "corp.example",
                                                  "Windows 10.0 build 19041"])
        #expect(serverFacts.contains { $0.kind == .hostname && $0.value == "filesrv.corp.example" })
    }

    @Test func ntlmAuthenticateNamesOnly() throws {
        var state = SMB.makeState()
        let (message, event, facts) = try #require(
            Self.one(F.sessionSetupRequest(F.ntlmAuthenticate()), .toServer, state: &state))
        #expect(message.ntlmType == 3 && message.anomalies.isEmpty)
        #expect(event.operation == .auth)
        #expect(facts.contains { $0.kind == .userName && $0.value == "CORP\\alice" && $0.address == F.client.address })
        #expect(facts.contains { $0.kind == .hostname && $0.value == "WS01" })
        #expect(facts.contains { $0.kind == .os && $0.value == "Windows 6.1 build 7601" })
        // The NT response bytes (0x5A filler) never appear in any target or fact.
        #expect(!event.targets.contains { $0.name?.contains("ZZ") ?? false })
    }

    @Test func ntlmV1AndAnonymousAreFlagged() throws {
        var state = SMB.makeState()
        let v1 = try #require(Self.one(F.sessionSetupRequest(F.ntlmAuthenticate(ntLength: 24)), .toServer, state: &state))
        #expect(v1.1.anomalies.contains("ntlm_v1"))
        let anonymous = try #require(
            Self.one(F.sessionSetupRequest(F.ntlmAuthenticate(ntLength: 0, user: ""), messageID: 2), .toServer, state: &state))
        #expect(anonymous.1.anomalies.contains("anonymous_login"))
        #expect(!anonymous.2.contains { $0.kind == .userName })
    }

    @Test func treeConnectShare() throws {
        var state = SMB.makeState()
        let (_, event, _) = try #require(Self.one(F.treeConnect, .toServer, state: &state))
        #expect(event.targets == [Message.Target(kind: "share", address: -1, name: "\\\\FILESRV\\plant")])
        #expect(event.status == .pending)
    }

    @Test func compoundIsReturnedOneCommandAtATime() throws {
        // CREATE (next 72) + CLOSE in one session message: two headers, 8-aligned.
        let first = F.smb2Header(command: 5, response: false, messageID: 10, next: 72) + [UInt8](repeating: 0, count: 8)
        let second = F.smb2Header(command: 6, response: false, messageID: 11) + [UInt8](repeating: 0, count: 24)
        let stream = F.session(first + second) + F.treeConnect
        var state = SMB.makeState()
        var rest = stream[...]
        var commands: [UInt16] = []
        while !rest.isEmpty, case .success(let parsed) = Self.parse(Array(rest), .toServer, state: &state) {
            commands.append(parsed.message.command)
            rest = rest.dropFirst(parsed.consumed)
        }
        #expect(commands == [5, 6, 3])
        #expect(state.compoundRemaining[0] == 0)
    }

    @Test func badNextCommandIsAnAnomaly() throws {
        let header = F.smb2Header(command: 5, response: false, messageID: 1, next: 13) + [0, 0, 0, 0]
        var state = SMB.makeState()
        let (message, _, _) = try #require(Self.one(F.session(header), .toServer, state: &state))
        #expect(message.anomalies.contains(.invalidCompound) && message.length == header.count + 4)
    }

    @Test func smb1NegotiateAndPlaintextLogin() throws {
        var state = SMB.makeState()
        let (negotiate, event, _) = try #require(Self.one(F.smb1Negotiate, .toServer, state: &state))
        #expect(negotiate.functionCode == SMB.smb1Base + 0x72 && negotiate.dialectCount == 2)
        #expect(event.targets.compactMap(\.name) == ["NT LM 0.12", "SMB 2.002"])
        #expect(event.anomalies == ["smb1"] && event.functionName == "smb1.negotiate")
        let (setup, setupEvent, facts) = try #require(Self.one(F.smb1SessionSetupPlain, .toServer, state: &state))
        #expect(setup.anomalies.contains(.cleartextPassword))
        #expect(setupEvent.targets.compactMap(\.name) == ["bob", "WORKGROUP", "Unix", "Samba"])
        #expect(facts.contains { $0.kind == .userName && $0.value == "bob" })
        #expect(facts.contains { $0.kind == .os && $0.value == "Unix" })
        #expect(!setupEvent.targets.contains { $0.name == "secret" })
    }

    @Test func sessionControlMessagesAreNotCounted() throws {
        var state = SMB.makeState()
        let keepAlive: [UInt8] = [0x85, 0, 0, 0]
        let (message, event, _) = try #require(Self.one(keepAlive, .toServer, state: &state))
        #expect(!message.hasFunction && event.functionName == "session_keep_alive")
        let encrypted: [UInt8] = F.session([0xFD, 0x53, 0x4D, 0x42] + [UInt8](repeating: 0, count: 48))
        let (sealed, _, _) = try #require(Self.one(encrypted, .toClient, state: &state))
        #expect(sealed.version == .encrypted && !sealed.hasFunction)
    }

    @Test func notSMBIsRejectedOrMalformed() {
        var state = SMB.makeState()
        let http = Array("GET / HTTP/1.1\r\n\r\n".utf8)
        let probe = SMB.probe(http.span, direction: .toServer)
        #expect(probe == .reject)
        guard case .failure(.malformed) = Self.parse(http, .toServer, state: &state) else {
            Issue.record("HTTP parsed as SMB")
            return
        }
        let badMagic = F.session([0xAA, 0x53, 0x4D, 0x42, 0, 0, 0, 0])
        guard case .failure(.malformed) = Self.parse(badMagic, .toServer, state: &state) else {
            Issue.record("bad magic accepted")
            return
        }
        let joined = http + F.treeConnect
        let start = SMB.resynchronize(joined.span, direction: .toServer)
        #expect(start == http.count)
    }

    static let all: [[UInt8]] = [
        F.negotiateRequest, F.negotiateResponse, F.sessionSetupResponse(F.ntlmChallenge()),
        F.sessionSetupRequest(F.ntlmAuthenticate()), F.treeConnect, F.smb1Negotiate, F.smb1SessionSetupPlain,
    ]

    /// Every prefix of every fixture asks for more (or, below the session header, is malformed
    /// only when its first byte cannot start one); none traps.
    @Test(arguments: 0..<all.count)
    func everyTruncationAsksForMore(_ index: Int) {
        let fixture = Self.all[index]
        for cut in 0..<fixture.count {
            var state = SMB.makeState()
            let prefix = Array(fixture.prefix(cut))
            switch Self.parse(prefix, index % 2 == 0 ? .toServer : .toClient, state: &state) {
            case .failure(.needMore(let n)): #expect(n > cut)
            default: Issue.record("prefix \(cut) of fixture \(index) did not ask for more")
            }
        }
    }

    /// Body lengths and offsets that lie: the message still parses inside its frame, flagged.
    @Test func lyingLengthsAreAnomalies() throws {
        var state = SMB.makeState()
        var blob = F.ntlmChallenge()
        blob[44] = 0xFF; blob[45] = 0xFF  // target info offset past the end
        var frame = F.sessionSetupResponse(blob)
        frame[4 + 64 + 6] = 0xFF; frame[4 + 64 + 7] = 0x7F  // security buffer length past the frame
        let (message, event, facts) = try #require(Self.one(frame, .toClient, state: &state))
        #expect(message.anomalies.contains(.invalidLength) && message.ntlmType == 0)
        #expect(event.targets.isEmpty && facts.isEmpty)
        var tree = F.treeConnect
        tree[4 + 64 + 4] = 0x00  // path offset inside the header
        let (badTree, _, _) = try #require(Self.one(tree, .toServer, state: &state))
        #expect(badTree.anomalies.contains(.invalidLength) && badTree.pathLength == 0)
        var dialects = F.negotiateRequest
        dialects[4 + 64 + 2] = 0xFF  // dialect count 255 with 4 listed
        let (negotiate, negotiateEvent, _) = try #require(Self.one(dialects, .toServer, state: &state))
        #expect(negotiate.anomalies.contains(.invalidLength) && negotiateEvent.targets.count == 4)
    }

    /// Random bytes, random mutations of real fixtures, random session lengths: never a trap, and
    /// a success never consumes more than it was given.
    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x5_3B_2024)
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = Self.all[round / 2 % Self.all.count]
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                bytes = (0..<Int.random(in: 0..<300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if bytes.count > 8, round % 4 == 1 {
                    bytes[0] = 0
                    bytes[4] = [0xFF, 0xFE, 0xFD, 0xFC][round / 4 % 4]
                    bytes[5] = 0x53; bytes[6] = 0x4D; bytes[7] = 0x42
                    let length = bytes.count - 4
                    bytes[1] = 0; bytes[2] = UInt8(length >> 8); bytes[3] = UInt8(length & 0xff)
                }
            }
            var state = SMB.makeState()
            var rest = bytes[...]
            var steps = 0
            while !rest.isEmpty, steps < 100, case .success(let parsed) = Self.parse(Array(rest), .toServer, state: &state) {
                #expect(parsed.consumed > 0 && parsed.consumed <= rest.count)
                let used = Array(rest.prefix(parsed.consumed))
                _ = SMB.event(parsed.message, bytes: used.span, context: F.context(.toServer), state: &state)
                _ = SMB.facts(parsed.message, bytes: used.span, context: F.context(.toServer), state: state)
                rest = rest.dropFirst(parsed.consumed)
                steps += 1
            }
            _ = SMB.probe(bytes.span, direction: .toClient)
            _ = SMB.resynchronize(bytes.span, direction: .toClient)
        }
    }
}
