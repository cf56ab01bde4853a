import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// mDNS and LLMNR: what a multicast answer says about its sender, and real captures against
/// tshark (`dns.flags.response` × 16 + `dns.flags.opcode` on UDP 5353 and 5355).
@Suite struct MDNSTests {
    typealias H = NameServiceHarness

    /// A Google Cast announcement: PTR, TXT and SRV for "Kitchen._googlecast._tcp.local".
    static let announcement: [UInt8] =
        [0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00]  // response, AA, AN 3
        + [0x0b] + Array("_googlecast".utf8) + [0x04] + Array("_tcp".utf8)  // 12: _googlecast, 24: _tcp
        + [0x05] + Array("local".utf8) + [0x00]  // 29: local
        + [0x00, 0x0c, 0x00, 0x01, 0x00, 0x00, 0x11, 0x94, 0x00, 0x0a]  // PTR, IN, TTL 4500, RDLENGTH 10
        + [0x07] + Array("Kitchen".utf8) + [0xc0, 0x0c]  // 46: Kitchen -> 12
        + [0xc0, 0x2e, 0x00, 0x10, 0x80, 0x01, 0x00, 0x00, 0x11, 0x94, 0x00, 0x1f]  // 56: -> 46, TXT, flush
        + [0x13] + Array("md=Chromecast Ultra".utf8) + [0x0a] + Array("fn=Kitchen".utf8)
        + [0xc0, 0x2e, 0x00, 0x21, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x14]  // 99: -> 46, SRV, flush
        + [0x00, 0x00, 0x00, 0x00, 0x1f, 0x49]  // priority 0, weight 0, port 8009
        + [0x0b] + Array("Kitchen-abc".utf8) + [0xc0, 0x1d]  // Kitchen-abc -> 29 (local)

    @Test func announcementDescribesItsSender() throws {
        let run = try #require(H.run(MDNS.self, Self.announcement))
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.parsed.answerCount == 3)
        #expect(run.message.proto == "mdns")
        #expect(run.message.operation == .discovery)
        #expect(run.message.functionName == "query_response")
        #expect(
            run.message.targets.map(\.value) == [
                "Kitchen._googlecast._tcp.local", "\"md=Chromecast Ultra\" \"fn=Kitchen\"",
                "0 0 8009 Kitchen-abc.local",
            ])
        let facts = Set(run.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value) \($0.source)" })
        #expect(
            facts == [
                "10.0.0.1 service=_googlecast._tcp mdns/ptr", "10.0.0.1 service=_googlecast._tcp mdns/srv",
                "10.0.0.1 hostname=Kitchen-abc.local mdns/srv", "10.0.0.1 model=Chromecast Ultra mdns/txt",
            ])
    }

    /// A query's known answers describe other hosts: no facts from it.
    @Test func queriesTellNothing() throws {
        var query = Self.announcement
        query[2] = 0x00
        let run = try #require(H.run(MDNS.self, query))
        #expect(run.message.status == .ok)
        #expect(run.facts.isEmpty)
    }

    @Test func serviceTypes() {
        #expect(DNS.serviceType("Office._ipp._tcp.local") == "_ipp._tcp")
        #expect(DNS.serviceType("_printer._sub._http._tcp.local") == "_http._tcp")
        #expect(DNS.serviceType("_ipp._tcp.local") == "_ipp._tcp")
        #expect(DNS.serviceType("host.local") == nil)
        #expect(DNS.serviceType("x.tcp._tcp") == nil)
    }

    @Test(arguments: ["wrapup-names", "melsoft-names", "profinet-mdns"])
    func mdnsCountsMatchTshark(capture: String) throws {
        let result = H.run(MDNS.self, capture: H.fixture("dns", capture + ".pcap"), udpPorts: [5353])
        #expect(result.golden == (try H.golden(H.fixture("dns", capture + ".mdns.txt"))))
        #expect(result.malformed == 0)
        #expect(result.rejected == 0)
    }

    @Test(arguments: ["wrapup-names", "melsoft-names", "c37118-names"])
    func llmnrCountsMatchTshark(capture: String) throws {
        let result = H.run(LLMNR.self, capture: H.fixture("dns", capture + ".pcap"), udpPorts: [5355])
        #expect(result.golden == (try H.golden(H.fixture("dns", capture + ".llmnr.txt"))))
        #expect(result.malformed == 0)
    }

    /// A National Instruments PC announcing itself: its name for both its addresses and the
    /// LabVIEW service it offers.
    @Test func wrapupNamesTheNIWorkstation() throws {
        let result = H.run(MDNS.self, capture: H.fixture("dns", "wrapup-names.pcap"), udpPorts: [5353])
        let facts = Set(result.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value)" })
        #expect(facts.contains("192.168.0.16 hostname=VJTI-PC3.local"))
        #expect(facts.contains("192.168.0.16 service=_ni-logos._tcp"))
        #expect(facts.contains { $0.hasPrefix("fe80::") && $0.hasSuffix("hostname=VJTI-PC3.local") })
    }
}
