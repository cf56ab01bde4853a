import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

@Suite struct GOOSESVTests {
    typealias H = LinkCaptureHarness
    typealias F = GOOSEFixtures

    /// One ASDU, byte for byte (9-2LE layout, values zero).
    static let single: [UInt8] = F.concat(
        [
            0x40, 0x00,  // APPID 0x4000
            0x00, 0x2A,  // length 42
            0x00, 0x00, 0x00, 0x00,  // reserved 1, reserved 2
            0x60, 0x20,  // savPdu, 32 bytes
            0x80, 0x01, 0x01,  // [0] noASDU 1
            0xA2, 0x1B,  // [2] seqASDU, 27 bytes
            0x30, 0x19,  // ASDU, 25 bytes
            0x80, 0x04,  // [0] svID "MU01"
        ], F.ascii("MU01"),
        [
            0x82, 0x02, 0x0F, 0x9F,  // [2] smpCnt 3999
            0x83, 0x04, 0x00, 0x00, 0x00, 0x01,  // [3] confRev 1
            0x85, 0x01, 0x02,  // [5] smpSynch global
            0x87, 0x04, 0x00, 0x00, 0x00, 0x00,  // [7] seqData (cut to one value for the fixture)
        ])

    @Test func claimsOnlyItsEtherType() {
        #expect(H.claims(SV.self, etherType: 0x88BA, Self.single))
        #expect(!H.claims(SV.self, etherType: 0x88B8, Self.single))
    }

    @Test func readsOneASDU() throws {
        let run = try #require(H.run(SV.self, Self.single))
        #expect(run.parsed.header.appID == 0x4000 && run.parsed.anomalies.isEmpty)
        #expect(run.parsed.declaredASDUs == 1 && run.parsed.asdusPresent == 1 && run.parsed.sampleCount == 3999)
        #expect(run.parsed.functionCode == 1 && run.parsed.functionName == "sav_pdu")
        #expect(run.message.proto == "sv" && run.message.operation == .other)
        #expect(H.target(run.message, SV.TargetKind.stream)?.address == 0x4000)
        let asdu = try #require(H.target(run.message, SV.TargetKind.asdu))
        #expect(asdu.name == "MU01" && asdu.values == [3999, 1] && run.parsed.confRev == 1)
        #expect(H.factSet(run.facts) == ["service=sv:MU01"])
    }

    @Test func readsEveryASDUIntoTheEvent() throws {
        let run = try #require(H.run(SV.self, F.sampledValues(asdus: 8)))
        #expect(run.parsed.asdusPresent == 8 && run.parsed.anomalies.isEmpty)
        let asdus = run.message.targets.filter { $0.kind == SV.TargetKind.asdu }
        let names: [String] = (1...8).map { "MU0\($0)" }
        #expect(asdus.map { $0.name ?? "" } == names)
        let counts: [[Int]] = (0..<8).map { [0x0102 + $0, 1] }
        #expect(asdus.map(\.values) == counts)
    }

    @Test func flagsCountMismatchAndSimulation() throws {
        #expect(try H.parse(SV.self, F.sampledValues(asdus: 2, declared: 3)).anomalies == [.asduCountMismatch])
        let simulated = try H.parse(SV.self, F.sampledValues(reserved1: 0x8000))
        #expect(simulated.anomalies == [.simulated] && simulated.anomalies.names == ["sv_simulation"])
        var wrongTag = Self.single
        wrongTag[8] = 0x61
        #expect(try H.parse(SV.self, wrongTag).anomalies == [.unknownPDU])
        var short = Self.single
        short[3] = 0x02
        #expect(try H.parse(SV.self, short).anomalies.contains(.badLength))
    }

    @Test(arguments: 0..<42)
    func everyTruncatedPrefixIsSafe(_ length: Int) throws {
        let bytes = Array(Self.single.prefix(length))
        if length < 8 {
            #expect(throws: DissectError.self) { try H.parse(SV.self, bytes) }
            return
        }
        let run = try #require(H.run(SV.self, bytes))
        #expect(run.parsed.anomalies.contains(.truncated))
    }

    @Test func seededRandomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x5A3F_0002)
        var parsed = 0
        let seeds = [Self.single, F.sampledValues(asdus: 8)]
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                let count = Int.random(in: 0..<200, using: &generator)
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = seeds[round % seeds.count]
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            if H.survives(SV.self, bytes) { parsed += 1 }
        }
        #expect(parsed > 1_000)
    }
}
