import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// LLDP decoded TLV by TLV, its event and facts, hostile inputs, and the shared captures against
/// tshark (golden file by Tests/Fixtures/lldp/regenerate-golden.sh).
@Suite struct LLDPTests {
    typealias H = LinkCaptureHarness
    typealias F = LLDPFixtures

    @Test func claimsOnlyItsEtherType() {
        #expect(H.claims(LLDP.self, etherType: 0x88CC, F.full))
        #expect(!H.claims(LLDP.self, etherType: 0x0800, F.full))
        #expect(!H.claims(LLDP.self, etherType: 0, F.full))
    }

    @Test func fullLLDPDUFields() throws {
        let run = try #require(H.run(LLDP.self, F.full))
        let frame = run.parsed
        #expect(frame.functionCode == 1)
        #expect(frame.chassisSubtype == 4)
        #expect(frame.portSubtype == 5)
        #expect(frame.timeToLive == 120)
        #expect(frame.capabilitiesSupported == 0x0014)
        #expect(frame.capabilitiesEnabled == 0x0004)
        #expect(frame.managementAddressCount == 2)
        #expect(frame.portVLAN == 10)
        #expect(frame.vlanNameID == 10)
        #expect(frame.hasMACPHY && frame.autoNegotiation == 3 && frame.operationalMAUType == 16)
        #expect(!frame.isPROFINET)
        #expect(frame.tlvCount == 14)
        #expect(frame.anomalies.isEmpty)
    }

    @Test func fullLLDPDUEvent() throws {
        let message = try #require(H.run(LLDP.self, F.full)).message
        #expect(message.proto == "lldp")
        #expect(message.functionName == "lldpdu")
        #expect(message.operation == .discovery)
        #expect(message.flowID == 0)
        #expect(message.client.address == IPAddress("10.0.0.2"))
        #expect(message.server.address == .none)
        #expect(message.sourceMAC == "00:1b:1b:aa:bb:01")
        #expect(message.destinationMAC == "01:80:c2:00:00:0e")
        #expect(message.anomalies.isEmpty)
        #expect(H.target(message, "chassis_id")?.value == "00:1b:1b:aa:bb:cc")
        #expect(H.target(message, "port_id")?.value == "Gi1/0/1")
        #expect(H.target(message, "ttl")?.values == [120])
        #expect(H.target(message, "system_name")?.value == "sw-core-1")
        #expect(H.target(message, "capabilities")?.value == "bridge,router")
        #expect(H.target(message, "capabilities")?.values == [0x14, 0x04])
        let management = message.targets.filter { $0.kind == "management_address" }.compactMap(\.value)
        #expect(management == ["10.0.0.2", "fd00::2"])
        #expect(H.target(message, "vlan_name") == Message.Target(kind: "vlan_name", address: 10, value: "ctrl"))
        #expect(H.target(message, "mac_phy")?.values == [3, 16])
        #expect(H.target(message, "chassis_mac")?.value == "00:1b:1b:aa:bb:cc")
    }

    @Test func fullLLDPDUFacts() throws {
        let facts = try #require(H.run(LLDP.self, F.full)).facts
        #expect(
            H.factSet(facts) == [
                "hostname=sw-core-1", "software=IOS 15.2", "capabilities=bridge,router",
                "interface=Gi1/0/1 (uplink)", "vlan=10 (ctrl)", "management_address=10.0.0.2",
                "management_address=fd00::2", "mac_address=00:1b:1b:aa:bb:cc",
            ])
        #expect(facts.allSatisfy { $0.mac == "00:1b:1b:aa:bb:01" && $0.address == IPAddress("10.0.0.2") })
        #expect(facts.allSatisfy { $0.source == "lldp/lldpdu" })
    }

    @Test func profinetNameOfStation() throws {
        let run = try #require(H.run(LLDP.self, F.profinet))
        #expect(run.parsed.isPROFINET)
        #expect(run.parsed.profinetChassisMAC == 0x000e_8c11_2233)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(H.target(run.message, "profinet_name_of_station")?.value == "plc-1")
        #expect(H.target(run.message, "port_id")?.value == "port-001.plc-1")
        #expect(run.message.client.address == .none)
        #expect(
            H.factSet(run.facts) == [
                "hostname=plc-1", "interface=port-001.plc-1", "mac_address=00:0e:8c:11:22:33",
            ])
        #expect(run.facts.first { $0.kind == .hostname }?.source == "lldp/profinet")
        #expect(run.facts.allSatisfy { $0.address == .none })
    }

    @Test func shutdownIsFunctionZero() throws {
        let run = try #require(H.run(LLDP.self, F.shutdown))
        #expect(run.parsed.functionCode == 0)
        #expect(run.parsed.isShutdown)
        #expect(run.message.functionName == "lldp_shutdown")
        #expect(run.parsed.anomalies.isEmpty)
        #expect(H.factSet(run.facts) == ["interface=Gi1/0/1", "mac_address=00:1b:1b:aa:bb:cc"])
    }

    @Test func networkAddressChassisID() throws {
        let run = try #require(H.run(LLDP.self, F.networkChassis))
        #expect(H.target(run.message, "chassis_id")?.value == "192.168.1.7")
    }

    /// Without the three mandatory TLVs a prefix is malformed; after them it parses with the
    /// missing End (or a truncated TLV) flagged.
    @Test(arguments: 0..<LLDPFixtures.full.count)
    func truncatedPrefix(_ length: Int) {
        let bytes = Array(F.full.prefix(length))
        let mandatoryLength = F.mandatory().count
        do throws(DissectError) {
            let frame = try H.parse(LLDP.self, bytes)
            #expect(length >= mandatoryLength)
            #expect(frame.anomalies.contains(.missingEnd) || frame.anomalies.contains(.truncatedTLV))
            #expect(H.survives(LLDP.self, bytes))
        } catch {
            #expect(length < mandatoryLength)
        }
    }

    @Test func mandatoryTLVsOutOfOrderAreMalformed() {
        let swapped = Array(F.mandatory()[9..<19]) + Array(F.mandatory()[0..<9]) + Array(F.mandatory()[19...]) + F.end
        #expect(throws: DissectError.self) { try H.parse(LLDP.self, swapped) }
        // A chassis id with no value after its subtype.
        #expect(throws: DissectError.self) { try H.parse(LLDP.self, [0x02, 0x01, 0x04] + F.mandatory()[9...]) }
        // A one-byte TTL.
        let shortTTL = Array(F.mandatory()[0..<19]) + [0x06, 0x01, 0x78] + F.end
        #expect(throws: DissectError.self) { try H.parse(LLDP.self, shortTTL) }
    }

    @Test func badLengthsAreAnomalies() throws {
        // System name claims 300 bytes; 3 follow.
        let overrun = F.mandatory() + [0x0b, 0x2c, 0x61, 0x62, 0x63]
        let frame = try H.parse(LLDP.self, overrun)
        #expect(frame.anomalies.contains(.truncatedTLV))
        #expect(!frame.systemName.isPresent)
        // Capabilities of 3 bytes, a management address of 4, an 802.1 port VLAN of 1 byte.
        let short = F.mandatory() + [0x0e, 0x03, 0, 4, 0] + [0x10, 0x04, 5, 1, 10, 0]
            + [0xfe, 0x05, 0x00, 0x80, 0xc2, 0x01, 0x0a] + F.end
        let shortFrame = try H.parse(LLDP.self, short)
        #expect(shortFrame.anomalies == [.badTLVLength])
        #expect(!shortFrame.hasCapabilities && shortFrame.portVLAN == 0 && shortFrame.managementAddressCount == 0)
        // A management address whose string length runs past its TLV: kept as a TLV, no address.
        let badAddress = F.mandatory() + [0x10, 0x09, 0x20, 0x01, 10, 0, 0, 2, 0, 0, 0] + F.end
        let run = try #require(H.run(LLDP.self, badAddress))
        #expect(run.message.client.address == .none)
        #expect(!run.message.targets.contains { $0.kind == "management_address" })
        // A VLAN name whose length exceeds its TLV.
        let badName = F.mandatory() + [0xfe, 0x08, 0x00, 0x80, 0xc2, 0x03, 0x00, 0x0a, 0x09, 0x61] + F.end
        #expect(try H.parse(LLDP.self, badName).anomalies == [.badTLVLength])
    }

    @Test func duplicatesReservedAndEnabledNotSupported() throws {
        let bytes = F.mandatory() + Array(F.mandatory()[0..<9]) + [0x12, 0x00] + [0x0e, 0x04, 0x00, 0x04, 0x00, 0x14]
            + [0x00, 0x01, 0x00]
        let frame = try H.parse(LLDP.self, bytes)
        #expect(frame.anomalies == [.duplicateMandatory, .reservedTLV, .enabledNotSupported, .badTLVLength])
    }

    @Test func tooManyTLVsStopsTheWalk() throws {
        var bytes = F.mandatory()
        for _ in 0..<400 { bytes += [0xfe, 0x04, 0x00, 0x80, 0xc2, 0x7f] }
        bytes += F.end
        let frame = try H.parse(LLDP.self, bytes)
        #expect(frame.tlvCount == UInt16(LLDP.maxTLVs))
        #expect(frame.anomalies == [.tooManyTLVs, .missingEnd])
    }

    @Test func textIsDataAndCapped() throws {
        // A system name of non-UTF-8 bytes and an NUL-padded 400-byte description.
        var bytes = F.mandatory() + [0x0a, 0x04, 0x73, 0xff, 0xfe, 0x77]
        bytes += [0x0d, 0x90] + [UInt8](repeating: 0x41, count: 390) + [UInt8](repeating: 0, count: 10)
        bytes += F.end
        let run = try #require(H.run(LLDP.self, bytes))
        #expect(H.target(run.message, "system_name")?.value == "s\u{FFFD}\u{FFFD}w")
        #expect(H.target(run.message, "system_description")?.value?.utf8.count == LLDP.maxTextLength)
    }

    @Test func seededRandomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x11D9_0004)
        var parsed = 0
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                let count = Int.random(in: 0..<200, using: &generator)
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                // The full fixture with a few bytes changed, cut somewhere.
                bytes = F.full
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            if H.survives(LLDP.self, bytes) { parsed += 1 }
        }
        #expect(parsed > 100)
    }

    /// Every LLDP frame in the shared ITI captures (Tests/Fixtures/lldp/iti-lldp.pcap): frame
    /// count, function (TTL 0 or not), TLV types and system names equal tshark's.
    @Test func captureMatchesTshark() throws {
        let folder = H.fixtures("lldp")
        let expected = try H.golden(folder.appendingPathComponent("iti-lldp.lldp.txt"))
        let result = H.run(LLDP.self, url: folder.appendingPathComponent("iti-lldp.pcap")) { frame, payload in
            var keys: [String] = []
            var cursor = LLDP.TLVCursor()
            while let tlv = cursor.next(in: payload) { keys.append("tlv\t\(tlv.type)") }
            let identity = LLDP.identity(frame, payload: payload)
            if let name = identity.systemName { keys.append("system_name\t\(name)") }
            return keys
        }
        #expect(result.malformed == 0)
        #expect(result.counts == expected)
        #expect(result.events.count == 114)
        let hostnames = Set(result.facts.filter { $0.kind == .hostname }.map(\.value))
        #expect(hostnames.isSuperset(of: ["MAR-EA392E", "SCADA-PC-060839", "Switch1", "VJTI-PC3"]))
        #expect(result.facts.allSatisfy { $0.mac != nil })
    }
}
