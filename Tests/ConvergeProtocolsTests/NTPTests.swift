import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// NTP: byte-commented headers of each mode, hostile input, and counts against tshark's ntp.flags.mode.
@Suite struct NTPTests {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 1073)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 123)

    /// v4 server reply, stratum 1, reference "GPS".
    static let serverReply: [UInt8] = [
        0x24,  // LI 0, VN 4, mode 4 (server)
        0x01,  // stratum 1
        0x06,  // poll 2^6
        0xec,  // precision
        0x00, 0x00, 0x00, 0x00,  // root delay
        0x00, 0x00, 0x00, 0x10,  // root dispersion
        0x47, 0x50, 0x53, 0x00,  // reference id "GPS"
    ] + [UInt8](repeating: 0x11, count: 32)  // reference, origin, receive, transmit timestamps

    /// v4 client request, stratum 0.
    static let clientRequest: [UInt8] = [0x23, 0x00, 0x06, 0x00] + [UInt8](repeating: 0, count: 44)

    /// v3 server reply at stratum 3 synchronised to 192.168.1.10.
    static let stratum3: [UInt8] = [0x1c, 0x03, 0x06, 0xec, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xa8, 0x01, 0x0a]
        + [UInt8](repeating: 0, count: 32)

    /// Mode 6 control query: read variables (opcode 2), sequence 1, association 0.
    static let controlQuery: [UInt8] = [0x16, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]

    /// Mode 7 monlist request (implementation 3 XNTPD, request code 42 MON_GETLIST_1).
    static let monlist: [UInt8] = [0x17, 0x00, 0x03, 0x2a] + [UInt8](repeating: 0, count: 4)

    static let all = [serverReply, clientRequest, stratum3, controlQuery, monlist]

    static func parse(_ bytes: [UInt8], _ direction: Direction = .toServer) throws(DissectError) -> NTP.Packet {
        var state = NTP.makeState()
        return try NTP.parse(bytes.span, direction: direction, time: .zero, state: &state).message
    }

    static func context(_ direction: Direction) -> MessageContext {
        MessageContext(time: .zero, flowID: 1, client: client, server: server, direction: direction)
    }

    static func eventAndFacts(_ bytes: [UInt8], _ direction: Direction) throws -> (Message, [AssetFact]) {
        let packet = try parse(bytes, direction)
        var state = NTP.makeState()
        let event = NTP.event(packet, bytes: bytes.span, context: context(direction), state: &state)
        return (event, NTP.facts(packet, bytes: bytes.span, context: context(direction), state: state))
    }

    @Test func serverReplyMakesATimeServerFact() throws {
        let packet = try Self.parse(Self.serverReply, .toClient)
        #expect(packet.mode == 4 && packet.version == 4 && packet.stratum == 1)
        #expect(NTP.referenceText(packet) == "GPS")
        let (event, facts) = try Self.eventAndFacts(Self.serverReply, .toClient)
        #expect(event.functionName == "server")
        #expect(event.operation == .read)
        #expect(event.targets == [Message.Target(kind: "reference", address: 1, name: "GPS")])
        #expect(facts.map(\.value) == ["ntp_server stratum 1 ref GPS"])
        #expect(facts.first?.address == Self.server.address)
    }

    @Test func clientAndUpstreamReference() throws {
        let (event, facts) = try Self.eventAndFacts(Self.clientRequest, .toServer)
        #expect(event.functionName == "client" && event.status == .pending)
        #expect(facts.map(\.value) == ["ntp_client"])
        #expect(facts.first?.address == Self.client.address)
        #expect(NTP.referenceText(try Self.parse(Self.stratum3)) == "192.168.1.10")
    }

    @Test func controlAndMonlistQueriesAreFlagged() throws {
        let control = try Self.parse(Self.controlQuery)
        #expect(control.mode == 6 && control.opcode == 2 && !control.isReply)
        #expect(control.anomalies == [.controlQuery])
        let monlist = try Self.parse(Self.monlist)
        #expect(monlist.mode == 7 && monlist.opcode == 42)
        #expect(monlist.anomalies == [.privateQuery, .monlist])
        let (event, facts) = try Self.eventAndFacts(Self.monlist, .toServer)
        #expect(event.anomalies == ["ntp.private_query", "ntp.monlist"])
        #expect(event.operation == .diagnostic)
        #expect(facts.isEmpty)
    }

    @Test func probe() {
        func probe(_ bytes: [UInt8]) -> ProbeResult { NTP.probe(bytes.span, direction: .toServer) }
        for fixture in Self.all { #expect(probe(fixture) == .match) }
        #expect(probe([]) == .needMore)
        #expect(probe([0x23, 0x00]) == .needMore)
        #expect(probe([0x00] + [UInt8](repeating: 0, count: 47)) == .reject)  // version 0, mode 0
        #expect(probe(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n0123456789012345678901".utf8)) == .reject)
    }

    @Test(arguments: 0..<48)
    func everyTruncatedPrefix(length: Int) {
        for fixture in Self.all where length < fixture.count {
            let bytes = Array(fixture[0..<length])
            do {
                let packet = try Self.parse(bytes)
                #expect(length > 0)
                #expect(packet.anomalies.contains(.truncated) || packet.hasHeader)
                _ = try Self.eventAndFacts(bytes, .toServer)
            } catch {
                #expect(length == 0)
            }
        }
    }

    @Test func randomInputsDoNotTrap() throws {
        var generator = SeededGenerator(seed: 0x47)
        for _ in 0..<3_000 {
            let count = Int.random(in: 0..<64, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = NTP.probe(bytes.span, direction: .toServer)
            if count > 0 { _ = try Self.eventAndFacts(bytes, .toClient) }
        }
    }

    @Test(arguments: [
        "public/iti/IEC61850/Sample_File_MMS_and_GOOSE", "public/iti/IEC60870-5-104/JavaRMI_and_IEC_Misc",
    ])
    func countsMatchTshark(path: String) throws {
        guard let shared = ITUDPCaptureHarness.shared else {
            print("skipped: ../shared is missing")
            return
        }
        let result = ITUDPCaptureHarness.run(
            NTP.self, url: shared.appendingPathComponent("captures/" + path + ".pcap"), ports: [123])
        let golden = ITUDPCaptureHarness.fixtures("ntp")
            .appendingPathComponent(path.replacingOccurrences(of: "/", with: "__") + ".tshark.txt")
        let expected = try ITUDPCaptureHarness.golden(golden)
        #expect(expected.messages > 0)
        #expect(result.messages == expected.messages)
        #expect(result.functions == expected.functions)
        #expect(result.facts.contains { $0.kind == .role && $0.value.hasPrefix("ntp_server stratum") })
    }
}
