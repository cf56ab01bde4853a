import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Services from byte-commented datagrams: control with and without passwords, time sync,
/// reject/abort pairing, multiple-property requests, who-has/i-have, COV.
@Suite struct BACnetServiceTests {
    /// BVLC original-unicast and an NPDU with no routing, in front of `apdu`.
    static func datagram(_ apdu: [UInt8]) -> [UInt8] {
        let length = 6 + apdu.count
        return [0x81, 0x0a, UInt8(length >> 8), UInt8(length & 0xff), 0x01, 0x04] + apdu
    }

    static let dccWithPassword = datagram([
        0x00, 0x05, 0x01, 0x11,  // confirmed request, invoke 1, deviceCommunicationControl
        0x09, 0x3c,  // [0] time duration 60 minutes
        0x19, 0x01,  // [1] enable-disable: disable
        0x2d, 0x07, 0x00, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74,  // [2] password "secret" (UTF-8)
    ])

    static let reinitializeWarm = datagram([
        0x00, 0x05, 0x02, 0x14,  // confirmed request, invoke 2, reinitializeDevice
        0x09, 0x01,  // [0] warmstart; no password
    ])

    static let reinitializeColdWithPassword = datagram([
        0x00, 0x05, 0x03, 0x14,  // confirmed request, invoke 3, reinitializeDevice
        0x09, 0x00,  // [0] coldstart
        0x1d, 0x05, 0x00, 0x61, 0x62, 0x63, 0x64,  // [1] password "abcd"
    ])

    @Test func deviceCommunicationControlHidesItsPassword() throws {
        let result = try #require(BACnetHarness.message(Self.dccWithPassword))
        #expect(result.frame.anomalies == .cleartextPassword)
        #expect(result.message.functionName == "device_communication_control.disable")
        #expect(result.message.operation == .control && result.message.functionCode == 17)
        #expect(
            result.message.targets == [
                Message.Target(kind: "communication", address: 1, values: [60]),
                Message.Target(kind: "password", address: 0),
            ])
        let json = String(decoding: try JSONEncoder().encode(result.message), as: UTF8.self)
        #expect(!json.contains("secret"))
        #expect(json.contains("bacnet.cleartext_password"))
    }

    @Test func reinitializeDeviceWithAndWithoutPassword() throws {
        let warm = try #require(BACnetHarness.message(Self.reinitializeWarm))
        #expect(warm.frame.anomalies.isEmpty)
        #expect(warm.message.functionName == "reinitialize_device.warmstart" && warm.message.operation == .control)
        #expect(warm.message.targets == [Message.Target(kind: "reinitialize", address: 1)])
        let cold = try #require(BACnetHarness.message(Self.reinitializeColdWithPassword))
        #expect(cold.frame.anomalies == .cleartextPassword)
        #expect(cold.message.functionName == "reinitialize_device.coldstart")
        #expect(cold.message.targets.map(\.kind) == ["reinitialize", "password"])
        let json = String(decoding: try JSONEncoder().encode(cold.message), as: UTF8.self)
        #expect(!json.contains("abcd"))
    }

    @Test func answersPairWithTheirRequests() throws {
        var state = BACnetIP.makeState()
        _ = BACnetHarness.frame(Self.reinitializeColdWithPassword, .toServer, state: &state, time: 10)
        _ = BACnetHarness.frame(Self.reinitializeWarm, .toServer, state: &state, time: 20)
        _ = BACnetHarness.frame(Self.dccWithPassword, .toServer, state: &state, time: 30)
        #expect(state.pending.count == 3)
        // Simple ack of invoke 2 (reinitializeDevice)
        let ack = try #require(
            BACnetHarness.message(Self.datagram([0x20, 0x02, 0x14]), .toClient, state: &state, time: 25))
        #expect(ack.message.status == .ok && ack.message.roundTripNanoseconds == 5 && ack.frame.anomalies.isEmpty)
        // Reject of invoke 3: unrecognized-service, named after the request
        let reject = try #require(
            BACnetHarness.message(Self.datagram([0x60, 0x03, 0x09]), .toClient, state: &state, time: 40))
        #expect(reject.message.functionName == "reinitialize_device" && reject.message.functionCode == 20)
        #expect(reject.message.status == .exception(code: 9, name: "reject.unrecognized_service"))
        #expect(!reject.frame.hasFunction)
        // Abort of invoke 1 from the server: segmentation-not-supported
        let abort = try #require(
            BACnetHarness.message(Self.datagram([0x71, 0x01, 0x04]), .toClient, state: &state, time: 50))
        #expect(abort.message.status == .exception(code: 4, name: "abort.segmentation_not_supported"))
        #expect(abort.message.operation == .control)
        #expect(state.pending.count == 0)
        // A second ack of invoke 2: nothing is pending any more
        let late = try #require(BACnetHarness.frame(Self.datagram([0x20, 0x02, 0x14]), .toClient, state: &state))
        #expect(late.anomalies == .unsolicitedResponse)
        // An ack naming a different service than its request
        _ = BACnetHarness.frame(Self.reinitializeWarm, .toServer, state: &state)
        let mismatch = try #require(BACnetHarness.frame(Self.datagram([0x20, 0x02, 0x0f]), .toClient, state: &state))
        #expect(mismatch.anomalies == .responseMismatch)
        // An ack travelling the same way as its request does not answer it
        _ = BACnetHarness.frame(Self.reinitializeWarm, .toServer, state: &state)
        let sameWay = try #require(BACnetHarness.frame(Self.datagram([0x20, 0x02, 0x14]), .toServer, state: &state))
        #expect(sameWay.anomalies == .unsolicitedResponse)
    }

    @Test func pendingTableIsBounded() throws {
        var state = BACnetIP.makeState()
        var overflowed = 0
        for invoke in 0..<(BACnetIP.PendingTable.capacity + 10) {
            let request = Self.datagram([0x00, 0x05, UInt8(invoke), 0x0c, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x19, 0x55])
            let frame = try #require(BACnetHarness.frame(request, .toServer, state: &state, time: Int64(invoke)))
            if frame.anomalies.contains(.pendingOverflow) { overflowed += 1 }
        }
        #expect(state.pending.count == BACnetIP.PendingTable.capacity)
        #expect(overflowed == 10 && state.pendingOverflows == 10)
    }

    @Test func timeSynchronization() throws {
        let sync = Self.datagram([
            0x10, 0x06,  // unconfirmed request, timeSynchronization
            0xa4, 0x7c, 0x0b, 0x19, 0x03,  // Date 2024-11-25, Wednesday
            0xb4, 0x0e, 0x1e, 0x00, 0x00,  // Time 14:30:00.00
        ])
        let result = try #require(BACnetHarness.message(sync))
        #expect(result.message.functionName == "time_synchronization" && result.message.operation == .control)
        #expect(result.message.functionCode == 256 + 6)
        #expect(
            result.message.targets == [Message.Target(kind: "time", address: 0, values: [2024, 11, 25, 14, 30, 0])])
    }

    @Test func readPropertyMultipleRequestListsEveryProperty() throws {
        // bacpypes3 capture, frame 30: analog-input,1 {present-value, units, status-flags},
        // analog-value,1 {present-value, priority-array}, binary-output,1 {present-value}.
        let request: [UInt8] = [
            0x81, 0x0a, 0x00, 0x2b, 0x01, 0x04,
            0x02, 0x44, 0x09, 0x0e,  // confirmed request, max APDU 1476, invoke 9, readPropertyMultiple
            0x0c, 0x00, 0x00, 0x00, 0x01, 0x1e, 0x09, 0x55, 0x09, 0x75, 0x09, 0x6f, 0x1f,
            0x0c, 0x00, 0x80, 0x00, 0x01, 0x1e, 0x09, 0x55, 0x09, 0x57, 0x1f,
            0x0c, 0x01, 0x00, 0x00, 0x01, 0x1e, 0x09, 0x55, 0x1f,
        ]
        let result = try #require(BACnetHarness.message(request))
        #expect(result.frame.anomalies.isEmpty && result.message.operation == .read)
        #expect(
            result.message.targets.map(\.kind) == [
                "analog_input.present_value", "analog_input.units", "analog_input.status_flags",
                "analog_value.present_value", "analog_value.priority_array", "binary_output.present_value",
            ])
        #expect(result.message.targets.allSatisfy { $0.address == 1 && $0.values.isEmpty })
    }

    @Test func writePropertyMultipleWithIndexAndPriority() throws {
        let request = Self.datagram([
            0x00, 0x05, 0x04, 0x10,  // confirmed request, invoke 4, writePropertyMultiple
            0x0c, 0x00, 0x40, 0x00, 0x02,  // [0] analog-output,2
            0x1e,  // [1] {
            0x09, 0x55, 0x2e, 0x44, 0x42, 0x48, 0x00, 0x00, 0x2f, 0x39, 0x0a,  // present-value {50.0} priority 10
            0x09, 0x57, 0x19, 0x03, 0x2e, 0x00, 0x2f,  // priority-array[3] {null}
            0x1f,  // }
        ])
        let result = try #require(BACnetHarness.message(request))
        #expect(result.frame.anomalies.isEmpty && result.message.operation == .write)
        #expect(
            result.message.targets == [
                Message.Target(kind: "analog_output.present_value", address: 2, values: [50]),
                Message.Target(kind: "analog_output.present_value.priority", address: 2, values: [10]),
                Message.Target(kind: "analog_output.priority_array[3]", address: 2),
            ])
        #expect(result.values.map(\.tag) == ["bacnet://10.0.0.2/analog_output/2/present_value"])
        #expect(result.values.first?.value == 50 && result.values.first?.written == true)
    }

    @Test func whoHasAndIHave() throws {
        let whoHas = Self.datagram([
            0x10, 0x07,  // unconfirmed request, who-has
            0x2c, 0x00, 0x00, 0x00, 0x03,  // [2] analog-input,3
        ])
        let asked = try #require(BACnetHarness.message(whoHas))
        #expect(asked.message.functionName == "who_has" && asked.message.operation == .discovery)
        #expect(asked.message.targets == [Message.Target(kind: "analog_input", address: 3)])
        let iHave = Self.datagram([
            0x10, 0x01,  // unconfirmed request, i-have
            0xc4, 0x02, 0x00, 0x00, 0x64,  // device,100
            0xc4, 0x00, 0x00, 0x00, 0x03,  // analog-input,3
            0x75, 0x04, 0x00, 0x4f, 0x41, 0x54,  // "OAT"
        ])
        let answered = try #require(BACnetHarness.message(iHave, .toClient))
        #expect(answered.message.functionName == "i_have" && answered.message.operation == .discovery)
        #expect(answered.message.functionCode == 256 + 1 && answered.frame.anomalies.isEmpty)
        #expect(
            answered.message.targets == [
                Message.Target(kind: "device", address: 100),
                Message.Target(kind: "analog_input", address: 3, name: "OAT"),
            ])
    }

    @Test func whoHasByNameWithinADeviceRange() throws {
        let whoHas = Self.datagram([
            0x10, 0x07,  // unconfirmed request, who-has
            0x09, 0x0a,  // [0] device instance low limit 10
            0x1a, 0x01, 0xf4,  // [1] high limit 500
            0x3d, 0x0b, 0x00, 0x5a, 0x6f, 0x6e, 0x65, 0x20, 0x34, 0x20, 0x54, 0x65, 0x6d,  // [3] "Zone 4 Tem"
        ])
        let asked = try #require(BACnetHarness.message(whoHas))
        #expect(asked.frame.anomalies.isEmpty && asked.message.functionCode == 256 + 7)
        #expect(
            asked.message.targets == [
                Message.Target(kind: "device", address: 10, count: 491),
                Message.Target(kind: "object_name", address: 0, name: "Zone 4 Tem"),
            ])
    }

    @Test func deviceCommunicationControlWithoutPassword() throws {
        let enable = Self.datagram([
            0x00, 0x05, 0x0b, 0x11,  // confirmed request, invoke 11, deviceCommunicationControl
            0x19, 0x00,  // [1] enable; no duration, no password
        ])
        let result = try #require(BACnetHarness.message(enable))
        #expect(result.frame.anomalies.isEmpty && result.message.status == .pending)
        #expect(result.message.functionName == "device_communication_control.enable")
        #expect(result.message.targets == [Message.Target(kind: "communication", address: 0)])
    }

    @Test func readPropertyRequestAckAndIdentity() throws {
        var state = BACnetIP.makeState()
        let request = Self.datagram([
            0x00, 0x05, 0x0c, 0x0c,  // confirmed request, invoke 12, readProperty
            0x0c, 0x00, 0x00, 0x00, 0x05,  // [0] analog-input,5
            0x19, 0x55,  // [1] present-value
        ])
        let asked = try #require(BACnetHarness.message(request, state: &state, time: 1_000))
        #expect(asked.message.operation == .read && asked.message.status == .pending)
        #expect(asked.message.targets == [Message.Target(kind: "analog_input.present_value", address: 5)])
        #expect(asked.values.isEmpty)
        let ack = Self.datagram([
            0x30, 0x0c, 0x0c,  // complex ack, invoke 12, readProperty
            0x0c, 0x00, 0x00, 0x00, 0x05,  // [0] analog-input,5
            0x19, 0x55,  // [1] present-value
            0x3e, 0x44, 0xc1, 0x20, 0x00, 0x00, 0x3f,  // [3] {-10.0}
        ])
        let answered = try #require(BACnetHarness.message(ack, .toClient, state: &state, time: 4_000))
        #expect(answered.frame.anomalies.isEmpty && answered.message.roundTripNanoseconds == 3_000)
        #expect(
            answered.message.targets == [Message.Target(kind: "analog_input.present_value", address: 5, values: [-10])])
        #expect(answered.values.map(\.value) == [-10] && answered.values.allSatisfy { !$0.written })
        #expect(answered.values.map(\.tag) == ["bacnet://10.0.0.2/analog_input/5/present_value"])
        // Device identity one property at a time: firmware, application version, vendor id.
        let identity: [(property: UInt8, value: [UInt8], fact: String)] = [
            (0x2c, [0x75, 0x06, 0x00, 0x33, 0x2e, 0x31, 0x30, 0x61], "firmware=3.10a"),
            (0x0c, [0x75, 0x05, 0x00, 0x76, 0x34, 0x2e, 0x32], "revision=v4.2"),
            (0x78, [0x21, 0x05], "vendor=Johnson Controls, Inc."),
            (0x46, [0x75, 0x04, 0x00, 0x4d, 0x2d, 0x37], "model=M-7"),
            (0x79, [0x75, 0x05, 0x00, 0x41, 0x63, 0x6d, 0x65], "vendor=Acme"),
        ]
        for (property, value, fact) in identity {
            let deviceAck = Self.datagram(
                [
                    0x30, 0x0d, 0x0c,  // complex ack, invoke 13, readProperty
                    0x0c, 0x02, 0x00, 0x00, 0x2a,  // [0] device,42
                    0x19, property,  // [1] the property
                    0x3e,  // [3] {
                ] + value + [0x3f])
            let result = try #require(BACnetHarness.message(deviceAck, .toClient))
            #expect(result.facts.map { "\($0.kind.rawValue)=\($0.value)" } == [fact])
            #expect(result.facts.allSatisfy { $0.source == "bacnet/read-property" })
        }
    }

    @Test func writePropertyWithAndWithoutPriority() throws {
        let withPriority = Self.datagram([
            0x00, 0x05, 0x0e, 0x0f,  // confirmed request, invoke 14, writeProperty
            0x0c, 0x01, 0x00, 0x00, 0x03,  // [0] binary-output,3
            0x19, 0x55,  // [1] present-value
            0x3e, 0x91, 0x00, 0x3f,  // [3] {inactive}
            0x49, 0x01,  // [4] priority 1 (manual life safety)
        ])
        let urgent = try #require(BACnetHarness.message(withPriority))
        #expect(urgent.frame.anomalies.isEmpty && urgent.message.operation == .write)
        #expect(
            urgent.message.targets == [
                Message.Target(kind: "binary_output.present_value", address: 3, values: [0]),
                Message.Target(kind: "binary_output.present_value.priority", address: 3, values: [1]),
            ])
        #expect(urgent.values.map(\.written) == [true])
        let plain = Self.datagram([
            0x00, 0x05, 0x0f, 0x0f,  // confirmed request, invoke 15, writeProperty
            0x0c, 0x00, 0x80, 0x00, 0x07,  // [0] analog-value,7
            0x19, 0x57, 0x29, 0x10,  // [1] priority-array [2] index 16
            0x3e, 0x00, 0x3f,  // [3] {null}: relinquish
        ])
        let relinquish = try #require(BACnetHarness.message(plain))
        #expect(relinquish.frame.anomalies.isEmpty)
        #expect(relinquish.message.targets == [Message.Target(kind: "analog_value.priority_array[16]", address: 7)])
        #expect(relinquish.values.isEmpty)
    }

    @Test func covSubscriptionAndNotification() throws {
        let subscribe = Self.datagram([
            0x00, 0x05, 0x05, 0x05,  // confirmed request, invoke 5, subscribeCOV
            0x09, 0x12,  // [0] process id 18
            0x1c, 0x00, 0x00, 0x00, 0x01,  // [1] analog-input,1
            0x29, 0x00,  // [2] issue confirmed notifications: false
            0x39, 0x78,  // [3] lifetime 120 s
        ])
        let subscribed = try #require(BACnetHarness.message(subscribe))
        #expect(subscribed.message.operation == .read && subscribed.frame.anomalies.isEmpty)
        #expect(subscribed.message.targets == [Message.Target(kind: "analog_input", address: 1)])
        let notification = Self.datagram([
            0x10, 0x02,  // unconfirmed request, unconfirmedCOVNotification
            0x09, 0x12,  // [0] process id 18
            0x1c, 0x02, 0x00, 0x00, 0x64,  // [1] initiating device,100
            0x2c, 0x00, 0x00, 0x00, 0x01,  // [2] monitored analog-input,1
            0x39, 0x64,  // [3] time remaining 100 s
            0x4e,  // [4] {
            0x09, 0x55, 0x2e, 0x44, 0x41, 0xa8, 0x00, 0x00, 0x2f,  // present-value {21.0}
            0x09, 0x6f, 0x2e, 0x82, 0x04, 0x00, 0x2f,  // status-flags {bit string}
            0x4f,  // }
        ])
        let notified = try #require(BACnetHarness.message(notification, .toClient))
        #expect(notified.frame.anomalies.isEmpty && notified.message.operation == .read)
        #expect(
            notified.message.targets == [
                Message.Target(kind: "analog_input.present_value", address: 1, values: [21]),
                Message.Target(kind: "analog_input.status_flags", address: 1),
            ])
        #expect(notified.values.map(\.value) == [21])
        #expect(notified.values.map(\.tag) == ["bacnet://10.0.0.2/analog_input/1/present_value"])
        // The confirmed notification is a confirmed request, yet it reports a value: nothing is written.
        let confirmed =
            [0x81, 0x0a, 0x00, UInt8(notification.count + 2), 0x01, 0x04, 0x00, 0x05, 0x06, 0x01]
            + notification.dropFirst(8)
        let reported = try #require(BACnetHarness.message(confirmed, .toClient))
        #expect(reported.frame.anomalies.isEmpty && reported.message.functionName == "confirmed_cov_notification")
        #expect(reported.values.count == 1 && reported.values.allSatisfy { !$0.written })
        #expect(reported.values.map(\.tag) == ["bacnet://10.0.0.2/analog_input/1/present_value"])
    }

    @Test func errorClassAndCode() throws {
        // Error of invoke 22 to writeProperty: object / unknown-object (bacpypes3, frame 57)
        let error = Self.datagram([0x50, 0x16, 0x0f, 0x91, 0x01, 0x91, 0x1f])
        let frame = try #require(BACnetHarness.frame(error, .toClient))
        #expect(frame.errorClass == 1 && frame.errorCode == 31 && frame.functionCode == 15 && frame.hasFunction)
        // Error with no class or code
        let bare = try #require(BACnetHarness.frame(Self.datagram([0x50, 0x16, 0x0f]), .toClient))
        #expect(bare.anomalies.contains(.malformedTags))
        // Error class 12 does not exist
        let odd = try #require(
            BACnetHarness.frame(Self.datagram([0x50, 0x16, 0x0f, 0x91, 0x0c, 0x91, 0x1f]), .toClient))
        #expect(odd.anomalies.contains(.invalidReason))
    }

    @Test func deviceObjectFactsFromReadPropertyMultipleAck() throws {
        let ack = Self.datagram([
            0x30, 0x01, 0x0e,  // complex ack, invoke 1, readPropertyMultiple
            0x0c, 0x02, 0x00, 0x00, 0x07,  // [0] device,7
            0x1e,  // [1] {
            0x29, 0x79, 0x4e, 0x75, 0x06, 0x00, 0x41, 0x63, 0x6d, 0x65, 0x20, 0x4f,  // vendor-name {"Acme "}
            0x29, 0x46, 0x4e, 0x75, 0x04, 0x05, 0x58, 0xe9, 0x31, 0x4f,  // model-name {ISO 8859-1 "X\u{e9}1"}
            0x29, 0x2c, 0x5e, 0x91, 0x02, 0x91, 0x20, 0x5f,  // firmware-revision: error property/unknown
            0x29, 0x78, 0x4e, 0x22, 0x01, 0x04, 0x4f,  // vendor-identifier {260}
            0x1f,  // }
        ])
        let result = try #require(BACnetHarness.message(ack, .toClient))
        #expect(result.frame.anomalies == .unsolicitedResponse)
        #expect(
            result.facts.map { "\($0.kind.rawValue)=\($0.value)" } == [
                "vendor=Acme", "model=X\u{e9}1", "vendor=BACnet Stack at SourceForge",
            ])
        #expect(
            result.facts.allSatisfy { $0.address == BACnetHarness.server.address && $0.source.hasPrefix("bacnet/") })
    }
}
