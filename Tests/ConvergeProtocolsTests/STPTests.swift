import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// Spanning tree BPDUs decoded field by field (config, TCN, RST, MST, PVST+), their events and
/// facts, hostile inputs, and the shared captures against tshark (golden file by
/// Tests/Fixtures/stp/regenerate-golden.sh).
@Suite struct STPTests {
    typealias H = LinkCaptureHarness
    typealias F = STPFixtures

    @Test func claimsTheSpanningTreeLLCAndPVST() {
        #expect(H.claims(STP.self, etherType: 0, F.configuration))
        #expect(H.claims(STP.self, etherType: 0, F.pvst))
        #expect(!H.claims(STP.self, etherType: 0x0800, F.configuration))
        #expect(!H.claims(STP.self, etherType: 0, CDPFixtures.full))
        #expect(!H.claims(STP.self, etherType: 0, [0x42, 0x42]))
    }

    @Test func configurationBPDU() throws {
        let run = try #require(H.run(STP.self, F.configuration, destination: 0x0180_c200_0000))
        let frame = run.parsed
        #expect(frame.functionCode == 0)
        #expect(frame.rootID.priority == 32768 && frame.rootID.systemIDExtension == 1)
        #expect(frame.rootID.mac == 0x001b_1baa_bbcc)
        #expect(frame.rootPathCost == 19)
        #expect(frame.bridgeID.text == "32768/00:1b:1b:aa:bb:dd")
        #expect(frame.portID == 0x8003)
        #expect([frame.messageAge, frame.maxAge, frame.helloTime, frame.forwardDelay] == [256, 5120, 512, 3840])
        #expect(frame.anomalies == [.topologyChange])
        #expect(run.message.functionName == "config_bpdu")
        #expect(run.message.operation == .other)
        #expect(run.message.anomalies == ["stp_topology_change"])
        #expect(run.message.destinationMAC == "01:80:c2:00:00:00")
        #expect(H.target(run.message, "root_bridge")?.value == "32768/00:1b:1b:aa:bb:cc")
        #expect(H.target(run.message, "root_bridge")?.values == [32768, 1])
        #expect(H.target(run.message, "flags")?.value == "topology_change")
        #expect(H.factSet(run.facts) == ["stp_root=32768/00:1b:1b:aa:bb:cc"])
        #expect(run.facts.allSatisfy { $0.mac == "00:1b:1b:aa:bb:01" && $0.address == .none })
    }

    @Test func topologyChangeNotification() throws {
        let run = try #require(H.run(STP.self, F.tcn))
        #expect(run.parsed.functionCode == 0x80)
        #expect(run.message.functionName == "tcn_bpdu")
        #expect(run.message.anomalies == ["stp_topology_change"])
        #expect(run.message.targets.isEmpty)
        #expect(run.facts.isEmpty)
    }

    @Test func rapidBPDU() throws {
        let run = try #require(H.run(STP.self, F.rapid))
        #expect(run.parsed.functionCode == 2)
        #expect(run.parsed.version == 2)
        #expect(run.parsed.portRole == 3)
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.message.functionName == "rst_bpdu")
        #expect(run.message.anomalies.isEmpty)
        #expect(H.target(run.message, "flags")?.value == "learning,forwarding,role_designated")
        #expect(H.target(run.message, "port") == Message.Target(kind: "port", address: 0x8003, values: [3]))
    }

    @Test func pvstCarriesItsVLAN() throws {
        let run = try #require(H.run(STP.self, F.pvst, destination: 0x0100_0ccc_cccd))
        #expect(run.parsed.isPVST)
        #expect(run.parsed.pvstVLAN == 3)
        #expect(H.target(run.message, "vlan")?.address == 3)
        #expect(H.factSet(run.facts) == ["stp_root=32768/00:1b:1b:aa:bb:cc vlan 3"])
    }

    @Test func mstBPDU() throws {
        let run = try #require(H.run(STP.self, F.mst))
        #expect(run.parsed.functionCode == 2)
        #expect(run.parsed.mstiCount == 2)
        #expect(run.parsed.cistBridgeID.text == "28672/00:1b:1b:aa:bb:ee")
        #expect(run.parsed.anomalies.isEmpty)
        #expect(run.message.functionName == "mst_bpdu")
        #expect(H.target(run.message, "msti")?.values == [2])
    }

    @Test func badLengthsAndFields() throws {
        // MST version 3 length not a whole number of MSTI records, then past the bytes.
        var odd = F.mst
        odd[F.llc.count + 36 + 1] = 0x61
        #expect(try H.parse(STP.self, odd).anomalies == [.badMSTLength])
        var long = F.mst
        long[F.llc.count + 36 + 1] = 0xa0
        #expect(try H.parse(STP.self, long).anomalies == [.badMSTLength])
        // A bad protocol id and an unknown type.
        let unknown = F.llc + [0x00, 0x01, 0x00, 0x33]
        let frame = try H.parse(STP.self, unknown)
        #expect(frame.anomalies == [.badProtocolID, .unknownType])
        #expect(try #require(H.run(STP.self, unknown)).message.functionName == "bpdu_51")
        // An MST-version BPDU cut to RST size.
        #expect(try H.parse(STP.self, Array(F.mst.prefix(F.rapid.count))).anomalies == [.truncated])
    }

    /// Shorter than the LLC and BPDU headers is malformed; longer prefixes parse, and one cut
    /// inside the fixed fields is flagged `truncated` and names no root.
    @Test(arguments: 0..<STPFixtures.mst.count)
    func truncatedPrefix(_ length: Int) {
        let bytes = Array(F.mst.prefix(length))
        do throws(DissectError) {
            let frame = try H.parse(STP.self, bytes)
            #expect(length >= 7)
            #expect(H.survives(STP.self, bytes))
            if length < F.mst.count {
                #expect(frame.anomalies.contains(.truncated) || frame.anomalies.contains(.badMSTLength))
            }
        } catch {
            #expect(length < 7)
        }
    }

    @Test func seededRandomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x5797_0004)
        var parsed = 0
        let seeds = [F.configuration, F.tcn, F.rapid, F.pvst, F.mst]
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                let count = Int.random(in: 0..<160, using: &generator)
                bytes = F.llc + (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = seeds[round % seeds.count]
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            if H.survives(STP.self, bytes) { parsed += 1 }
        }
        #expect(parsed > 1_000)
    }

    /// Every STP frame in the shared ITI captures (802.1D and PVST+): BPDU type counts and root
    /// bridge ids equal tshark's `stp.type` and `stp.root.prio`/`stp.root.hw`.
    @Test func captureMatchesTshark() throws {
        let folder = H.fixtures("stp")
        let expected = try H.golden(folder.appendingPathComponent("iti-stp.stp.txt"))
        let result = H.run(STP.self, url: folder.appendingPathComponent("iti-stp.pcap")) { frame, _ in
            frame.isTCN ? [] : ["root\t\(frame.rootID.text)"]
        }
        #expect(result.malformed == 0)
        #expect(result.counts == expected)
        #expect(result.parsed.filter(\.isPVST).count == 358)
        #expect(result.parsed.filter { $0.anomalies.contains(.topologyChange) }.count == 18)
        #expect(result.parsed.allSatisfy { $0.anomalies.subtracting(.topologyChange).isEmpty })
    }
}
