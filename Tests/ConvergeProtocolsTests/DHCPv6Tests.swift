import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// DHCPv6: a Windows SOLICIT field by field, relays, hostile inputs, and real captures against
/// tshark's `dhcpv6.msgtype` (golden files by Tests/Fixtures/dhcpv6/regenerate-golden.sh).
@Suite struct DHCPv6Tests {
    typealias H = NameServiceHarness

    /// The SOLICIT a Windows 7 PC sends (as in the Beckhoff captures).
    static let solicit: [UInt8] = [
        0x01, 0x9c, 0xb4, 0x27,  // SOLICIT, transaction id
        0x00, 0x08, 0x00, 0x02, 0x18, 0x9c,  // elapsed time 63 s
        0x00, 0x01, 0x00, 0x0e,  // client id, 14 bytes
        0x00, 0x01, 0x00, 0x01, 0x1e, 0x71, 0x8f, 0x34,  // DUID-LLT, Ethernet, time
        0x00, 0x21, 0x5c, 0xc3, 0x05, 0xbe,  // MAC
        0x00, 0x03, 0x00, 0x0c, 0x20, 0xb8, 0xae, 0xed, 0, 0, 0, 0, 0, 0, 0, 0,  // IA_NA: IAID, T1, T2
        0x00, 0x27, 0x00, 0x0e, 0x00,  // client FQDN, flags 0
        0x0c, 0x53, 0x68, 0x65, 0x6e, 0x68, 0x75, 0x61, 0x4a, 0x36, 0x2d, 0x50, 0x43,  // "ShenhuaJ6-PC"
        0x00, 0x10, 0x00, 0x0e, 0x00, 0x00, 0x01, 0x37,  // vendor class, enterprise 311 (Microsoft)
        0x00, 0x08, 0x4d, 0x53, 0x46, 0x54, 0x20, 0x35, 0x2e, 0x30,  // "MSFT 5.0"
        0x00, 0x06, 0x00, 0x08, 0x00, 0x18, 0x00, 0x17, 0x00, 0x11, 0x00, 0x27,  // ORO: 24, 23, 17, 39
    ]

    /// A relay-forward from a relay agent carrying the SOLICIT, peer fe80::1.
    static let relayed: [UInt8] =
        [0x0c, 0x00]  // RELAY-FORW, hop count
        + [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x01]  // link address 2001:db8::1
        + [0xfe, 0x80] + [UInt8](repeating: 0, count: 13) + [0x01]  // peer address fe80::1
        + [0x00, 0x09, 0x00, UInt8(solicit.count)] + solicit  // relay message

    @Test func solicitIdentifiesTheClient() throws {
        let run = try #require(H.run(DHCPv6.self, Self.solicit))
        #expect(run.parsed.functionCode == 1)
        #expect(run.parsed.transactionID == 0x9cb427)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.message.functionName == "solicit")
        #expect(run.message.operation == .discovery)
        let facts = Set(run.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value)" })
        #expect(
            facts == [
                "10.0.0.1 hostname=ShenhuaJ6-PC", "10.0.0.1 vendor_class=MSFT 5.0",
                "10.0.0.1 dhcp_fingerprint=24,23,17,39", "10.0.0.1 mac_address=00:21:5c:c3:05:be",
            ])
        #expect(run.message.targets.first { $0.kind == "client_duid" }?.value == "000100011e718f3400215cc305be")
    }

    @Test func relayedSolicitIsReadThroughTheRelay() throws {
        let run = try #require(H.run(DHCPv6.self, Self.relayed))
        #expect(run.parsed.functionCode == 12)
        #expect(run.parsed.innerType == 1)
        #expect(run.parsed.relayDepth == 1)
        #expect(run.message.functionName == "relay_forward.solicit")
        #expect(run.facts.allSatisfy { $0.address == IPAddress("fe80::1") })
        #expect(run.facts.count == 4)
        // Nine relay headers: deeper than any relay chain may be.
        var bomb = Self.solicit
        for _ in 0..<9 {
            let length = [UInt8(bomb.count >> 8), UInt8(bomb.count & 0xff)]
            bomb = [0x0c, 0x00] + [UInt8](repeating: 0, count: 32) + [0x00, 0x09] + length + bomb
        }
        let deep = try #require(H.run(DHCPv6.self, bomb))
        #expect(deep.parsed.anomalies.contains(.relayTooDeep))
        #expect(deep.facts.isEmpty)
    }

    @Test(arguments: 0..<relayed.count)
    func truncatedRelay(length: Int) {
        let prefix = Array(Self.relayed.prefix(length))
        var state = DHCPv6.makeState()
        switch H.parse(DHCPv6.self, prefix, state: &state) {
        case .failure(.malformed): #expect(length < DHCPv6.headerLength)
        case .failure(.needMore): Issue.record("a datagram never asks for more")
        case .success(let parsed):
            if length < Self.relayed.count { #expect(!parsed.message.anomalies.isEmpty) }
            let context = H.context(.toServer)
            _ = DHCPv6.event(parsed.message, bytes: prefix.span, context: context, state: &state)
            _ = DHCPv6.facts(parsed.message, bytes: prefix.span, context: context, state: state)
        }
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0xD6_0547)
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = round % 4 == 0 ? Self.relayed : Self.solicit
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                bytes = (0..<Int.random(in: 0..<120, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
                if bytes.count > 0, round % 3 == 0 { bytes[0] = 12 }
            }
            _ = H.run(DHCPv6.self, bytes)
            _ = H.probe(DHCPv6.self, bytes)
        }
    }

    @Test(arguments: [
        "beckhoff-addroute1-dhcpv6", "beckhoff-invokeid12-dhcpv6", "beckhoff-iplink-dhcpv6", "wrapup-dhcpv6",
    ])
    func countsMatchTshark(capture: String) throws {
        let result = H.run(DHCPv6.self, capture: H.fixture("dhcpv6", capture + ".pcap"), udpPorts: [546, 547])
        #expect(result.golden == (try H.golden(H.fixture("dhcpv6", capture + ".dhcpv6.txt"))))
        #expect(result.malformed == 0)
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
        #expect(result.facts.contains { $0.kind == .hostname })
        #expect(result.facts.contains { $0.kind == .vendorClass && $0.value == "MSFT 5.0" })
    }
}
