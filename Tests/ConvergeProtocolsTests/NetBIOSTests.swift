import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// NetBIOS name service and datagram (browser) messages, their facts, hostile inputs, and real
/// captures against tshark (golden files by Tests/Fixtures/netbios/regenerate-golden.sh).
@Suite struct NetBIOSTests {
    typealias H = NameServiceHarness

    /// RFC 1001 §14.1 first-level encoding: the name padded with spaces to 15, the suffix, each
    /// byte split into two nibbles written as 'A' + nibble; as a 32-byte label.
    static func encoded(_ name: String, suffix: UInt8) -> [UInt8] {
        let padded = Array(name.utf8) + [UInt8](repeating: 0x20, count: 15 - name.utf8.count) + [suffix]
        return [0x20] + padded.flatMap { [0x41 + ($0 >> 4), 0x41 + ($0 & 0x0f)] }
    }

    /// A broadcast registration of PLC-HMI01<00> at 192.168.1.10.
    static let registration: [UInt8] =
        [0x80, 0x01, 0x29, 0x10]  // id, flags: registration (opcode 5), RD, broadcast
        + [0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]  // QD 1, AR 1
        + encoded("PLC-HMI01", suffix: 0x00) + [0x00]  // 12: the name, root
        + [0x00, 0x20, 0x00, 0x01]  // NB, IN
        + [0xc0, 0x0c, 0x00, 0x20, 0x00, 0x01, 0x00, 0x04, 0x93, 0xe0, 0x00, 0x06]  // -> 12, NB, IN, TTL, RDLENGTH 6
        + [0x00, 0x00, 0xc0, 0xa8, 0x01, 0x0a]  // unique, 192.168.1.10

    /// A host announcement from HMI01 (192.168.1.10) to WORKGROUP<1d>: Windows 6.1, workstation
    /// and server, comment "Line 3 HMI".
    static let hostAnnouncement: [UInt8] = {
        let browser: [UInt8] =
            [0x01, 0x00, 0x60, 0xea, 0x00, 0x00]  // host announcement, update count, periodicity 60 s
            + Array("HMI01".utf8) + [UInt8](repeating: 0, count: 11)  // server name, 16 bytes
            + [0x06, 0x01]  // OS 6.1
            + [0x03, 0x10, 0x00, 0x00]  // server type 0x1003: workstation, server, NT workstation
            + [0x0f, 0x01, 0x55, 0xaa]  // browser 15.1, signature
            + Array("Line 3 HMI".utf8) + [0x00]  // comment
        let mailslot = Array("\\MAILSLOT\\BROWSE".utf8) + [0x00]
        let dataOffset = 32 + 1 + 34 + 2 + mailslot.count
        var smb: [UInt8] = [0xff, 0x53, 0x4d, 0x42, 0x25] + [UInt8](repeating: 0, count: 27)  // SMB Transaction
        smb += [17]  // word count
        smb += [0, 0, UInt8(browser.count), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]  // totals, maxima, flags, timeout
        smb += [0, 0, 0, 0, UInt8(dataOffset), 0]  // reserved, parameter count, parameter offset
        smb += [UInt8(browser.count), 0, UInt8(dataOffset), 0]  // data count, data offset
        smb += [3, 0, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00]  // 3 setup words: mailslot write, priority, class
        smb += [UInt8(mailslot.count + browser.count), 0] + mailslot + browser
        let names = encoded("HMI01", suffix: 0x00) + [0x00] + encoded("WORKGROUP", suffix: 0x1d) + [0x00]
        let length = names.count + smb.count
        return [0x11, 0x02, 0x81, 0x23, 0xc0, 0xa8, 0x01, 0x0a, 0x00, 0x8a]  // direct group, id, source, port
            + [UInt8(length >> 8), UInt8(length & 0xff), 0x00, 0x00]  // length, packet offset
            + names + smb
    }()

    @Test func registrationNamesTheHost() throws {
        let run = try #require(H.run(NetBIOSNS.self, Self.registration))
        #expect(run.parsed.functionCode == 5)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.message.functionName == "registration")
        #expect(run.message.operation == .write)
        #expect(run.message.targets.map(\.name) == ["PLC-HMI01<00>", "PLC-HMI01<00>"])
        #expect(run.message.targets.last?.value == "192.168.1.10")
        let facts = Set(run.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value)" })
        #expect(facts == ["192.168.1.10 hostname=PLC-HMI01", "192.168.1.10 role=workstation"])
        #expect(H.probe(NetBIOSNS.self, Self.registration) == .match)
        #expect(H.probe(NetBIOSNS.self, DNSFixtures.query) == .reject)
    }

    @Test func hostAnnouncementDescribesTheSender() throws {
        let run = try #require(H.run(NetBIOSDatagram.self, Self.hostAnnouncement))
        #expect(run.parsed.functionCode == 0x11)
        #expect(run.parsed.browserCommand == 0x01)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.message.functionName == "direct_group.host_announcement")
        #expect(
            run.message.targets == [
                Message.Target(kind: "source_name", address: 0, name: "HMI01<00>"),
                Message.Target(kind: "destination_name", address: 0, name: "WORKGROUP<1d>"),
                Message.Target(
                    kind: "host_announcement", address: 0x1003, values: [6, 1], name: "HMI01", value: "Line 3 HMI"),
            ])
        let facts = Set(run.facts.map { "\($0.address) \($0.kind.rawValue)=\($0.value)" })
        #expect(
            facts == [
                "192.168.1.10 hostname=HMI01", "192.168.1.10 os=Windows 6.1", "192.168.1.10 role=file_server",
                "192.168.1.10 domain=WORKGROUP",
            ])
        var counted: [Int] = []
        NetBIOSDatagram.forEachSubFunction(run.parsed, bytes: Self.hostAnnouncement.span) { counted.append($0) }
        #expect(counted == [1])
    }

    /// Every prefix: under the header malformed, then a datagram with fewer parts found.
    @Test(arguments: 0..<hostAnnouncement.count)
    func truncatedAnnouncement(length: Int) {
        let prefix = Array(Self.hostAnnouncement.prefix(length))
        var state = NetBIOSDatagram.makeState()
        switch H.parse(NetBIOSDatagram.self, prefix, state: &state) {
        case .failure(.malformed): #expect(length < NetBIOSDatagram.headerLength)
        case .failure(.needMore): Issue.record("a datagram never asks for more")
        case .success(let parsed):
            if length < Self.hostAnnouncement.count { #expect(!parsed.message.anomalies.isEmpty) }
            let context = H.context(.toServer)
            _ = NetBIOSDatagram.event(parsed.message, bytes: prefix.span, context: context, state: &state)
            _ = NetBIOSDatagram.facts(parsed.message, bytes: prefix.span, context: context, state: state)
        }
    }

    @Test(arguments: 0..<registration.count)
    func truncatedRegistration(length: Int) {
        let prefix = Array(Self.registration.prefix(length))
        var state = NetBIOSNS.makeState()
        switch H.parse(NetBIOSNS.self, prefix, state: &state) {
        case .failure(.malformed): #expect(length < DNS.headerLength)
        case .failure(.needMore): Issue.record("a datagram never asks for more")
        case .success(let parsed):
            if length < Self.registration.count { #expect(parsed.message.anomalies.contains(.truncated)) }
            let context = H.context(.toServer)
            _ = NetBIOSNS.event(parsed.message, bytes: prefix.span, context: context, state: &state)
            #expect(NetBIOSNS.facts(parsed.message, bytes: prefix.span, context: context, state: state).isEmpty
                || length == Self.registration.count)
        }
    }

    @Test func badEncodingsAndLengths() throws {
        var badName = Self.registration
        badName[13] = 0x5a  // 'Z' is not a first-level encoding character
        let run = try #require(H.run(NetBIOSNS.self, badName))
        #expect(run.facts.isEmpty)
        #expect(run.message.targets.first?.name?.hasPrefix("Z") == true)
        var badLength = Self.hostAnnouncement
        badLength[11] &+= 9
        #expect(try #require(H.run(NetBIOSDatagram.self, badLength)).parsed.anomalies.contains(.badLength))
        var badOffset = Self.hostAnnouncement
        let smb = 14 + 68
        badOffset[smb + 33 + 24] = 0xff  // data offset past the datagram
        let broken = try #require(H.run(NetBIOSDatagram.self, badOffset))
        #expect(broken.parsed.anomalies.contains(.badSMB))
        #expect(broken.parsed.browserCommand == nil)
        var otherSlot = Self.hostAnnouncement
        otherSlot[smb + 33 + 34 + 2 + 10] = 0x4c  // \MAILSLOT\LROWSE
        #expect(try #require(H.run(NetBIOSDatagram.self, otherSlot)).parsed.browserCommand == nil)
        #expect(H.probe(NetBIOSDatagram.self, [0x20] + Array(Self.hostAnnouncement.dropFirst())) == .reject)
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x0B_0137)
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = round % 4 == 0 ? Self.hostAnnouncement : Self.registration
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            } else {
                bytes = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            }
            _ = H.run(NetBIOSNS.self, bytes)
            _ = H.run(NetBIOSDatagram.self, bytes)
            _ = H.probe(NetBIOSNS.self, bytes)
            _ = H.probe(NetBIOSDatagram.self, bytes)
        }
    }

    @Test(arguments: [
        "beckhoff-addroute1-netbios", "beckhoff-addrouteuse-netbios", "beckhoff-tc3-netbios",
        "iec61850-sample-netbios", "openics-protocolchange-netbios",
    ])
    func nameServiceCountsMatchTshark(capture: String) throws {
        let result = H.run(NetBIOSNS.self, capture: H.fixture("netbios", capture + ".pcap"), udpPorts: [137])
        #expect(result.golden == (try H.golden(H.fixture("netbios", capture + ".nbns.txt"))))
        #expect(result.malformed == 0)
        #expect(result.rejected == 0)
    }

    @Test(arguments: [
        "beckhoff-addroute1-netbios", "beckhoff-addrouteuse-netbios", "iec104-diverse-netbios",
        "openics-protocolchange-netbios",
    ])
    func datagramCountsMatchTshark(capture: String) throws {
        let result = H.run(NetBIOSDatagram.self, capture: H.fixture("netbios", capture + ".pcap"), udpPorts: [138])
        #expect(result.golden == (try H.golden(H.fixture("netbios", capture + ".nbdgm.txt"))))
        #expect(result.malformed == 0)
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
    }

    /// Beckhoff's TwinCAT 3 engineering PC registering its names; openics' hosts announcing themselves.
    @Test func capturesNameTheirHosts() throws {
        let tc3 = H.run(NetBIOSNS.self, capture: H.fixture("netbios", "beckhoff-tc3-netbios.pcap"), udpPorts: [137])
        #expect(tc3.facts.contains { $0.kind == .hostname })
        let openics = H.run(
            NetBIOSDatagram.self, capture: H.fixture("netbios", "openics-protocolchange-netbios.pcap"), udpPorts: [138])
        #expect(openics.facts.contains { $0.kind == .hostname })
        #expect(openics.facts.contains { $0.kind == .os && $0.value.hasPrefix("Windows ") })
    }
}
