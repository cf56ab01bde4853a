import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct VNCTests {
    typealias Parsed = (message: VNC.Message, consumed: Int)

    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0005), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0009), port: 5900)

    static func parse(_ bytes: [UInt8], _ direction: Direction, state: inout VNC.State)
        -> Result<Parsed, DissectError>
    {
        do throws(DissectError) {
            return .success(
                try VNC.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: 0), state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Feeds one message, expecting it whole; returns it with its event and facts.
    static func feed(_ bytes: [UInt8], _ direction: Direction, _ state: inout VNC.State)
        -> (VNC.Message, Message, [AssetFact])?
    {
        guard case .success(let parsed) = parse(bytes, direction, state: &state), parsed.consumed == bytes.count else {
            Issue.record("\(bytes.prefix(12)) did not parse whole")
            return nil
        }
        let context = MessageContext(time: Timestamp(nanoseconds: 0), flowID: 1, client: client, server: server,
                                     direction: direction)
        let event = VNC.event(parsed.message, bytes: bytes.span, context: context, state: &state)
        let facts = VNC.facts(parsed.message, bytes: bytes.span, context: context, state: state)
        return (parsed.message, event, facts)
    }

    static let serverVersion = Array("RFB 003.008\n".utf8)
    static let clientVersion37 = Array("RFB 003.007\n".utf8)
    /// Two security types offered: VNC authentication (2) and None (1).
    static let securityTypes: [UInt8] = [2, 2, 1]
    /// ServerInit: 48 × 32, pixel format (32 bpp, depth 24, little-endian, true colour, maxima
    /// 255, shifts 16/8/0, padding), name length 4, "hmi1".
    static let serverInit: [UInt8] = [0, 48, 0, 32, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0,
                                      0, 0, 0, 4] + Array("hmi1".utf8)
    /// Security result failed (1) with reason "bad" (3.8).
    static let failure: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 3] + Array("bad".utf8)

    /// A 3.8 handshake choosing None up to the message phase.
    static func handshake38None(_ state: inout VNC.State) {
        _ = feed(serverVersion, .toClient, &state)
        _ = feed(serverVersion, .toServer, &state)
        _ = feed(securityTypes, .toClient, &state)
        _ = feed([1], .toServer, &state)
        _ = feed([0, 0, 0, 0], .toClient, &state)
        _ = feed([1], .toServer, &state)
        _ = feed(serverInit, .toClient, &state)
    }

    @Test func handshakeNoneVersion38() throws {
        var state = VNC.makeState()
        let version = try #require(Self.feed(Self.serverVersion, .toClient, &state))
        #expect(version.0.functionCode == VNC.handshakeCodeBase + 1 && !version.0.hasFunction && version.0.isMessage)
        #expect(version.2.map(\.value) == ["RFB 003.008"] && version.2.first?.kind == .software)
        let answer = try #require(Self.feed(Self.serverVersion, .toServer, &state))
        #expect(answer.2.first?.address == Self.client.address && state.client.phase == .securitySelection)
        let types = try #require(Self.feed(Self.securityTypes, .toClient, &state))
        #expect(types.1.targets.first?.values == [2, 1] && types.1.targets.first?.name == "vnc_auth,none")
        #expect(types.1.anomalies == ["vnc_no_auth"] && types.1.operation == .auth)
        let chosen = try #require(Self.feed([1], .toServer, &state))
        #expect(chosen.1.targets.first?.name == "none" && state.server.phase == .securityResult)
        let result = try #require(Self.feed([0, 0, 0, 0], .toClient, &state))
        #expect(result.1.status == .ok && state.server.phase == .serverInit)
        let shared = try #require(Self.feed([1], .toServer, &state))
        #expect(shared.1.targets.first?.values == [1] && state.client.phase == .messages)
        let desktop = try #require(Self.feed(Self.serverInit, .toClient, &state))
        #expect(desktop.1.targets.first?.name == "hmi1" && desktop.1.targets.first?.values == [48, 32, 32])
        #expect(desktop.2.map(\.value) == ["vnc:hmi1"] && desktop.2.first?.kind == .service)
        #expect(state.server.phase == .messages && state.bytesPerPixel == 4)
    }

    @Test func vncAuthenticationFailureVersion37() throws {
        var state = VNC.makeState()
        _ = Self.feed(Self.serverVersion, .toClient, &state)
        _ = Self.feed(Self.clientVersion37, .toServer, &state)
        _ = Self.feed([1, 2], .toClient, &state)
        _ = Self.feed([2], .toServer, &state)
        #expect(state.server.phase == .challenge && state.client.phase == .response)
        let challenge = try #require(Self.feed([UInt8](repeating: 7, count: 16), .toClient, &state))
        #expect(challenge.1.functionName == "vnc_auth_challenge" && challenge.1.targets.isEmpty)
        _ = Self.feed([UInt8](repeating: 9, count: 16), .toServer, &state)
        // 3.7 sends no reason: a bare failed status.
        let result = try #require(Self.feed([0, 0, 0, 1], .toClient, &state))
        #expect(result.1.status == .exception(code: 1, name: "authentication_failed"))
        #expect(state.authenticationFailed && state.server.phase == .opaque && state.client.phase == .opaque)
    }

    @Test func failureReasonVersion38() throws {
        var state = VNC.makeState()
        _ = Self.feed(Self.serverVersion, .toClient, &state)
        _ = Self.feed(Self.serverVersion, .toServer, &state)
        _ = Self.feed([1, 2], .toClient, &state)
        _ = Self.feed([2], .toServer, &state)
        _ = Self.feed([UInt8](repeating: 7, count: 16), .toClient, &state)
        _ = Self.feed([UInt8](repeating: 9, count: 16), .toServer, &state)
        let result = try #require(Self.feed(Self.failure, .toClient, &state))
        #expect(result.1.targets.map(\.value) == ["bad"] && result.1.anomalies == ["vnc_auth_failed"])
        // Whatever follows is stepped over.
        guard case .success(let after) = Self.parse([0, 1, 2], .toClient, state: &state) else {
            Issue.record("bytes after a failure not stepped over")
            return
        }
        #expect(!after.message.isMessage && after.consumed == 3)
    }

    @Test func version33ServerImposesNone() throws {
        var state = VNC.makeState()
        _ = Self.feed(Array("RFB 003.003\n".utf8), .toClient, &state)
        _ = Self.feed(Array("RFB 003.003\n".utf8), .toServer, &state)
        #expect(state.client.phase == .awaitingServer)
        let imposed = try #require(Self.feed([0, 0, 0, 1], .toClient, &state))
        #expect(imposed.1.anomalies == ["vnc_no_auth", "vnc_legacy_version"] && imposed.1.targets.first?.values == [1])
        #expect(state.client.phase == .clientInit && state.server.phase == .serverInit)
        // 3.3 refusal: type 0 and a reason.
        var refused = VNC.makeState()
        _ = Self.feed(Array("RFB 003.003\n".utf8), .toClient, &refused)
        let reason = try #require(Self.feed([0, 0, 0, 0, 0, 0, 0, 2, 0x6E, 0x6F], .toClient, &refused))
        #expect(reason.1.targets.contains { $0.value == "no" } && refused.authenticationFailed)
    }

    @Test func clientMessages() throws {
        var state = VNC.makeState()
        Self.handshake38None(&state)
        let format = try #require(Self.feed([0, 0, 0, 0, 16, 16, 0, 1, 0, 31, 0, 63, 0, 31, 11, 5, 0, 0, 0, 0],
                                            .toServer, &state))
        #expect(format.0.functionCode == 0 && format.1.functionName == "set_pixel_format" && state.bytesPerPixel == 2)
        let encodings = try #require(Self.feed([2, 0, 0, 2, 0, 0, 0, 16, 0xFF, 0xFF, 0xFF, 0x20], .toServer, &state))
        #expect(encodings.1.targets.first?.values == [16, -224])
        let request = try #require(Self.feed([3, 1, 0, 0, 0, 0, 0, 48, 0, 32], .toServer, &state))
        #expect(request.1.operation == .read && request.1.targets.first?.values == [1, 48, 32])
        let key = try #require(Self.feed([4, 1, 0, 0, 0, 0, 0, 0x61], .toServer, &state))
        #expect(key.1.operation == .control && key.1.targets.first?.values == [1])
        let pointer = try #require(Self.feed([5, 0, 0, 10, 0, 20], .toServer, &state))
        #expect(pointer.1.operation == .other && pointer.1.targets.first?.values == [0, 10, 20])
        // Cut text: an 8-byte header, its 5 bytes of text stepped over in two pieces.
        guard case .success(let cut) = Self.parse([6, 0, 0, 0, 0, 0, 0, 5, 0x68, 0x65], .toServer, state: &state) else {
            Issue.record("cut text header")
            return
        }
        #expect(cut.consumed == 8 && cut.message.functionCode == 6 && state.client.skip == 5)
        guard case .success(let text) = Self.parse([0x68, 0x65, 0x6C], .toServer, state: &state) else { return }
        #expect(!text.message.isMessage && text.consumed == 3 && state.client.skip == 2)
        guard case .success(let tail) = Self.parse([0x6C, 0x6F, 4], .toServer, state: &state) else { return }
        #expect(tail.consumed == 2 && state.client.skip == 0)
    }

    @Test func framebufferUpdateIsSteppedOverByLength() throws {
        var state = VNC.makeState()
        Self.handshake38None(&state)
        let update = try #require(Self.feed([0, 0, 0, 3], .toClient, &state))
        #expect(update.0.functionCode == VNC.serverCodeBase && update.1.targets.first?.count == 3)
        #expect(VNC.functionKey(update.0.functionCode) == "server.0" && VNC.functionKey(3) == "3")
        // Raw 2 × 3 at 4 bytes a pixel: 24 bytes of data.
        let raw: [UInt8] = [0, 0, 0, 0, 0, 2, 0, 3, 0, 0, 0, 0]
        let header = try #require(Self.feed(raw, .toClient, &state))
        #expect(!header.0.isMessage && state.server.skip == 24 && state.server.rectangles == 2)
        guard case .success(let pixels) = Self.parse([UInt8](repeating: 0xAB, count: 30), .toClient, state: &state)
        else { return }
        #expect(pixels.consumed == 24)
        // ZRLE with a 5-byte payload, then LastRect ends the update early.
        let zrle: [UInt8] = [0, 0, 0, 0, 0, 9, 0, 9, 0, 0, 0, 16, 0, 0, 0, 5]
        _ = Self.feed(zrle, .toClient, &state)
        #expect(state.server.skip == 5)
        _ = Self.parse([1, 2, 3, 4, 5], .toClient, state: &state)
        _ = Self.feed([0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x20], .toClient, &state)
        #expect(state.server.rectangles == 0 && state.server.skip == 0)
        let bell = try #require(Self.feed([2], .toClient, &state))
        #expect(bell.0.functionCode == VNC.serverCodeBase + 2)
    }

    @Test func unsizableEncodingGivesTheDirectionUp() throws {
        var state = VNC.makeState()
        Self.handshake38None(&state)
        _ = Self.feed([0, 0, 0, 2], .toClient, &state)
        // Hextile (5): its length is known only by decoding its tiles.
        let hextile = try #require(Self.feed([0, 0, 0, 0, 0, 16, 0, 16, 0, 0, 0, 5], .toClient, &state))
        #expect(hextile.0.anomalies.contains(.unsizable) && state.server.phase == .opaque)
        guard case .success(let rest) = Self.parse([0, 0, 0, 1, 9, 9], .toClient, state: &state) else { return }
        #expect(!rest.message.isMessage && rest.consumed == 6)
        // An unknown client type: counted once, then the direction is stepped over.
        let unknown = try #require(Self.feed([99, 1, 2, 3], .toServer, &state))
        #expect(unknown.0.functionCode == 99 && unknown.1.anomalies == ["vnc_unsizable"])
        #expect(state.client.phase == .opaque)
    }

    @Test func oversizedLengthsAreSteppedOver() throws {
        var state = VNC.makeState()
        _ = Self.feed(Self.serverVersion, .toClient, &state)
        _ = Self.feed(Self.serverVersion, .toServer, &state)
        // No types offered, a reason far longer than maxTextLength.
        guard case .success(let refusal) = Self.parse([0, 0, 0x10, 0, 0], .toClient, state: &state) else {
            Issue.record("oversized reason not stepped over")
            return
        }
        #expect(refusal.consumed == 5 && refusal.message.anomalies.contains(.oversized))
        #expect(state.server.skip == 0x10_0000 && state.authenticationFailed)
        var more = VNC.makeState()
        Self.handshake38None(&more)
        guard case .success(let encodings) = Self.parse([2, 0, 0xFF, 0xFF, 0, 0], .toServer, state: &more) else {
            return
        }
        #expect(encodings.consumed == 4 && more.client.skip == 0xFFFF * 4)
    }

    @Test func probe() {
        #expect(VNC.probe(Self.serverVersion.span, direction: .toClient) == .match)
        #expect(VNC.probe(Array("RFB 00".utf8).span, direction: .toServer) == .needMore)
        #expect(VNC.probe(Array("RFB 003.00x\n".utf8).span, direction: .toClient) == .reject)
        #expect(VNC.probe(Array("GET / HTTP/1.1\r\n".utf8).span, direction: .toServer) == .reject)
    }

    /// Each handshake step cut short, at its phase: always a request for more.
    @Test(arguments: 0..<5)
    func everyTruncationAsksForMore(_ step: Int) {
        let fixtures: [[UInt8]] = [Self.serverVersion, Self.securityTypes, Self.failure, Self.serverInit,
                                   [2, 0, 0, 2, 0, 0, 0, 16, 0xFF, 0xFF, 0xFF, 0x20]]
        let fixture = fixtures[step]
        for cut in 1..<fixture.count {
            var state = VNC.makeState()
            switch step {
            case 1: state.server.phase = .security; state.serverMinor = 8
            case 2: state.server.phase = .securityResult; state.serverMinor = 8
            case 3: state.server.phase = .serverInit
            case 4: state.client.phase = .messages
            default: break
            }
            let direction: Direction = step == 4 ? .toServer : .toClient
            let prefix = Array(fixture.prefix(cut))
            guard case .failure(.needMore(let n)) = Self.parse(prefix, direction, state: &state) else {
                Issue.record("step \(step) prefix \(cut) did not ask for more")
                continue
            }
            #expect(n > cut && n <= fixture.count)
        }
        var state = VNC.makeState()
        guard case .failure(.needMore) = Self.parse([], .toClient, state: &state) else {
            Issue.record("empty input accepted")
            return
        }
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x5900)
        let phases: [VNC.Phase] = [.version, .security, .securitySelection, .challenge, .securityResult,
                                   .clientInit, .serverInit, .messages, .awaitingClient, .awaitingServer]
        for round in 0..<3000 {
            var state = VNC.makeState()
            state.client.phase = phases[round % phases.count]
            state.server.phase = phases[(round / 3) % phases.count]
            state.serverMinor = [3, 7, 8][round % 3]
            state.bytesPerPixel = UInt8.random(in: 1...4, using: &generator)
            var bytes = (0..<Int.random(in: 1..<64, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            if round % 4 == 0 { bytes.replaceSubrange(0..<min(12, bytes.count), with: Self.serverVersion) }
            var guardCount = 0
            while !bytes.isEmpty, guardCount < 100 {
                guardCount += 1
                let direction: Direction = Bool.random(using: &generator) ? .toServer : .toClient
                guard case .success(let parsed) = Self.parse(bytes, direction, state: &state) else { break }
                #expect(parsed.consumed > 0 && parsed.consumed <= bytes.count)
                let context = MessageContext(time: Timestamp(nanoseconds: 0), flowID: 1, client: Self.client,
                                             server: Self.server, direction: direction)
                _ = VNC.event(parsed.message, bytes: bytes.span, context: context, state: &state)
                _ = VNC.facts(parsed.message, bytes: bytes.span, context: context, state: state)
                bytes.removeFirst(max(1, min(parsed.consumed, bytes.count)))
            }
        }
    }

    @Test func captureCountsEqualTshark() throws {
        let folder = ITRemoteCaptureRunner<VNC>.fixtures("vnc")
        let expected = ITRemoteCaptureRunner<VNC>.golden(
            try String(contentsOf: folder.appendingPathComponent("vnc-session.tshark.txt"), encoding: .utf8))
        let result = ITRemoteCaptureRunner<VNC>(ports: [5901])
            .run(path: folder.appendingPathComponent("vnc-session.pcap").path)
        #expect(!expected.isEmpty && result.functions == expected && result.malformed == 0)
        let software = Set(result.facts.filter { $0.kind == .software }.map(\.value))
        #expect(software == ["RFB 003.008", "RFB 003.007", "RFB 003.003"])
        let services = result.facts.filter { $0.kind == .service }.map(\.value)
        #expect(services == Array(repeating: "vnc:plant-hmi-01", count: 3))
        let anomalies = result.messages.flatMap(\.anomalies)
        #expect(anomalies.filter { $0 == "vnc_no_auth" }.count == 3 && anomalies.contains("vnc_auth_failed"))
        #expect(!anomalies.contains("vnc_unsizable"))
        #expect(result.messages.contains { $0.targets.contains { $0.value == "Authentication failure" } })
        #expect(result.messages.filter { $0.operation == .control }.count == 5)
    }
}
