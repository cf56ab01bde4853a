import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures through the real reader, decoder and dissector: per-service counts against
/// tshark's bacapp.confirmed_service / bacapp.unconfirmed_service / bacapp.type (golden files by
/// Tests/Fixtures/bacnet/regenerate-golden.sh), pairing and identity.
@Suite struct BACnetCaptureTests {
    @Test(arguments: ["bacpypes3", "iti-bacnet_test", "segmented", "bacpypes3-segmented"])
    func serviceCountsMatchTshark(capture: String) throws {
        let result = BACnetHarness.run(url: BACnetHarness.fixtures.appendingPathComponent(capture + ".pcap"))
        let expected = try BACnetHarness.golden(capture + ".tshark.txt")
        #expect(!expected.isEmpty)
        #expect(result.counts == expected)
        #expect(result.malformed == 0)
    }

    @Test func bacpypesConversationPairsAndNamesEverything() throws {
        let result = BACnetHarness.run(url: BACnetHarness.fixtures.appendingPathComponent("bacpypes3.pcap"))
        let answers = result.messages.filter { $0.status != .pending && $0.functionCode < 256 }
        #expect(answers.count == 45)
        #expect(answers.allSatisfy { ($0.roundTripNanoseconds ?? -1) >= 0 })
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
        // Frame 57: writing analog-value,99 fails with object/unknown-object.
        let errors = result.messages.filter { if case .exception = $0.status { true } else { false } }
        #expect(errors.map(\.status) == [.exception(code: 31, name: "object.unknown_object")])
        #expect(errors.first?.functionName == "write_property")
        // Frame 52: analog-value,1 present-value := 22.5 at priority 8.
        let writes = result.messages.filter { $0.functionName == "write_property" && $0.status == .pending }
        #expect(
            writes.first?.targets == [
                Message.Target(kind: "analog_value.present_value", address: 1, values: [23]),
                Message.Target(kind: "analog_value.present_value.priority", address: 1, values: [8]),
            ])
        #expect(
            result.values.contains(
                ProcessValue(
                    time: writes[0].time, tag: "bacnet://10.10.1.30/analog_value/1/present_value", value: 22.5,
                    written: true)))
        // Frame 31: RPM ack with analog-input,1 present-value 16.99 degrees.
        #expect(
            result.values.contains {
                $0.tag == "bacnet://10.10.1.30/analog_input/1/present_value" && !$0.written
                    && abs($0.value - 16.99) < 0.001
            })
    }

    @Test func bacpypesDeviceIdentity() throws {
        let result = BACnetHarness.run(url: BACnetHarness.fixtures.appendingPathComponent("bacpypes3.pcap"))
        let device = IPAddress(v4: 0x0a0a_011e)  // 10.10.1.30
        let facts = Set(result.facts.filter { $0.address == device }.map { "\($0.kind.rawValue)=\($0.value)" })
        #expect(
            facts.isSuperset(of: [
                "vendor=Johnson Controls, Inc.", "module_name=AHU-01", "model=MS-FEC2611-0", "firmware=10.1.0",
                "revision=AHU_Std_v3",
            ]))
        #expect(result.facts.contains { $0.source == "bacnet/i-am" && $0.value == "Johnson Controls, Inc." })
        let iAm = result.messages.first { $0.functionName == "i_am" }
        #expect(iAm?.targets == [Message.Target(kind: "device", address: 1030, values: [1024, 0, 5])])
        let whoIs = result.messages.first { $0.functionName == "who_is" && !$0.targets.isEmpty }
        #expect(whoIs?.targets == [Message.Target(kind: "device", address: 1030, count: 2)])
    }

    /// nmap's bacnet-info against a Johnson Controls NAE (the capture cut only the Ethernet FCS).
    @Test func nmapScanOfAJohnsonControlsController() throws {
        let result = BACnetHarness.run(url: BACnetHarness.fixtures.appendingPathComponent("iti-bacnet_test.pcap"))
        #expect(result.messages.count == 22)
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
        let device = IPAddress(v4: 0x0a01_01a5)  // 10.1.1.165
        let facts = Set(result.facts.filter { $0.address == device }.map { "\($0.kind.rawValue)=\($0.value)" })
        // UCS-2 strings; the vendor-identifier ack (frame 6) says 5.
        #expect(facts.contains("vendor=JCI"))
        #expect(facts.contains("vendor=Johnson Controls, Inc."))
        #expect(facts.contains("module_name=KBRNAE"))
        #expect(result.messages.contains { $0.functionName == "bvlc.read_broadcast_distribution_table" })
        #expect(result.messages.contains { $0.functionName == "bvlc.register_foreign_device" })
    }

    /// make-segmented.py: a ReadPropertyMultiple ack in four segments (one retransmitted), a
    /// WritePropertyMultiple request in two, and a message with a gap that the server aborts.
    @Test func segmentedCaptureIsReassembled() throws {
        let result = BACnetHarness.run(url: BACnetHarness.fixtures.appendingPathComponent("segmented.pcap"))
        #expect(result.messages.count == 18)
        let anomalies = result.messages.map { $0.anomalies.joined(separator: ",") }
        #expect(
            anomalies == [
                "", "", "", "", "", "bacnet.duplicate_segment", "", "",
                "", "", "", "", "",
                "", "", "bacnet.segment_out_of_order", "", "",
            ])
        // Frame 7 completes the ack: the device's identity (vendor id 5 as its name) and a value.
        let device = IPAddress(v4: 0x0a00_0002)
        let facts = result.facts.filter { $0.address == device }.map { "\($0.kind.rawValue)=\($0.value)" }
        #expect(
            facts == [
                "module_name=RTU-7 Boiler House", "vendor=Acme Building Controls", "vendor=Johnson Controls, Inc.",
                "model=BX-100 Plant Controller", "firmware=2.4.1", "revision=boiler-app 3.0",
            ])
        #expect(result.facts.allSatisfy { $0.source == "bacnet/read-property-multiple" })
        let reassembled = result.messages[6]
        #expect(reassembled.functionName == "read_property_multiple" && reassembled.status == .ok)
        #expect(reassembled.targets.last == Message.Target(kind: "segment", address: 3, count: 4, values: [2]))
        #expect(reassembled.targets.contains { $0.kind == "analog_input.present_value" && $0.values == [17] })
        // Frame 11 completes the write: three values at their priorities; frame 13 acks it.
        let written = result.values.filter(\.written)
        #expect(written.map(\.value) == [21.5, 1, 50])
        #expect(
            written.map(\.tag) == [
                "bacnet://10.0.0.2/analog_value/3/present_value", "bacnet://10.0.0.2/binary_output/2/present_value",
                "bacnet://10.0.0.2/analog_value/4/present_value",
            ])
        #expect(
            result.messages[10].targets.filter { $0.kind.hasSuffix(".priority") }.map(\.values) == [[8], [1], [16]])
        #expect(result.messages[12].functionName == "write_property_multiple")
        #expect(result.messages[12].roundTripNanoseconds == 20_000_000)
        #expect(result.values.filter { !$0.written }.map(\.value) == [5, 16.75])  // vendor id, analog input
        #expect(result.messages[16].functionName == "segment_ack.negative")
        #expect(result.messages[17].status == .exception(code: 4, name: "abort.segmentation_not_supported"))
    }

    /// bacpypes3 answering a 50-byte-APDU client in segments (make-bacpypes3-segmented.py): the
    /// object list in five segments (frames 4–10), the identity ReadPropertyMultiple in five (17–23).
    @Test func bacpypesSegmentedAnswersAreReassembled() throws {
        let result = BACnetHarness.run(
            url: BACnetHarness.fixtures.appendingPathComponent("bacpypes3-segmented.pcap"))
        #expect(result.messages.count == 26)
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
        let objectList = result.messages[9]
        #expect(objectList.functionName == "read_property" && objectList.status == .ok)
        #expect(
            objectList.targets == [
                Message.Target(kind: "device.object_list", address: 3001),
                Message.Target(kind: "segment", address: 4, count: 5, values: [2]),
            ])
        #expect((objectList.roundTripNanoseconds ?? 0) > 0)
        let identity = result.messages[22]
        #expect(identity.functionName == "read_property_multiple" && identity.targets.last?.count == 5)
        #expect(identity.targets.filter { $0.kind == "analog_value.present_value" }.map(\.values) == [[20], [21]])
        let device = IPAddress(v4: 0x0a14_0002)  // 10.20.0.2
        let facts = Set(
            result.facts.filter { $0.address == device && $0.source == "bacnet/read-property-multiple" }
                .map { "\($0.kind.rawValue)=\($0.value)" })
        #expect(
            facts == [
                "module_name=NAE-Plant-Room-1", "vendor=Johnson Controls, Inc.",
                "model=MS-NAE5510-2 Network Automation Engine", "firmware=9.0.7.2107",
                "revision=NAE Plant Room Configuration 2024-03",
            ])
        #expect(
            result.values.contains { $0.tag == "bacnet://10.20.0.2/analog_value/2/present_value" && $0.value == 20.5 })
        // Segment-ACKs from the client carry the sequence acknowledged and the window.
        let segmentAcks = result.messages.filter { $0.functionName == "segment_ack" }
        #expect(segmentAcks.count == 6 && segmentAcks.allSatisfy { $0.targets.first?.kind == "segment" })
    }
}
