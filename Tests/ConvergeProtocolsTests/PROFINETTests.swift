import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// PROFINET DCP blocks, cyclic and alarm frames, their events and facts, and hostile inputs.
@Suite struct PROFINETTests {
    typealias H = LinkCaptureHarness
    typealias F = PROFINETFixtures

    @Test func claimsOnlyItsEtherType() {
        #expect(H.claims(PROFINET.self, etherType: 0x8892, F.identifyResponse))
        #expect(!H.claims(PROFINET.self, etherType: 0x88CC, F.identifyResponse))
        #expect(!H.claims(PROFINET.self, etherType: 0, F.identifyResponse))
    }

    @Test func identifyResponseFields() throws {
        let frame = try #require(H.run(PROFINET.self, F.identifyResponse)).parsed
        #expect(frame.kind == .dcp && frame.functionCode == 5 && frame.isResponse && frame.describesSender)
        #expect(frame.xid == 0x0100_0001 && frame.dcpDataLength == 94 && frame.blockCount == 6)
        #expect(frame.hasDeviceID && frame.vendorID == 0x002A && frame.deviceID == 0x0A01)
        #expect(frame.hasDeviceRole && frame.deviceRole == 1)
        #expect(frame.deviceOptionCount == 13)
        #expect(frame.hasIP && frame.ipAddress == 0xC0A8_0006 && frame.subnetMask == 0xFFFF_FF00)
        #expect(frame.gateway == 0xC0A8_0001 && frame.ipBlockInfo == 1)
        #expect(frame.anomalies.isEmpty)
    }

    @Test func identifyResponseEvent() throws {
        let message = try #require(H.run(PROFINET.self, F.identifyResponse)).message
        #expect(message.proto == "profinet")
        #expect(message.functionName == "dcp_identify" && message.functionCode == 5)
        #expect(message.operation == .discovery && message.direction == .toClient && message.status == .ok)
        #expect(message.server.address == IPAddress("192.168.0.6") && message.client.address == .none)
        #expect(message.sourceMAC == "00:1b:1b:aa:bb:01")
        #expect(H.target(message, "name_of_station")?.value == "X208-BORD")
        #expect(H.target(message, "device_vendor_value")?.value == "INC")
        #expect(H.target(message, "device_id")?.value == "0x002A/0x0A01")
        #expect(H.target(message, "device_role")?.value == "io_device")
        #expect(H.target(message, "ip_parameters")?.value == "192.168.0.6/255.255.255.0 gw 192.168.0.1")
        #expect(H.target(message, "frame_id")?.address == 0xFEFF)
    }

    @Test func identifyResponseFacts() throws {
        let facts = try #require(H.run(PROFINET.self, F.identifyResponse)).facts
        #expect(
            H.factSet(facts) == [
                "hostname=X208-BORD", "vendor=profinet_vendor:0x002A", "vendor=Siemens", "model=INC",
                "model=profinet_device:0x002A/0x0A01", "role=io_device", "ip_address=192.168.0.6",
            ])
        #expect(facts.allSatisfy { $0.mac == "00:1b:1b:aa:bb:01" && $0.address == IPAddress("192.168.0.6") })
        #expect(facts.allSatisfy { $0.source == "profinet/dcp_identify" })
    }

    @Test func setIPIsControlWithAnomaly() throws {
        let run = try #require(H.run(PROFINET.self, F.setIPRequest))
        #expect(run.parsed.setsIP && !run.parsed.setsName && run.parsed.ipBlockInfo == 1)
        #expect(run.message.functionCode == 4 && run.message.functionName == "dcp_set")
        #expect(run.message.operation == .control && run.message.direction == .toServer)
        #expect(run.message.anomalies == ["profinet.dcp_set"])
        #expect(H.target(run.message, "ip_parameters")?.value == "192.168.0.10/255.255.255.0 gw 192.168.0.1")
        // The new address belongs to the receiver, not the sender: no endpoint, no facts.
        #expect(run.message.client.address == .none && run.facts.isEmpty)
    }

    @Test func setResponseAnswersTheIPSet() throws {
        let run = try #require(H.run(PROFINET.self, F.setIPResponse))
        #expect(run.parsed.hasResponse && run.parsed.responseOption == 1 && run.parsed.responseSuboption == 2)
        #expect(run.message.operation == .control && run.message.direction == .toClient)
        #expect(run.message.status == .ok && run.message.anomalies.isEmpty)
        #expect(H.target(run.message, "response")?.address == 0x0102)
    }

    @Test func refusedSetIsAnException() throws {
        let message = try #require(H.run(PROFINET.self, F.setNameRefused)).message
        #expect(message.status == .exception(code: 6, name: "in_operation"))
        #expect(message.operation == .control)
    }

    @Test func setNameWithFormatStringIsFlagged() throws {
        let run = try #require(H.run(PROFINET.self, F.setNameRequest))
        #expect(run.parsed.setsName && run.parsed.controlSuboptions == 1 << 2)
        #expect(run.message.operation == .control)
        #expect(Set(run.message.anomalies) == ["profinet.dcp_set", "profinet.invalid_station_name"])
        #expect(H.target(run.message, "name_of_station")?.value == "%n%n%n")
    }

    @Test func getRequestIsRead() throws {
        let run = try #require(H.run(PROFINET.self, F.getRequest))
        #expect(run.parsed.functionCode == 3 && run.parsed.blockCount == 2 && run.parsed.anomalies.isEmpty)
        #expect(run.message.operation == .read && run.facts.isEmpty)
    }

    @Test func helloDescribesController() throws {
        let run = try #require(H.run(PROFINET.self, F.hello))
        #expect(run.parsed.functionCode == 6 && run.parsed.anomalies.isEmpty)
        #expect(run.message.operation == .discovery && run.message.client.address == IPAddress("10.0.0.5"))
        #expect(H.factSet(run.facts) == ["hostname=plc-1", "role=io_controller", "ip_address=10.0.0.5"])
    }

    @Test func cyclicFrame() throws {
        let run = try #require(H.run(PROFINET.self, F.cyclic))
        #expect(run.parsed.kind == .cyclic && run.parsed.functionCode == 256)
        #expect(run.parsed.cycleCounter == 0x1234 && run.parsed.dataStatus == 0x35 && run.parsed.ioDataLength == 4)
        let target = try #require(H.target(run.message, "frame_id"))
        #expect(target.address == 0xC001 && target.count == 4 && target.values == [0x1234, 0x35, 0])
        #expect(run.message.functionName == "rt_cyclic" && run.message.operation == .other && run.facts.isEmpty)
    }

    @Test func alarmFrame() throws {
        let run = try #require(H.run(PROFINET.self, F.alarm))
        #expect(run.parsed.functionCode == 257 && run.parsed.hasAlarmHeader && run.parsed.anomalies.isEmpty)
        #expect(run.message.operation == .diagnostic && run.message.functionName == "rt_alarm")
        #expect(H.target(run.message, "alarm")?.values == [1, 2, 0x11, 5, 4])
    }

    @Test func frameIDClasses() {
        #expect(PROFINET.FrameKind(frameID: 0x0080) == .ptcp)
        #expect(PROFINET.FrameKind(frameID: 0xFF40) == .ptcp)
        #expect(PROFINET.FrameKind(frameID: 0x0100) == .cyclic)
        #expect(PROFINET.FrameKind(frameID: 0xFBFF) == .cyclic)
        #expect(PROFINET.FrameKind(frameID: 0xFE01) == .alarm)
        #expect(PROFINET.FrameKind(frameID: 0xFEFC) == .dcp)
        #expect(PROFINET.FrameKind(frameID: 0xFF80) == .other)
    }

    @Test func unknownServiceAndWrongFrameID() throws {
        var bytes = F.getRequest
        bytes[2] = 9
        let unknown = try H.parse(PROFINET.self, bytes)
        #expect(unknown.functionCode == 9 && unknown.anomalies.contains(.unknownService))
        bytes = F.getRequest
        bytes[1] = 0xFE  // a get on the identify request FrameID
        #expect(try H.parse(PROFINET.self, bytes).anomalies.contains(.serviceFrameMismatch))
    }

    @Test func badLengths() throws {
        var bytes = F.setIPRequest
        bytes[11] = 0xFF  // DCPDataLength past the frame
        #expect(try H.parse(PROFINET.self, bytes).anomalies.contains(.invalidLength))
        bytes = F.setIPRequest
        bytes[15] = 0x20  // IP block length past the DCP data
        #expect(try H.parse(PROFINET.self, bytes).anomalies.contains(.truncatedBlock))
        bytes = F.setIPRequest
        bytes[15] = 0x04  // IP block too short for address, mask and gateway
        let short = try H.parse(PROFINET.self, bytes)
        #expect(short.anomalies.contains(.badBlockLength) && !short.hasIP)
    }

    @Test func tooManyBlocks() throws {
        let pairs = 200
        let length = pairs * 2
        var bytes: [UInt8] = [0xFE, 0xFD, 0x03, 0x00, 0, 0, 0, 1, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF)]
        for _ in 0..<pairs { bytes += [0x02, 0x02] }
        let frame = try H.parse(PROFINET.self, bytes)
        #expect(frame.anomalies.contains(.tooManyBlocks) && Int(frame.blockCount) == PROFINET.maxBlocks)
    }

    @Test(arguments: 0..<PROFINETFixtures.identifyResponse.count)
    func truncatedIdentifyResponse(_ length: Int) {
        let bytes = Array(F.identifyResponse.prefix(length))
        guard length >= PROFINET.dcpHeaderLength else {
            #expect(throws: DissectError.self) { try H.parse(PROFINET.self, bytes) }
            return
        }
        let run = H.run(PROFINET.self, bytes)
        #expect(run?.parsed.anomalies.contains(.invalidLength) == true)
        #expect(run?.message.functionCode == 5)
    }

    @Test(arguments: 0..<PROFINETFixtures.alarm.count)
    func truncatedAlarm(_ length: Int) {
        let bytes = Array(F.alarm.prefix(length))
        guard length >= 2 else {
            #expect(throws: DissectError.self) { try H.parse(PROFINET.self, bytes) }
            return
        }
        let frame = H.run(PROFINET.self, bytes)?.parsed
        #expect(frame?.hasAlarmHeader == (length >= 14))
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0x8892_0005)
        let seeds = [F.identifyResponse, F.setNameRequest, F.hello, F.cyclic, F.alarm, F.getRequest]
        var parsed = 0
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                let count = Int.random(in: 0..<200, using: &generator)
                bytes = [0xFE, UInt8.random(in: 0xFC...0xFF, using: &generator)]
                bytes += (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = seeds[round % seeds.count]
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            if H.survives(PROFINET.self, bytes) { parsed += 1 }
        }
        #expect(parsed > 1_000)
    }
}
