import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures through the real reader, decoder and the DNS, DNS-over-TCP, mDNS and LLMNR
/// dissectors: per-function counts equal tshark's (`dns.flags.response` × 16 + `dns.flags.opcode`,
/// golden files by Tests/Fixtures/dns/regenerate-golden.sh), and the names they reveal.
@Suite struct DNSCaptureTests {
    typealias H = NameServiceHarness

    static let udpCaptures = [
        "it_mix-dns", "bench-dns", "modbusSmall-dns", "c37118-names", "sv-dns-corrupt-additionals",
        "sv-dns-invalid-opcode",
    ]

    @Test(arguments: udpCaptures)
    func dnsCountsMatchTshark(capture: String) throws {
        let result = H.run(DNS.self, capture: H.fixture("dns", capture + ".pcap"), udpPorts: [53])
        let expected = try H.golden(H.fixture("dns", capture + ".dns.txt"))
        #expect(!expected.isEmpty)
        #expect(result.golden == expected)
        #expect(result.malformed == 0)
        #expect(result.rejected == 0)
        #expect(result.errors.isEmpty)
    }

    @Test func llmnrCountsMatchTshark() throws {
        let result = H.run(LLMNR.self, capture: H.fixture("dns", "c37118-names.pcap"), udpPorts: [5355])
        #expect(result.golden == (try H.golden(H.fixture("dns", "c37118-names.llmnr.txt"))))
        #expect(result.messages.allSatisfy { $0.operation == .discovery && $0.proto == "llmnr" })
    }

    /// suricata-verify's 16,775-byte query over TCP (port 1053) with 1,500 questions of over-long
    /// names, reassembled from two segments: one query, as tshark (decoding the port as DNS) counts
    /// it, its names flagged and the walk capped.
    @Test func tcpCountsMatchTsharkOnATruncatedName() throws {
        let result = H.run(
            DNSOverTCP.self, capture: H.fixture("dns", "sv-dns-truncated-rname-tcp1053.pcap"), tcpPorts: [1053])
        #expect(result.golden == (try H.golden(H.fixture("dns", "sv-dns-truncated-rname-tcp1053.dns_tcp.txt"))))
        #expect(result.malformed == 0)
        let query = try #require(result.messages.first)
        #expect(query.anomalies.contains("dns.bad_name"))
        #expect(query.targets.count <= DNS.maxEventTargets)
    }

    /// dnsmasq answering dnspython and the DHCP client: every answer paired with its query, names
    /// for the lab's addresses.
    @Test func itMixPairsEveryAnswerAndNamesHosts() throws {
        let result = H.run(DNS.self, capture: H.fixture("dns", "it_mix-dns.pcap"), udpPorts: [53])
        let responses = result.messages.filter { $0.functionCode == DNS.responseBase }
        #expect(responses.count == 22)
        #expect(responses.allSatisfy { ($0.roundTripNanoseconds ?? -1) >= 0 })
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
        #expect(!result.facts.isEmpty)
        #expect(result.facts.allSatisfy { $0.kind == .hostname && !$0.value.isEmpty })
        for fact in result.facts where fact.source == "dns/ptr" {
            #expect(!fact.value.hasSuffix("arpa"))
        }
    }

    @Test func corruptAdditionalsAreFlaggedNotFatal() throws {
        let result = H.run(DNS.self, capture: H.fixture("dns", "sv-dns-corrupt-additionals.pcap"), udpPorts: [53])
        let response = try #require(result.messages.first { $0.functionCode == DNS.responseBase })
        #expect(response.anomalies.contains("dns.truncated"))
        #expect(!response.targets.isEmpty)
    }
}
