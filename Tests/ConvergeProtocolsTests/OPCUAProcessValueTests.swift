import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Process values from Write requests, Read responses and Publish data changes, tagged
/// `opcua://<server>/<NodeId>`; and the same over the asyncua capture, checked against tshark.
@Suite struct OPCUAProcessValueTests {
    static let server = "\(OPCUAHarness.server.address)"

    @Test func writeReadAndDataChangeBecomeProcessValues() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let write = UAMessage.body(673) { w in
            w.requestHeader(handle: 4); w.i32(3)
            w.stringNodeID("Pump1.Setpoint", ns: 2); w.u32(13); w.string(nil); w.doubleDataValue(1520)
            w.nodeID(5001, ns: 2); w.u32(13); w.string(nil); w.int32DataValue(-7)
            // A String that looks like a number is not a process value.
            w.nodeID(5002, ns: 2); w.u32(13); w.string(nil); w.u8(0x01); w.u8(12); w.string("42")
        }
        let (sent, _, _) = OPCUAServiceTests.exchange(write, nil, state: &state)
        let written = OPCUA.processValues(try #require(sent))
        #expect(written.map(\.tag) == [
            "opcua://\(Self.server)/ns=2;s=Pump1.Setpoint", "opcua://\(Self.server)/ns=2;i=5001",
        ])
        #expect(written.map(\.value) == [1520, -7])
        #expect(written.allSatisfy { $0.written })

        let read = UAMessage.body(631) { w in
            w.requestHeader(handle: 3); w.double(0); w.u32(2); w.i32(3)
            w.stringNodeID("Boiler.Temperature", ns: 2); w.u32(13); w.string(nil); w.u16(0); w.string(nil)
            w.stringNodeID("Boiler.Temperature", ns: 2); w.u32(4); w.string(nil); w.u16(0); w.string(nil)
            w.stringNodeID("Boiler.Levels", ns: 2); w.u32(13); w.string(nil); w.u16(0); w.string(nil)
        }
        let response = UAMessage.body(634) { w in
            w.responseHeader(handle: 3); w.i32(3)
            w.doubleDataValue(71.5)
            w.u8(0x01); w.u8(21); w.localizedText("Temperature")  // DisplayName: not a process value
            w.u8(0x01); w.u8(0x80 | 10); w.i32(2); w.u32(Float(1.5).bitPattern); w.u32(Float(2.5).bitPattern)
            w.i32(-1)
        }
        let (_, answer, _) = OPCUAServiceTests.exchange(read, response, requestID: 11, state: &state)
        let values = OPCUA.processValues(try #require(answer))
        #expect(values.map(\.tag) == [
            "opcua://\(Self.server)/ns=2;s=Boiler.Temperature", "opcua://\(Self.server)/ns=2;s=Boiler.Levels/0",
            "opcua://\(Self.server)/ns=2;s=Boiler.Levels/1",
        ])
        #expect(values.map(\.value) == [71.5, 1.5, 2.5])
        #expect(values.allSatisfy { !$0.written })
        #expect(answer?.targets[1].value == "\"Temperature\"")

        _ = OPCUAServiceTests.exchange(OPCUAServiceDepthTests.monitor, nil, requestID: 21, state: &state)
        let (_, publish, _) = OPCUAServiceTests.exchange(
            UAMessage.body(826) { w in w.requestHeader(handle: 9); w.i32(0) }, OPCUAServiceDepthTests.publish,
            requestID: 22, state: &state)
        let changes = OPCUA.processValues(try #require(publish))
        #expect(changes.map(\.tag) == ["opcua://\(Self.server)/ns=2;i=7", "opcua://\(Self.server)/ns=2;i=9"])
        #expect(changes.map(\.value) == [20.5, -3])
    }

    @Test func unnamedOrNonNumericValuesAreSkipped() {
        func message(_ targets: [Message.Target], direction: Direction = .toClient, code: Int = 829) -> Message {
            Message(
                time: Timestamp(nanoseconds: 0), flowID: 1, client: OPCUAHarness.client, server: OPCUAHarness.server,
                proto: "opcua", direction: direction, functionCode: code, functionName: "x", operation: .read,
                targets: targets)
        }
        // No node name (CreateMonitoredItems not seen), a date, a NaN, a bad status without value.
        #expect(OPCUA.processValues(message([Message.Target(kind: "data_change", address: 1, values: [5])])).isEmpty)
        #expect(OPCUA.processValues(message([
            Message.Target(kind: "data_change", address: 1, name: "i=1", value: "2024-01-01T00:00:00.000Z"),
            Message.Target(kind: "data_change", address: 1, name: "i=2", value: "nan"),
            Message.Target(kind: "data_change", address: 1, name: "i=3", value: "status=bad_not_readable"),
            Message.Target(kind: "data_change", address: 1, name: "i=4", value: "1.5,\"x\""),
        ])).isEmpty)
        // Integers with a status/time suffix still count; a Read request's nodes carry no values.
        #expect(OPCUA.processValues(message([
            Message.Target(
                kind: "data_change", address: 1, values: [9], name: "i=5", value: "status=uncertain_0x40000000")
        ])).map(\.value) == [9])
        #expect(OPCUA.processValues(message(
            [Message.Target(kind: "node", address: 13, name: "i=6")], direction: .toServer, code: 631)).isEmpty)
    }

    /// The asyncua capture: every data change tshark sees (`opcua.ClientHandle` in Publish
    /// responses, golden file from regenerate-golden.sh) is a named `data_change` target, each
    /// carrying a value.
    @Test func captureDataChangesMatchTshark() throws {
        let result = OPCUAHarness.run(url: OPCUAHarness.fixtures.appendingPathComponent("opcua.pcap"))
        let golden = try String(
            contentsOf: OPCUAHarness.fixtures.appendingPathComponent("opcua.datachanges.tshark.txt"), encoding: .utf8)
        let expected = try #require(Int(golden.trimmingCharacters(in: .whitespacesAndNewlines)))
        let changes = result.messages.flatMap { $0.targets.filter { $0.kind == "data_change" } }
        #expect(changes.count == expected)
        #expect(changes.allSatisfy { $0.name != nil })
        let values = result.messages.flatMap { OPCUA.processValues($0) }
        #expect(values.filter { !$0.written }.count >= expected)
        #expect(result.messages.allSatisfy { !$0.anomalies.contains("opcua.malformed_body") })
        let written = values.filter(\.written)
        #expect(written.map(\.value) == [68, 1520])  // tshark: the two WriteRequests' Doubles
    }
}
