import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// DHCPv4 decoded field by field, its facts, hostile inputs, and real captures against tshark's
/// `dhcp.option.dhcp` (golden files by Tests/Fixtures/dhcp/regenerate-golden.sh).
@Suite struct DHCPTests {
    typealias H = NameServiceHarness
    typealias F = DHCPFixtures

    static func context(_ direction: Direction) -> MessageContext {
        MessageContext(
            time: .zero, flowID: 1, client: Endpoint(address: IPAddress(v4: 0), port: 68),
            server: Endpoint(address: IPAddress(v4: 0xffff_ffff), port: 67), direction: direction)
    }

    @Test func requestFieldsTargetsAndFacts() throws {
        let run = try #require(H.run(DHCP.self, F.request, context: Self.context(.toServer)))
        let frame = run.parsed
        #expect(frame.functionCode == 3)
        #expect(frame.transactionID == 0x3903_f326)
        #expect(frame.clientMAC == 0x000b_8201_fc42)
        #expect(frame.requestedAddress == 0xc0a8_000a)
        #expect(frame.anomalies.isEmpty)
        #expect(run.message.functionName == "request")
        #expect(run.message.operation == .session)
        let targets = Dictionary(run.message.targets.map { ($0.kind, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(targets["client_mac"] == "00:0b:82:01:fc:42")
        #expect(targets["requested_address"] == "192.168.0.10")
        #expect(targets["host_name"] == "plc-gw")
        #expect(targets["client_fqdn"] == "plc-gw.lan")
        #expect(targets["vendor_class"] == "MSFT 5.0")
        #expect(targets["client_id"] == "01:00:0b:82:01:fc:42")
        #expect(targets["parameter_request_list"] == "1,3,6,15")
        let facts = Set(run.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value)" })
        #expect(
            facts == [
                "192.168.0.10 hostname=plc-gw", "192.168.0.10 hostname=plc-gw.lan",
                "192.168.0.10 vendor_class=MSFT 5.0", "192.168.0.10 dhcp_fingerprint=1,3,6,15",
                "192.168.0.10 mac_address=00:0b:82:01:fc:42",
            ])
        #expect(run.facts.allSatisfy { $0.source == "dhcp/request" })
    }

    @Test func ackLeasesAndNamesTheServers() throws {
        let run = try #require(H.run(DHCP.self, F.ack, .toClient, context: Self.context(.toClient)))
        #expect(run.parsed.functionCode == 5)
        #expect(run.parsed.leaseTime == 3600)
        #expect(run.parsed.serverIdentifier == 0xc0a8_0001)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.message.targets.contains(Message.Target(kind: "leased_address", address: 0, value: "192.168.0.10")))
        #expect(run.message.targets.contains(Message.Target(kind: "lease_time", address: 51, values: [3600])))
        let dnsServers = run.message.targets.filter { $0.kind == "dns_server" }.compactMap(\.value)
        #expect(dnsServers == ["192.168.0.1", "8.8.8.8"])
        let facts = Set(run.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value)" })
        #expect(
            facts == [
                "192.168.0.10 mac_address=00:0b:82:01:fc:42", "192.168.0.1 role=dhcp_server",
                "192.168.0.254 role=router", "192.168.0.1 role=dns_server", "8.8.8.8 role=dns_server",
            ])
    }

    @Test func overloadedFileFieldIsRead() throws {
        let run = try #require(H.run(DHCP.self, F.overloaded))
        #expect(run.parsed.overload == 1)
        #expect(run.parsed.functionCode == 1)
        #expect(run.message.targets.contains(Message.Target(kind: "host_name", address: 12, value: "abc")))
        // No address to hang facts on in a first DISCOVER.
        #expect(run.facts.isEmpty)
    }

    @Test func pairsAUnicastRenewal() {
        var state = DHCP.makeState()
        _ = H.parse(DHCP.self, F.request, .toServer, state: &state, time: 100)
        guard case .success(let ack) = H.parse(DHCP.self, F.ack, .toClient, state: &state, time: 350) else {
            Issue.record("ack not parsed")
            return
        }
        #expect(ack.message.roundTripNanoseconds == 250)
        #expect(state.pending.count == 0)
    }

    /// Every prefix: under the BOOTP header malformed; past it a message, flagged when its
    /// options are cut.
    @Test(arguments: 0..<F.request.count)
    func truncatedRequest(length: Int) {
        let prefix = Array(F.request.prefix(length))
        var state = DHCP.makeState()
        switch H.parse(DHCP.self, prefix, state: &state) {
        case .failure(.malformed): #expect(length < DHCP.bootpHeaderLength)
        case .failure(.needMore): Issue.record("a datagram never asks for more")
        case .success(let parsed):
            #expect(length >= DHCP.bootpHeaderLength)
            if length > DHCP.optionsOffset && length < F.request.count {
                #expect(!parsed.message.anomalies.intersection([.optionOverrun, .missingEnd]).isEmpty)
            }
            let context = Self.context(.toServer)
            _ = DHCP.event(parsed.message, bytes: prefix.span, context: context, state: &state)
            _ = DHCP.facts(parsed.message, bytes: prefix.span, context: context, state: state)
        }
    }

    @Test func badLengthsAndCodesAreFlagged() throws {
        var overrun = F.header(op: 1) + [53, 1, 1, 12, 200, 0x61]
        var run = try #require(H.run(DHCP.self, overrun))
        #expect(run.parsed.anomalies.contains(.optionOverrun))
        #expect(run.parsed.functionCode == 1)
        overrun = F.header(op: 1) + [53, 2, 1, 1, 50, 3, 1, 2, 3, 53, 1, 3, 53, 1, 5, 52, 1, 9, 255]
        run = try #require(H.run(DHCP.self, overrun))
        #expect(run.parsed.anomalies.isSuperset(of: [.badOptionLength, .duplicateMessageType, .badOverload]))
        #expect(run.parsed.functionCode == 3)
        #expect(run.parsed.requestedAddress == 0)
        var badCookie = F.request
        badCookie[236] = 0
        #expect(H.probe(DHCP.self, badCookie) == .reject)
        run = try #require(H.run(DHCP.self, badCookie))
        #expect(run.parsed.anomalies == .badCookie)
        #expect(!run.parsed.hasFunction)
        #expect(run.message.functionName == "bootp_request")
        var weird = F.request
        weird[0] = 7
        weird[2] = 99
        #expect(try #require(H.run(DHCP.self, weird)).parsed.anomalies.isSuperset(of: [.badOp, .badHardwareLength]))
        // 300 one-byte options: the walk stops at its cap.
        let flood = F.header(op: 1) + Array(repeating: [UInt8]([77, 0]), count: 300).flatMap { $0 } + [255]
        #expect(try #require(H.run(DHCP.self, flood)).parsed.anomalies.contains(.tooManyOptions))
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0xD4C9_0004)
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                let count = Int.random(in: 0..<300, using: &generator)
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                // A sound header, random options (and random sname/file when overloaded).
                bytes = F.header(op: UInt8.random(in: 1...2, using: &generator))
                for index in 44..<236 where round % 2 == 0 {
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
                let count = Int.random(in: 0..<120, using: &generator)
                bytes += (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if round % 5 == 0 { bytes += [52, 1, 3] }
            }
            var state = DHCP.makeState()
            if case .success(let parsed) = H.parse(DHCP.self, bytes, state: &state) {
                let context = Self.context(.toServer)
                _ = DHCP.event(parsed.message, bytes: bytes.span, context: context, state: &state)
                _ = DHCP.facts(parsed.message, bytes: bytes.span, context: context, state: state)
            }
            _ = H.probe(DHCP.self, bytes)
        }
    }

    static let captures = [
        "it_mix-dhcp", "openics-firmware-dhcp", "openics-ipchange-dhcp", "sv-dhcp-eve-extended-option-60",
        "sv-dhcp-eve-extended", "sv-dhcp-option-52-overload-both", "sv-dhcp-option-52-overload",
        "sv-dhcp-request-flood-200",
    ]

    @Test(arguments: captures)
    func countsMatchTshark(capture: String) throws {
        let result = H.run(DHCP.self, capture: H.fixture("dhcp", capture + ".pcap"), udpPorts: [67, 68])
        var expected = try H.golden(H.fixture("dhcp", capture + ".dhcp.txt"))
        let all = expected.removeValue(forKey: "messages all")
        #expect(result.golden == expected)
        #expect(result.messages.count == all)
        #expect(result.malformed == 0)
        #expect(result.rejected == 0)
    }

    /// isc-dhcp-client against dnsmasq: the lease and who serves it.
    @Test func itMixLeaseFacts() throws {
        let result = H.run(DHCP.self, capture: H.fixture("dhcp", "it_mix-dhcp.pcap"), udpPorts: [67, 68])
        let kinds = Set(result.facts.map(\.kind))
        #expect(kinds.isSuperset(of: [.macAddress, .role]))
        #expect(result.facts.contains { $0.kind == .role && $0.value == "dhcp_server" })
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
    }
}
