import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

@Suite struct ADSUDPTests {
    /// Discovery response from CX_0D7560 (5.1.13.117.96.1.1), TwinCAT 2.11 build 2228.
    static let discoveryResponse: [UInt8] =
        [0x03, 0x66, 0x14, 0x71]  // magic
        + [0x00, 0x00, 0x00, 0x00]  // invoke id
        + [0x01, 0x00, 0x00, 0x80]  // service: discovery | response
        + [0x05, 0x0d, 0x75, 0x60, 0x01, 0x01, 0x10, 0x27]  // NetId 5.13.117.96.1.1, port 10000
        + [0x02, 0x00, 0x00, 0x00]  // two tags
        + [0x05, 0x00, 0x0a, 0x00] + Array("CX_0D7560".utf8) + [0x00]  // host name
        + [0x03, 0x00, 0x04, 0x00, 0x02, 0x0b, 0xb4, 0x08]  // TwinCAT version 2.11.2228
    /// Add-route request with a user name and a password tag.
    static let addRoute: [UInt8] =
        [0x03, 0x66, 0x14, 0x71, 0x00, 0x00, 0x00, 0x00]  // magic, invoke id
        + [0x06, 0x00, 0x00, 0x00]  // service: add route
        + [0xc0, 0xa8, 0x01, 0xc7, 0x01, 0x01, 0x10, 0x27]  // NetId, port
        + [0x02, 0x00, 0x00, 0x00]  // two tags
        + [0x0d, 0x00, 0x06, 0x00] + Array("Admin".utf8) + [0x00]  // user name
        + [0x02, 0x00, 0x02, 0x00, 0x31, 0x00]  // password "1"

    func context(_ direction: Direction) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: 0), flowID: 1, client: Endpoint(address: IPAddress(v4: 1), port: 48899),
            server: Endpoint(address: IPAddress(v4: 2), port: 48899), direction: direction)
    }

    @Test func discoveryGivesFacts() throws {
        var state: Void = ()
        let bytes = Self.discoveryResponse
        let (frame, used) = try ADSUDP.parse(
            bytes.span, direction: .toClient, time: .init(nanoseconds: 0), state: &state)
        #expect(used == bytes.count && frame.functionCode == 1 && frame.isResponse && frame.tagsSeen == 2)
        let facts = ADSUDP.facts(frame, bytes: bytes.span, context: context(.toClient), state: state)
        #expect(facts.contains { $0.kind == .hostname && $0.value == "CX_0D7560" && $0.address == IPAddress(v4: 2) })
        #expect(facts.contains { $0.kind == .firmware && $0.value == "2.11.2228" })
    }

    @Test func addRouteFlagsPassword() throws {
        var state: Void = ()
        let bytes = Self.addRoute
        let (frame, _) = try ADSUDP.parse(bytes.span, direction: .toServer, time: .init(nanoseconds: 0), state: &state)
        let event = ADSUDP.event(frame, bytes: bytes.span, context: context(.toServer), state: &state)
        #expect(event.functionName == "add_route" && event.operation == .auth)
        #expect(event.anomalies == ["ads_udp.cleartext_password"])
        #expect(event.targets.contains { $0.kind == "user_name" && $0.name == "Admin" })
        #expect(!event.targets.contains { $0.name == "1" })
    }

    @Test(arguments: 0..<24)
    func truncatedHeader(_ length: Int) {
        var state: Void = ()
        let prefix = Array(Self.addRoute.prefix(length))
        #expect(throws: DissectError.self) {
            try ADSUDP.parse(prefix.span, direction: .toServer, time: .init(nanoseconds: 0), state: &state)
        }
    }

    @Test func truncatedTagsAreAnAnomaly() throws {
        var state: Void = ()
        let bytes = Array(Self.addRoute.dropLast(1))
        let (frame, _) = try ADSUDP.parse(bytes.span, direction: .toServer, time: .init(nanoseconds: 0), state: &state)
        #expect(frame.truncated && frame.tagsSeen == 1)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x48899)
        var state: Void = ()
        for _ in 0..<3_000 {
            let count = Int.random(in: 0..<80, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 24 { bytes.replaceSubrange(0..<4, with: [0x03, 0x66, 0x14, 0x71]) }
            guard
                let (frame, _) = try? ADSUDP.parse(
                    bytes.span, direction: .toServer, time: .init(nanoseconds: 0), state: &state)
            else { continue }
            #expect(frame.tagsSeen <= ADSUDP.maxTags)
            _ = ADSUDP.event(frame, bytes: bytes.span, context: context(.toServer), state: &state)
            _ = ADSUDP.facts(frame, bytes: bytes.span, context: context(.toClient), state: state)
        }
    }

    @Test func captureMatchesTsharkData() throws {
        let fixtures = ITUDPCaptureHarness.fixtures("ads")
        let golden = try ITUDPCaptureHarness.golden(fixtures.appendingPathComponent("addroute.udp.tshark.txt"))
        let result = ITUDPCaptureHarness.run(
            ADSUDP.self, url: fixtures.appendingPathComponent("addroute.pcapng"), ports: [48899])
        #expect(result.messages == golden.messages && result.functions == golden.functions && result.malformed == 0)
        #expect(result.facts.contains { $0.kind == .hostname && $0.value == "CX_0D7560" })
    }
}
