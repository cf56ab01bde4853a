import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// The services beyond the first tier: history, view, node management, monitored item results,
/// notifications of every kind, user tokens, and bodies of each cut short or flipped.
@Suite struct OPCUAServiceDepthTests {
    static func exchange(
        _ request: [UInt8], _ response: [UInt8]?, requestID: UInt32 = 10, state: inout OPCUA.State
    ) -> (request: Message?, response: Message?) {
        let (sent, answer, _) = OPCUAServiceTests.exchange(request, response, requestID: requestID, state: &state)
        return (sent, answer)
    }

    static let historyRead = UAMessage.body(664) { w in
        w.requestHeader(handle: 1)
        // ReadRawModifiedDetails: is modified, start, end, values per node, return bounds.
        var details = UAWriter()
        details.u8(0); details.u64(0); details.u64(0); details.u32(100); details.u8(0)
        w.extensionObject(type: 649, body: details.bytes)
        w.u32(0); w.u8(0)  // timestamps to return, release continuation points
        w.i32(1); w.stringNodeID("Boiler.Temperature", ns: 2); w.string(nil); w.u16(0); w.string(nil)
        w.byteString(nil)
    }

    static let historyReadResponse = UAMessage.body(667) { w in
        w.responseHeader(handle: 1)
        var data = UAWriter()
        data.i32(3); data.doubleDataValue(1); data.doubleDataValue(2); data.doubleDataValue(3)
        w.i32(1); w.u32(0); w.byteString(nil); w.extensionObject(type: 658, body: data.bytes)
        w.i32(-1)
    }

    @Test func historyReadNamesItsNodeAndCountsValues() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let (sent, answer) = Self.exchange(Self.historyRead, Self.historyReadResponse, state: &state)
        #expect(sent?.operation == .read)
        #expect(sent?.targets == [
            Message.Target(kind: "node", address: 0, name: "ns=2;s=Boiler.Temperature", value: "history=raw_modified")
        ])
        #expect(answer?.targets == [
            Message.Target(kind: "result", address: 0, count: 3, name: "ns=2;s=Boiler.Temperature", value: "good")
        ])
    }

    static let addNodes = UAMessage.body(488) { w in
        w.requestHeader(handle: 2)
        w.i32(1)
        w.nodeID(85)  // parent: Objects
        w.nodeID(35)  // Organizes
        w.stringNodeID("Backdoor", ns: 2)
        w.u16(2); w.string("Backdoor")
        w.u32(1)  // Object
        w.extensionObject(type: 0, body: nil)
        w.nodeID(58)
    }

    @Test func nodeManagementIsProgram() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let response = UAMessage.body(491) { w in
            w.responseHeader(handle: 2); w.i32(1); w.u32(0); w.stringNodeID("Backdoor", ns: 2); w.i32(-1)
        }
        let (sent, answer) = Self.exchange(Self.addNodes, response, state: &state)
        let add = try #require(sent)
        #expect(add.functionName == "add_nodes_request")
        #expect(add.operation == .program)
        #expect(add.targets == [
            Message.Target(kind: "node", address: 1, name: "ns=2;s=Backdoor", value: "parent=i=85;browse_name=Backdoor")
        ])
        #expect(answer?.targets == [Message.Target(kind: "result", address: 0, name: "ns=2;s=Backdoor", value: "good")])
        let delete = UAMessage.body(500) { w in
            w.requestHeader(handle: 3); w.i32(1); w.stringNodeID("Backdoor", ns: 2); w.u8(1)
        }
        let deleted = UAMessage.body(503) { w in w.responseHeader(handle: 3); w.i32(1); w.u32(0x8034_0000); w.i32(-1) }
        let (removal, result) = Self.exchange(delete, deleted, requestID: 11, state: &state)
        #expect(removal?.operation == .program)
        #expect(removal?.targets.first?.value == "delete_target_references=true")
        #expect(result?.targets == [
            Message.Target(kind: "result", address: 0x8034_0000, name: "ns=2;s=Backdoor", value: "bad_node_id_unknown")
        ])
        let reference = UAMessage.body(494) { w in
            w.requestHeader(handle: 4); w.i32(1)
            w.nodeID(85); w.nodeID(35); w.u8(1); w.string(nil); w.stringNodeID("Backdoor", ns: 2); w.u32(1)
        }
        let (added, _) = Self.exchange(reference, nil, requestID: 12, state: &state)
        #expect(added?.operation == .program)
        #expect(added?.targets == [
            Message.Target(kind: "node", address: 0, name: "i=85", value: "reference_type=i=35;target=ns=2;s=Backdoor")
        ])
    }

    static let translate = UAMessage.body(554) { w in
        w.requestHeader(handle: 5)
        w.i32(1); w.nodeID(85); w.i32(2)
        w.nodeID(33); w.u8(0); w.u8(1); w.u16(2); w.string("Line1")
        w.nodeID(33); w.u8(0); w.u8(1); w.u16(2); w.string("Pump")
    }

    @Test func translateBrowsePathsShowsThePathAndTheResult() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let response = UAMessage.body(557) { w in
            w.responseHeader(handle: 5); w.i32(1); w.u32(0); w.i32(1); w.nodeID(42, ns: 2); w.u32(0xffff_ffff)
            w.i32(-1)
        }
        let (sent, answer) = Self.exchange(Self.translate, response, state: &state)
        #expect(sent?.operation == .read)
        #expect(sent?.targets == [Message.Target(kind: "node", address: 2, name: "i=85", value: "/Line1/Pump")])
        #expect(answer?.targets == [Message.Target(kind: "result", address: 0, name: "ns=2;i=42", value: "good")])
    }

    @Test func registerNodesListsThem() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(560) { w in
            w.requestHeader(handle: 6); w.i32(2); w.nodeID(7, ns: 2); w.stringNodeID("Valve", ns: 3)
        }
        let (sent, _) = Self.exchange(request, nil, state: &state)
        #expect(sent?.targets.map(\.name) == ["ns=2;i=7", "ns=3;s=Valve"])
    }

    static let monitor = UAMessage.body(751) { w in
        w.requestHeader(handle: 8); w.u32(78); w.u32(2); w.i32(2)
        for (id, handle) in [(7 as UInt32, 201 as UInt32), (9, 202)] {
            w.nodeID(id, ns: 2); w.u32(13); w.string(nil); w.u16(0); w.string(nil)
            w.u32(2); w.u32(handle); w.double(250); w.extensionObject(type: 0, body: nil); w.u32(1); w.u8(1)
        }
    }

    @Test func monitoredItemsAreNamedBothWays() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let response = UAMessage.body(754) { w in
            w.responseHeader(handle: 8); w.i32(2)
            w.u32(0); w.u32(1); w.double(250); w.u32(1); w.extensionObject(type: 0, body: nil)
            w.u32(0x8034_0000); w.u32(0); w.double(0); w.u32(0); w.extensionObject(type: 0, body: nil)
            w.i32(-1)
        }
        let (sent, answer) = Self.exchange(Self.monitor, response, state: &state)
        #expect(sent?.targets.first == Message.Target(
            kind: "node", address: 13, values: [201], name: "ns=2;i=7",
            value: "subscription=78;client_handle=201;mode=reporting;sampling_interval_ms=250.0;queue_size=1"))
        #expect(answer?.targets == [
            Message.Target(kind: "result", address: 0, values: [1], name: "ns=2;i=7", value: "good;monitored_item=1"),
            Message.Target(
                kind: "result", address: 0x8034_0000, values: [0], name: "ns=2;i=9",
                value: "bad_node_id_unknown;monitored_item=0"),
        ])
        #expect(state.monitoredItems[202] == "ns=2;i=9")
    }

    /// A Publish response carrying a data change with status and source time, an event list
    /// of two events and a status change.
    static let publish: [UInt8] = {
        var change = UAWriter()
        change.i32(2)
        // Value, status Uncertain (0x40000000), source timestamp 2024-02-29T12:00:00.250Z.
        change.u32(201); change.u8(0x07); change.u8(11); change.double(20.5); change.u32(0x4000_0000)
        change.u64(133_536_816_002_500_000)
        change.u32(202); change.u8(0x01); change.u8(6); change.i32(-3)
        change.i32(-1)
        var events = UAWriter()
        events.i32(2)
        for handle in [301 as UInt32, 302] { events.u32(handle); events.i32(1); events.u8(12); events.string("Alarm") }
        var status = UAWriter()
        status.u32(0x8028_0000); status.u8(0)
        return UAMessage.body(829) { w in
            w.responseHeader(handle: 9); w.u32(78); w.i32(1); w.u32(4); w.u8(1)
            w.u32(4); w.u64(133_536_816_002_500_000); w.i32(3)
            w.extensionObject(type: 811, body: change.bytes)
            w.extensionObject(type: 916, body: events.bytes)
            w.extensionObject(type: 820, body: status.bytes)
            w.i32(-1); w.i32(-1)
        }
    }()

    @Test func publishDeliversEveryNotificationKind() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        _ = Self.exchange(Self.monitor, nil, requestID: 21, state: &state)
        let request = UAMessage.body(826) { w in w.requestHeader(handle: 9); w.i32(1); w.u32(78); w.u32(3) }
        let (sent, answer) = Self.exchange(request, Self.publish, requestID: 22, state: &state)
        #expect(sent?.targets == [Message.Target(kind: "acknowledgement", address: 78, values: [3])])
        let message = try #require(answer)
        #expect(message.anomalies.isEmpty)
        #expect(message.targets == [
            Message.Target(
                kind: "subscription", address: 78, count: 3, values: [4],
                value: "sequence=4;publish_time=2024-02-29T12:00:00.250Z;more_notifications=true"),
            Message.Target(
                kind: "data_change", address: 201, name: "ns=2;i=7",
                value: "20.5;status=uncertain_0x40000000;source_time=2024-02-29T12:00:00.250Z"),
            Message.Target(kind: "data_change", address: 202, values: [-3], name: "ns=2;i=9"),
            Message.Target(kind: "event_notification", address: 78, count: 2),
            Message.Target(kind: "status_change", address: 0x8028_0000, value: "bad_subscription_id_invalid"),
        ])
    }

    @Test func certificateAndIssuedTokensCountTheirSecret() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        func activate(type: UInt32, _ fields: (inout UAWriter) -> Void) -> [UInt8] {
            var token = UAWriter()
            token.string("policy")
            fields(&token)
            return UAMessage.body(467) { w in
                w.requestHeader(handle: 3, token: 99)
                w.string(nil); w.byteString(nil); w.i32(-1); w.i32(-1)
                w.extensionObject(type: type, body: token.bytes)
                w.string(nil); w.byteString(nil)
            }
        }
        let certificate = activate(type: 327) { $0.byteString([UInt8](repeating: 0x30, count: 900)) }
        let (sent, _) = Self.exchange(certificate, nil, state: &state)
        #expect(sent?.operation == .auth)
        #expect(sent?.targets == [Message.Target(kind: "user_token", address: 2, count: 900, value: "certificate")])
        let issued = activate(type: 940) { w in w.byteString([1, 2, 3, 4]); w.string("rsa-oaep") }
        let (jwt, _) = Self.exchange(issued, nil, requestID: 11, state: &state)
        #expect(jwt?.targets == [
            Message.Target(kind: "user_token", address: 3, count: 4, value: "issued;algorithm=rsa-oaep")
        ])
        let empty = OPCUAServiceTests.activate(user: "guest", password: [], algorithm: nil)
        var fresh = OPCUASecureChannelTests.openedNoneChannel()
        let (none, _) = Self.exchange(empty, nil, requestID: 12, state: &fresh)
        #expect(none?.targets.first?.value == "user_name;password=none")
        #expect(none?.anomalies.isEmpty == true)
    }

    @Test func dateTimesAreCalendarCorrect() {
        #expect(OPCUA.dateTimeText(116_444_736_000_000_000) == "1970-01-01T00:00:00.000Z")
        #expect(OPCUA.dateTimeText(1) == "1601-01-01T00:00:00.000Z")
        // 2000-02-29 (a leap day in a 400-year leap year) and the last millisecond of 2024.
        #expect(OPCUA.dateTimeText(125_962_560_000_000_000) == "2000-02-29T00:00:00.000Z")
        #expect(OPCUA.dateTimeText(133_801_631_999_990_000) == "2024-12-31T23:59:59.999Z")
        #expect(OPCUA.dateTimeText(0) == "min")
        #expect(OPCUA.dateTimeText(Int64.max) == "max")
        #expect(OPCUA.quoted("say \"hi\"") == "\"say \\\"hi\\\"\"")
    }

    @Test func rememberedNodesAreBounded() {
        var state = OPCUA.State()
        for id in 0..<UInt32(OPCUA.State.maxRequestsRemembered * 3) {
            state.remember([OPCUA.NodeTarget(node: "n\(id)", attribute: 13)], for: id)
        }
        #expect(state.requestNodes.count == OPCUA.State.maxRequestsRemembered)
        #expect(state.recall(UInt32(OPCUA.State.maxRequestsRemembered * 3 - 1)).first?.node != nil)
        for handle in 0..<UInt32(OPCUA.State.maxMonitoredItems + 10) { state.rememberMonitoredItem(handle, node: "x") }
        #expect(state.monitoredItems.count == OPCUA.State.maxMonitoredItems)
        #expect(state.monitoredItemsDropped == 10)
    }

    /// Every body above, as the direction it travels.
    static let bodies: [(body: [UInt8], direction: Direction)] = [
        (historyRead, .toServer), (historyReadResponse, .toClient), (addNodes, .toServer), (translate, .toServer),
        (monitor, .toServer), (publish, .toClient),
    ]

    @Test(arguments: 0..<6)
    func bodiesCutShortAreAnomaliesNotTraps(index: Int) {
        let (body, direction) = Self.bodies[index]
        var malformed = 0
        for length in 0...body.count {
            var state = OPCUASecureChannelTests.openedNoneChannel()
            let bytes = UAMessage.symmetric(sequence: 2, requestID: 2, body: Array(body.prefix(length)))
            guard let result = OPCUAHarness.message(bytes, direction, state: &state) else {
                Issue.record("length \(length) did not parse")
                continue
            }
            _ = OPCUA.processValues(result.message)
            if result.message.anomalies.contains("opcua.malformed_body") { malformed += 1 }
        }
        #expect(malformed > body.count / 2)
    }

    @Test func flippedBytesNeverTrap() {
        var generator = SeededGenerator(seed: 0x0bca_fe00)
        var parsed = 0
        for round in 0..<3_000 {
            let (body, direction) = Self.bodies[round % Self.bodies.count]
            var bytes = UAMessage.symmetric(sequence: 2, requestID: 2, body: body)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 16..<bytes.count, using: &generator)
                bytes[at] = UInt8.random(in: 0...255, using: &generator)
            }
            var state = OPCUASecureChannelTests.openedNoneChannel()
            if round % 2 == 0 { _ = Self.exchange(Self.monitor, nil, requestID: 2, state: &state) }
            if let result = OPCUAHarness.message(bytes, direction, state: &state) {
                _ = OPCUA.processValues(result.message)
                parsed += 1
            }
        }
        #expect(parsed > 2_000)
    }
}
