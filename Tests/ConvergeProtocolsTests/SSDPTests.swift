import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// SSDP: announcements, searches and answers, their facts, hostile inputs, and real captures
/// against tshark (golden files by Tests/Fixtures/ssdp/regenerate-golden.sh).
@Suite struct SSDPTests {
    typealias H = NameServiceHarness

    static func message(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) }

    static let notify = message([
        "NOTIFY * HTTP/1.1", "HOST: 239.255.255.250:1900", "CACHE-CONTROL: max-age=1800",
        "LOCATION: http://10.0.0.1:49152/description.xml", "SERVER: Linux/3.14 UPnP/1.0 IpBridge/1.26.0",
        "NT: urn:schemas-upnp-org:device:Basic:1", "NTS: ssdp:alive",
        "USN: uuid:2f402f80-da50-11e1-9b23-001788255acc::urn:schemas-upnp-org:device:Basic:1",
    ])
    static let search = message([
        "M-SEARCH * HTTP/1.1", "HOST: 239.255.255.250:1900", "MAN: \"ssdp:discover\"", "MX: 3", "ST: ssdp:all",
        "USER-AGENT: Google Chrome/63.0.3239.84 Windows",
    ])
    static let answer = message([
        "HTTP/1.1 200 OK", "CACHE-CONTROL: max-age=120", "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1",
        "USN: uuid:f5c1d177::urn:schemas-upnp-org:device:InternetGatewayDevice:1", "EXT:",
        "SERVER: UPnP/1.0 BLR-TX4S/1.0", "LOCATION: http://192.168.0.1:5431/igdevicedesc.xml",
    ])

    @Test func notifyDescribesTheDevice() throws {
        let run = try #require(H.run(SSDP.self, Self.notify))
        #expect(run.parsed.functionCode == SSDP.notifyCode)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.message.functionName == "notify.ssdp:alive")
        let basic = "urn:schemas-upnp-org:device:Basic:1"
        #expect(run.message.targets.first == Message.Target(kind: "nt", address: 0, value: basic))
        let facts = Set(run.facts.map { "\($0.kind.rawValue)=\($0.value)" })
        #expect(facts == ["os=Linux/3.14", "software=IpBridge/1.26.0", "service=urn:schemas-upnp-org:device:Basic:1"])
        #expect(run.facts.allSatisfy { $0.address == H.client.address && $0.source == "ssdp/notify" })
    }

    @Test func searchAndAnswer() throws {
        let search = try #require(H.run(SSDP.self, Self.search))
        #expect(search.parsed.functionCode == SSDP.searchCode)
        #expect(search.message.targets.map(\.kind) == ["st", "user_agent"])
        #expect(search.facts.isEmpty)
        let answer = try #require(H.run(SSDP.self, Self.answer, .toClient))
        #expect(answer.parsed.functionCode == 200)
        #expect(answer.message.functionName == "response")
        let facts = Set(answer.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value)" })
        #expect(
            facts == [
                "10.0.0.2 software=BLR-TX4S/1.0",
                "10.0.0.2 service=urn:schemas-upnp-org:device:InternetGatewayDevice:1",
            ])
        let windows = SSDP.describeServer("Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0")
        #expect(windows.os == "Microsoft-Windows/10.0")
        #expect(SSDP.describeServer("Linux, UPnP/1.0, Portable SDK for UPnP devices/1.6.22").product
            == "Portable SDK for UPnP devices/1.6.22")
    }

    @Test func byebyeTellsNothing() throws {
        let text = String(decoding: Self.notify, as: UTF8.self)
            .replacingOccurrences(of: "ssdp:alive", with: "ssdp:byebye")
        let run = try #require(H.run(SSDP.self, Array(text.utf8)))
        #expect(run.message.functionName == "notify.ssdp:byebye")
        #expect(run.facts.isEmpty)
    }

    @Test(arguments: 0..<notify.count)
    func truncatedNotify(length: Int) {
        let prefix = Array(Self.notify.prefix(length))
        var state = SSDP.makeState()
        switch H.parse(SSDP.self, prefix, state: &state) {
        case .failure(.malformed): #expect(length <= "NOTIFY * HTTP/1.1".utf8.count)
        case .failure(.needMore): Issue.record("a datagram never asks for more")
        case .success(let parsed):
            // A lone CR ends a line too, so only the final LF may go missing unflagged.
            if length < Self.notify.count - 1 { #expect(parsed.message.anomalies.contains(.unterminated)) }
            let context = H.context(.toServer)
            _ = SSDP.event(parsed.message, bytes: prefix.span, context: context, state: &state)
            _ = SSDP.facts(parsed.message, bytes: prefix.span, context: context, state: state)
        }
    }

    @Test func hostileHeaders() throws {
        #expect(H.probe(SSDP.self, Array("GET / HTTP/1.1\r\n\r\n".utf8)) == .reject)
        var state = SSDP.makeState()
        guard case .failure(.malformed) = H.parse(SSDP.self, Array("HTTP/1.1 2x0 OK\r\n\r\n".utf8), state: &state)
        else {
            Issue.record("bad status accepted")
            return
        }
        let many = Self.message(["NOTIFY * HTTP/1.1"] + Array(repeating: "X-A: b", count: 100) + ["no colon here"])
        let run = try #require(H.run(SSDP.self, many))
        #expect(run.parsed.anomalies.contains(.tooManyHeaders))
        let odd = Self.message(["NOTIFY * HTTP/1.1", "no colon here", "SERVER:    "])
        #expect(try #require(H.run(SSDP.self, odd)).parsed.anomalies == .badHeader)
        let other = try #require(H.run(SSDP.self, Self.message(["SUBSCRIBE /x HTTP/1.1"])))
        #expect(other.parsed.functionCode == SSDP.otherMethodCode)
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x55_D900)
        let alphabet = Array("NOTIFY M-SEARCH HTTP/1.1 200 : \r\n\r\nSERVER NT ST USN".utf8)
        for round in 0..<3_000 {
            let count = Int.random(in: 0..<200, using: &generator)
            var bytes = (0..<count).map { _ in
                round % 2 == 0
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                    : UInt8.random(in: 0...255, using: &generator)
            }
            if round % 3 == 0 { bytes = Array("NOTIFY * HTTP/1.1\r\n".utf8) + bytes }
            _ = H.run(SSDP.self, bytes)
            _ = H.probe(SSDP.self, bytes)
        }
    }

    @Test(arguments: [
        "c37118-ssdp", "melsoft-ssdp", "beckhoff-tc3-ssdp", "wrapup-ssdp", "sv-http-request-invalid-ssdp",
    ])
    func countsMatchTshark(capture: String) throws {
        let result = H.run(SSDP.self, capture: H.fixture("ssdp", capture + ".pcap"), udpPorts: [1900])
        #expect(result.golden == (try H.golden(H.fixture("ssdp", capture + ".ssdp.txt"))))
        #expect(result.malformed == 0)
        #expect(result.rejected == 0)
    }

    /// A Buffalo router announcing itself as an Internet gateway.
    @Test func c37118NamesTheRouter() throws {
        let result = H.run(SSDP.self, capture: H.fixture("ssdp", "c37118-ssdp.pcap"), udpPorts: [1900])
        let router = try #require(IPAddress("192.168.0.1"))
        let facts = Set(result.facts.filter { $0.address == router }.map { "\($0.kind.rawValue)=\($0.value)" })
        #expect(facts.contains("software=BLR-TX4S/1.0"))
        #expect(facts.contains("service=urn:schemas-upnp-org:device:InternetGatewayDevice:1"))
    }
}
