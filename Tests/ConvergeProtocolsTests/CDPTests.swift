import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// CDP decoded TLV by TLV, its event and facts, hostile inputs, and the shared captures against
/// tshark (golden file by Tests/Fixtures/cdp/regenerate-golden.sh).
@Suite struct CDPTests {
    typealias H = LinkCaptureHarness
    typealias F = CDPFixtures

    @Test func claimsOnlyTheCiscoSNAPHeader() {
        #expect(H.claims(CDP.self, etherType: 0, F.full))
        #expect(!H.claims(CDP.self, etherType: 0x2000, F.full))
        #expect(!H.claims(CDP.self, etherType: 0, [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x01, 0x0b]))
        #expect(!H.claims(CDP.self, etherType: 0, [0x42, 0x42, 0x03, 0x00, 0x00]))
        #expect(!H.claims(CDP.self, etherType: 0, Array(F.snap.prefix(7))))
    }

    @Test func fullFrameFields() throws {
        let frame = try H.parse(CDP.self, F.full)
        #expect(frame.functionCode == 2)
        #expect(frame.timeToLive == 180)
        #expect(frame.checksum == 0x1234)
        #expect(frame.capabilities == 0x29)
        #expect(frame.nativeVLAN == 20)
        #expect(frame.hasDuplex && frame.duplex == 1)
        #expect(frame.tlvCount == 11)
        #expect(frame.anomalies.isEmpty)
    }

    @Test func fullFrameEvent() throws {
        let message = try #require(H.run(CDP.self, F.full, destination: 0x0100_0ccc_cccc)).message
        #expect(message.proto == "cdp")
        #expect(message.functionCode == 2)
        #expect(message.functionName == "cdp_announcement")
        #expect(message.operation == .discovery)
        #expect(message.client.address == IPAddress("10.9.9.9"))
        #expect(message.destinationMAC == "01:00:0c:cc:cc:cc")
        #expect(message.anomalies.isEmpty)
        #expect(H.target(message, "device_id")?.value == "sw-acc")
        #expect(H.target(message, "address")?.value == "10.1.1.1")
        #expect(H.target(message, "port_id")?.value == "Fa0/1/1")
        #expect(H.target(message, "capabilities")?.value == "router,switch,igmp")
        #expect(H.target(message, "platform")?.value == "WS-C2960-8")
        #expect(H.target(message, "vtp_domain")?.value == "plan")
        #expect(H.target(message, "native_vlan")?.values == [20])
        #expect(H.target(message, "duplex")?.value == "full")
        let management = message.targets.filter { $0.kind == "management_address" }.compactMap(\.value)
        #expect(management == ["10.9.9.9", "fd00::9"])
    }

    @Test func fullFrameFacts() throws {
        let facts = try #require(H.run(CDP.self, F.full)).facts
        #expect(
            H.factSet(facts) == [
                "hostname=sw-acc", "software=IOS 12.2", "model=WS-C2960-8", "capabilities=router,switch,igmp",
                "interface=Fa0/1/1", "vlan=20", "management_address=10.9.9.9", "management_address=fd00::9",
            ])
        #expect(facts.allSatisfy { $0.mac == "00:1b:1b:aa:bb:01" && $0.address == IPAddress("10.9.9.9") })
        #expect(facts.allSatisfy { $0.source == "cdp/2" })
    }

    @Test func versionOneMinimal() throws {
        let run = try #require(H.run(CDP.self, F.minimal))
        #expect(run.parsed.functionCode == 1)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.message.client.address == .none)
        #expect(H.factSet(run.facts) == ["hostname=r1"])
    }

    /// Shorter than the SNAP and CDP headers is malformed; after them every prefix parses, a cut
    /// TLV flagged.
    @Test(arguments: 0..<CDPFixtures.full.count)
    func truncatedPrefix(_ length: Int) {
        let bytes = Array(F.full.prefix(length))
        do throws(DissectError) {
            let frame = try H.parse(CDP.self, bytes)
            #expect(length >= 12)
            #expect(H.survives(CDP.self, bytes))
            if !F.fullBoundaries.contains(length) {
                #expect(frame.anomalies.contains(.truncatedTLV))
            } else if length == 12 {
                #expect(frame.anomalies == [.missingDeviceID])
            } else {
                #expect(frame.anomalies.isEmpty)
            }
        } catch {
            #expect(length < 12)
        }
    }

    @Test func badLengthsAreAnomalies() throws {
        // A TLV length under its own header: the walk stops.
        let tiny = F.header() + [0x00, 0x01, 0x00, 0x02, 0x41, 0x42]
        #expect(try H.parse(CDP.self, tiny).anomalies == [.badTLVLength, .missingDeviceID])
        // Fixed-size TLVs of the wrong size.
        let wrong = F.minimal + [0x00, 0x04, 0x00, 0x06, 0x00, 0x01] + [0x00, 0x0a, 0x00, 0x05, 0x01]
            + [0x00, 0x0b, 0x00, 0x06, 0x01, 0x01]
        let frame = try H.parse(CDP.self, wrong)
        #expect(frame.anomalies == [.badTLVLength])
        #expect(!frame.hasCapabilities && frame.nativeVLAN == 0 && !frame.hasDuplex)
        // A length past the end.
        let overrun = F.minimal + [0x00, 0x05, 0x01, 0x00, 0x41]
        #expect(try H.parse(CDP.self, overrun).anomalies == [.truncatedTLV])
        // An unknown version.
        let version = F.header(version: 9) + Array(F.minimal[12...])
        #expect(try H.parse(CDP.self, version).anomalies == [.unknownVersion])
    }

    @Test func addressListCountsAreCapped() throws {
        // Claims 4 billion addresses, holds one, then an entry cut short.
        let bytes = F.minimal + [0x00, 0x02, 0x00, 0x14, 0xff, 0xff, 0xff, 0xff]
            + [0x01, 0x01, 0xcc, 0x00, 0x04, 10, 1, 1, 1] + [0x01, 0x01, 0xcc]
        let run = try #require(H.run(CDP.self, bytes))
        #expect(run.message.targets.filter { $0.kind == "address" }.compactMap(\.value) == ["10.1.1.1"])
        #expect(run.message.anomalies.contains("cdp.bad_address_list"))
        // More entries than `maxAddresses`: only that many read.
        var many = F.minimal
        let entries = 20
        many += [0x00, 0x02, 0x00, UInt8(8 + 9 * entries), 0x00, 0x00, 0x00, UInt8(entries)]
        for index in 0..<entries { many += [0x01, 0x01, 0xcc, 0x00, 0x04, 10, 0, 0, UInt8(index)] }
        let manyRun = try #require(H.run(CDP.self, many))
        #expect(manyRun.message.targets.filter { $0.kind == "address" }.count == CDP.maxAddresses)
    }

    @Test func textIsDataAndCapped() throws {
        let long = [UInt8](repeating: 0x42, count: 700)
        let bytes = F.header() + [0x00, 0x01, 0x00, 0x07, 0x72, 0xc3, 0x28]  // "r" + invalid UTF-8
            + [0x00, 0x05, 0x02, 0xc0] + long
        let run = try #require(H.run(CDP.self, bytes))
        #expect(H.target(run.message, "device_id")?.value == "r\u{FFFD}(")
        #expect(H.target(run.message, "software_version")?.value?.utf8.count == CDP.maxTextLength)
    }

    @Test func seededRandomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0xCD9_0004)
        var parsed = 0
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                let count = Int.random(in: 0..<200, using: &generator)
                bytes = F.snap + (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = F.full
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let index = Int.random(in: 8..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            if H.survives(CDP.self, bytes) { parsed += 1 }
        }
        #expect(parsed > 1_000)
    }

    /// Every CDP frame in the shared ITI captures: version counts, device ids and platforms
    /// equal tshark's.
    @Test func captureMatchesTshark() throws {
        let folder = H.fixtures("cdp")
        let expected = try H.golden(folder.appendingPathComponent("iti-cdp.cdp.txt"))
        let result = H.run(CDP.self, url: folder.appendingPathComponent("iti-cdp.pcap")) { frame, payload in
            let identity = CDP.identity(frame, payload: payload)
            return [identity.deviceID.map { "deviceid\t\($0)" }, identity.platform.map { "platform\t\($0)" }]
                .compactMap { $0 }
        }
        #expect(result.malformed == 0)
        #expect(result.counts == expected)
        #expect(result.facts.contains { $0.kind == .model && $0.value == "cisco WS-CE500-24TT" })
        #expect(result.facts.contains { $0.kind == .managementAddress && $0.value == "192.168.10.253" })
        #expect(result.events.allSatisfy { $0.anomalies.isEmpty })
    }
}
