import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Identity facts and operations on real captures.
@Suite struct ENIPIdentityTests {
    static func facts(_ result: ENIPCaptureHarness.Result) -> Set<String> {
        Set(result.facts.map { "\($0.kind.rawValue)=\($0.value)" })
    }

    @Test(.enabled(if: ENIPCaptureHarness.sharedAvailable, "../shared/captures is missing: skipped"))
    func firmwareChangeRevealsTheAdapter() {
        let capture = ENIPCaptureHarness.sharedCaptures
            .appendingPathComponent("public/iti/openics/EIP-FirmwareChange.pcap")
        let result = ENIPCaptureHarness.run(path: capture.path)
        // Get Attributes All on the identity object (class 1, instance 1), answered by a 1756-ENBT/A.
        #expect(Self.facts(result).isSuperset(of: [
            "vendor=Rockwell Automation/Allen-Bradley", "model=1756-ENBT/A", "product_code=58", "revision=4.3",
            "serial=0x0051aec3", "role=communications_adapter",
        ]))
        #expect(result.facts.allSatisfy { $0.source == "cip/identity" && $0.address.description == "192.168.10.120" })
        // The ControlFLASH transfer to class 0xA1 is a firmware operation, the reset a control one.
        let requests = result.messages.filter { $0.direction == .toServer }
        let firmware = requests.filter { $0.operation == .firmware }
        #expect(firmware.count > 5_000)
        #expect(firmware.allSatisfy { $0.targets.first?.name?.hasPrefix("@0xa1") == true })
        let resets = requests.filter { $0.functionName == "reset" }
        #expect(resets.count == 1)
        #expect(resets.allSatisfy { $0.operation == .control && $0.targets.first?.name == "@0x01/1" })
    }

    @Test func listIdentityRevealsTheController() {
        let result = ENIPCaptureHarness.run(fixture: "generated-enip.pcap")
        #expect(Self.facts(result).isSuperset(of: [
            "vendor=Rockwell Automation/Allen-Bradley", "model=1756-L83E/B", "serial=0x00c7a1b2",
            "role=programmable_logic_controller",
        ]))
        #expect(result.facts.contains { $0.source == "enip/list_identity" })
        let identities = result.messages.filter { $0.functionName == "list_identity" && $0.direction == .toClient }
        #expect(!identities.isEmpty)
        #expect(identities.allSatisfy { $0.operation == .discovery && $0.targets.first?.name == "1756-L83E/B" })
    }

    @Test func generatedCaptureTagsAndValues() {
        let result = ENIPCaptureHarness.run(fixture: "generated-enip.pcap")
        // pycomm3 writes REAL Tank_Level_SP = 60.0 through an Unconnected Send.
        let writes = result.messages.filter { $0.functionName == "write_tag" && $0.direction == .toServer }
        #expect(writes.allSatisfy { $0.operation == .write && $0.proto == "cip" })
        let setPoint = writes.compactMap { $0.targets.first }.filter { $0.name == "Tank_Level_SP" }
        #expect(!setPoint.isEmpty)
        #expect(setPoint.first?.values == [60])
        let reads = result.messages.filter { $0.functionName == "read_tag" && $0.direction == .toClient }
        #expect(!reads.isEmpty)
        #expect(reads.contains { $0.targets.first?.name != nil && !($0.targets.first?.values.isEmpty ?? true) })
        #expect(result.messages.filter { $0.direction == .toClient && $0.proto == "cip" }
            .allSatisfy { $0.roundTripNanoseconds != nil })
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
    }

    @Test func startStopAndUnlock() {
        let start = ENIPCaptureHarness.run(fixture: "iti-cip_start_plc.pcap").messages
        let stop = ENIPCaptureHarness.run(fixture: "iti-cip_stop_plc.pcap").messages
        #expect(start.map(\.functionName) == ["start"])
        #expect(stop.map(\.functionName) == ["stop"])
        #expect((start + stop).allSatisfy { $0.operation == .control && $0.targets.first?.name == "@0x8e/1" })
        let unlock = ENIPCaptureHarness.run(fixture: "iti-cip_unlock_cpu.pcap").messages
        #expect(unlock.map(\.operation) == [.control])
    }

    @Test func multipleServicePacketAndSetAttribute() {
        let multiple = ENIPCaptureHarness.run(fixture: "iti-cip-multiple-1.pcap").messages
        #expect(multiple.map(\.functionName) == ["multiple_service_packet"])
        #expect(multiple.first?.targets.count == 11)
        #expect(multiple.first?.operation == .read)
        let set = ENIPCaptureHarness.run(fixture: "iti-cip-eth-set-2.pcap").messages
        #expect(set.map(\.functionName) == ["set_attribute_single"])
        #expect(set.first?.operation == .write)
    }
}
