import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct GOOSETests {
    typealias H = LinkCaptureHarness
    typealias F = GOOSEFixtures

    @Test func claimsOnlyItsEtherType() {
        #expect(H.claims(GOOSE.self, etherType: 0x88B8, F.f650))
        #expect(!H.claims(GOOSE.self, etherType: 0x88BA, F.f650))
        #expect(!H.claims(GOOSE.self, etherType: 0x0800, F.f650))
        #expect(!H.claims(GOOSE.self, etherType: 0x88B8, Array(F.f650.prefix(7))))
    }

    @Test func readsTheF650Frame() throws {
        let run = try #require(H.run(GOOSE.self, F.f650, destination: 0x01a0_f408_2f77))
        let pdu = run.parsed
        #expect(pdu.header.appID == 1 && pdu.header.length == 145 && !pdu.header.isSimulated)
        #expect(pdu.hasFunction && pdu.functionCode == 1 && pdu.functionName == "goose_pdu")
        #expect(pdu.timeAllowedToLive == 40_000)
        #expect(pdu.stNum == 1 && pdu.sqNum == 10 && pdu.confRev == 1 && pdu.numDatSetEntries == 8)
        #expect(pdu.entriesPresent == 8 && !pdu.simulation && !pdu.needsCommissioning)
        #expect(pdu.time.seconds == 946_781_171 && pdu.time.nanoseconds == 258_165_836 && pdu.time.quality == 0x0A)
        #expect(pdu.anomalies.isEmpty)

        let message = run.message
        #expect(message.proto == "goose" && message.operation == .other && message.functionCode == 1)
        #expect(message.anomalies.isEmpty)
        #expect(message.sourceMAC == "00:1b:1b:aa:bb:01" && message.destinationMAC == "01:a0:f4:08:2f:77")
        let block = try #require(H.target(message, GOOSE.TargetKind.controlBlock))
        #expect(block.name == "GEDeviceF650/LLN0$GO$gcb01" && block.address == 1 && block.values == [1, 10, 1])
        let dataSet = try #require(H.target(message, GOOSE.TargetKind.dataSet))
        #expect(dataSet.name == "GEDeviceF650/LLN0$GOOSE1" && dataSet.count == 8 && dataSet.values == [8])
        #expect(H.target(message, GOOSE.TargetKind.goID)?.name == "F650_GOOSE1")
        #expect(H.target(message, GOOSE.TargetKind.time)?.value == "946781171.258165836 q=10")
        #expect(H.target(message, GOOSE.TargetKind.timeAllowedToLive)?.values == [40_000])
        let data = message.targets.filter { $0.kind == GOOSE.TargetKind.data }
        #expect(data.count == 8)
        let pairs: [String] = Array(repeating: ["boolean", "bit-string"], count: 4).flatMap { $0 }
        #expect(data.map { $0.name ?? "" } == pairs)
        #expect(data[0].value == "false" && data[0].values == [0])
        #expect(data[1].value == String(repeating: "0", count: 13) && data[1].values == [0])

        #expect(H.factSet(run.facts) == ["service=goose:GEDeviceF650/LLN0$GO$gcb01"])
        #expect(run.facts.first?.mac == "00:1b:1b:aa:bb:01" && run.facts.first?.source == "goose/goose_pdu")
    }

    @Test func decodesEachDataType() throws {
        let run = try #require(H.run(GOOSE.self, F.goose()))
        #expect(run.parsed.anomalies.isEmpty && run.parsed.entriesPresent == 7)
        let data = run.message.targets.filter { $0.kind == GOOSE.TargetKind.data }
        #expect(data.map(\.name) == [
            "boolean", "bit-string", "integer", "unsigned", "float", "visible-string", "structure",
        ])
        #expect(data.map(\.value) == ["true", "10", "-2", "256", "1.5", "ok", "{false,{}}"])
        #expect(data[0].values == [1] && data[1].values == [2] && data[2].values == [-2] && data[3].values == [256])
        #expect(data.map(\.address) == Array(0..<7))
        #expect(H.target(run.message, GOOSE.TargetKind.controlBlock)?.values == [5, 0, 2])
        #expect(H.target(run.message, GOOSE.TargetKind.controlBlock)?.address == 0x3001)
    }

    @Test func structureDepthAndMemberCountAreCapped() throws {
        var nested: [UInt8] = [0x83, 0x01, 0x01]
        for _ in 0..<6 { nested = F.tlv(0xA2, nested) }
        let members: [UInt8] = Array(repeating: [0x85, 0x01, 0x07], count: 12).flatMap { $0 }
        let wide = F.tlv(0xA1, members)
        let run = try #require(H.run(GOOSE.self, F.goose(entries: 2, allData: nested + wide)))
        let data = run.message.targets.filter { $0.kind == GOOSE.TargetKind.data }
        #expect(data.map(\.value) == ["{{{{…}}}}", "{7,7,7,7,7,7,7,7,…}"])
        #expect(data.map(\.name) == ["structure", "array"])
    }

    @Test func eventShowsAtMostSixteenValues() throws {
        let many: [UInt8] = Array(repeating: [0x83, 0x01, 0x01], count: 40).flatMap { $0 }
        let run = try #require(H.run(GOOSE.self, F.goose(entries: 40, allData: many)))
        #expect(run.parsed.entriesPresent == 40 && run.parsed.anomalies.isEmpty)
        #expect(run.message.targets.filter { $0.kind == GOOSE.TargetKind.data }.count == GOOSE.maxEventValues)
    }

    @Test func flagsInFrameAnomalies() throws {
        let test = try H.parse(GOOSE.self, F.goose(simulation: 1))
        #expect(test.anomalies == [.test] && test.anomalies.names == ["goose_test"])
        let simulated = try H.parse(GOOSE.self, F.goose(reserved1: 0x8000))
        #expect(simulated.anomalies == [.simulated] && simulated.header.isSimulated)
        #expect(try H.parse(GOOSE.self, F.goose(ndsCom: 1)).anomalies == [.needsCommissioning])
        #expect(try H.parse(GOOSE.self, F.goose(entries: 9)).anomalies == [.entryCountMismatch])
        #expect(try H.parse(GOOSE.self, F.goose(ttl: [0x00])).anomalies == [.zeroTimeAllowedToLive])
        #expect(try H.parse(GOOSE.self, F.goose(gocbRef: nil)).anomalies == [.missingField])
        // goID is optional.
        #expect(try H.parse(GOOSE.self, F.goose(goID: nil)).anomalies.isEmpty)
        let names = try #require(H.run(GOOSE.self, F.goose(simulation: 1, ndsCom: 1, entries: 0, reserved1: 0x8000)))
        #expect(names.message.anomalies == [
            "goose_test", "goose_simulation", "goose_needs_commissioning", "goose_entry_count_mismatch",
        ])
    }

    @Test func largeCountersAreKept() throws {
        let pdu = try H.parse(GOOSE.self, F.goose(stNum: [0x00, 0xFF, 0xFF, 0xFF, 0xFF], sqNum: [0x7F, 0xFF]))
        #expect(pdu.stNum == 4_294_967_295 && pdu.sqNum == 32_767 && pdu.anomalies.isEmpty)
    }

    @Test func ethernetPaddingAfterTheLengthIsIgnored() throws {
        let pdu = try H.parse(GOOSE.self, F.f650 + [0, 0, 0, 0])
        #expect(pdu.anomalies.isEmpty && pdu.entriesPresent == 8)
    }

    @Test func badLengths() throws {
        var long = F.f650
        long[3] = 0xA0  // declares 160 bytes, 145 present
        #expect(try H.parse(GOOSE.self, long).anomalies.contains(.truncated))
        var short = F.f650
        short[3] = 0x04  // shorter than the header
        #expect(try H.parse(GOOSE.self, short).anomalies.contains(.badLength))
        var inside = F.f650
        inside[3] = 0x50  // cuts the goosePdu inside its own length
        let insideAnomalies = try H.parse(GOOSE.self, inside).anomalies
        #expect(!insideAnomalies.isDisjoint(with: [.badEncoding, .truncated]))
        var wrongTag = F.f650
        wrongTag[8] = 0x62
        let unknown = try H.parse(GOOSE.self, wrongTag)
        #expect(unknown.anomalies == [.unknownPDU] && !unknown.hasFunction)
        #expect(H.run(GOOSE.self, wrongTag)?.facts.isEmpty == true)
        #expect(throws: DissectError.self) { try H.parse(GOOSE.self, [0x00, 0x01, 0x00]) }
    }

    @Test func unknownContextTagsAreSkipped() throws {
        var body = F.goose()
        // Append an unknown [20] field inside the PDU: fix both lengths (short forms here).
        body[3] &+= 3
        body[9] &+= 3
        body += [0x94, 0x01, 0x00]
        let pdu = try H.parse(GOOSE.self, body)
        #expect(pdu.anomalies.isEmpty && pdu.stNum == 5)
    }

    @Test(arguments: 0..<145)
    func everyTruncatedPrefixIsSafe(_ length: Int) throws {
        let bytes = Array(GOOSEFixtures.f650.prefix(length))
        if length < 8 {
            #expect(throws: DissectError.self) { try H.parse(GOOSE.self, bytes) }
            return
        }
        let run = try #require(H.run(GOOSE.self, bytes))
        #expect(run.parsed.anomalies.contains(.truncated))
        #expect(run.message.anomalies.contains("goose.truncated"))
    }

    @Test func seededRandomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x6005_E001)
        var parsed = 0
        let seeds = [F.f650, F.goose(), F.goose(allData: F.tlv(0xA2, F.tlv(0xA2, F.allData)))]
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
            if H.survives(GOOSE.self, bytes) { parsed += 1 }
        }
        #expect(parsed > 1_000)
    }
}
