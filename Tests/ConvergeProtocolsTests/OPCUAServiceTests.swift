import Foundation
import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Service bodies: targets with values, pairing, identity, user tokens, faults.
@Suite struct OPCUAServiceTests {
    /// Sends `body` as a request then `response` as its answer on a None channel.
    static func exchange(
        _ request: [UInt8], _ response: [UInt8]?, requestID: UInt32 = 10, state: inout OPCUA.State
    ) -> (request: Message?, response: Message?, facts: [AssetFact]) {
        let sent = OPCUAHarness.message(
            UAMessage.symmetric(sequence: 2, requestID: requestID, body: request), .toServer, state: &state,
            time: 1_000)
        guard let response else { return (sent?.message, nil, sent?.facts ?? []) }
        let answer = OPCUAHarness.message(
            UAMessage.symmetric(sequence: 2, requestID: requestID, body: response), .toClient, state: &state,
            time: 5_000)
        return (sent?.message, answer?.message, (sent?.facts ?? []) + (answer?.facts ?? []))
    }

    @Test func readRequestAndResponse() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(631) { w in
            w.requestHeader(handle: 3, token: 1234)
            w.double(0); w.u32(2); w.i32(2)  // max age, timestamps, 2 nodes
            w.stringNodeID("Boiler.Temperature", ns: 2); w.u32(13); w.string(nil); w.u16(0); w.string(nil)
            w.nodeID(2258); w.u32(13); w.string(nil); w.u16(0); w.string(nil)
        }
        let response = UAMessage.body(634) { w in
            w.responseHeader(handle: 3)
            w.i32(2)
            w.doubleDataValue(71.5)
            // DataValue (value, status): DateTime 1 s after 1970, Good.
            w.u8(0x03); w.u8(13); w.u64(116_444_736_000_000_000 + 10_000_000); w.u32(0)
            w.i32(-1)
        }
        let (sent, answer, _) = Self.exchange(request, response, state: &state)
        let read = try #require(sent)
        #expect(read.functionCode == 631)
        #expect(read.functionName == "read_request")
        #expect(read.operation == .read)
        #expect(read.status == .pending)
        #expect(read.targets == [
            Message.Target(kind: "node", address: 13, name: "ns=2;s=Boiler.Temperature"),
            Message.Target(kind: "node", address: 13, name: "i=2258"),
        ])
        let values = try #require(answer)
        #expect(values.functionName == "read_response")
        #expect(values.roundTripNanoseconds == 4_000)
        #expect(values.status == .ok)
        #expect(values.targets.count == 2)
        #expect(values.targets[0].name == "ns=2;s=Boiler.Temperature")
        #expect(values.targets[0].value == "71.5")
        #expect(values.targets[1].name == "i=2258")
        #expect(values.targets[1].values.isEmpty)
        #expect(values.targets[1].value == "1970-01-01T00:00:01.000Z")
    }

    @Test func writeCarriesTheValue() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(673) { w in
            w.requestHeader(handle: 4)
            w.i32(2)
            w.stringNodeID("Pump1.Setpoint", ns: 2); w.u32(13); w.string(nil); w.doubleDataValue(1520)
            w.nodeID(5001, ns: 2); w.u32(13); w.string(nil); w.int32DataValue(-7)
        }
        let response = UAMessage.body(676) { w in
            w.responseHeader(handle: 4); w.i32(2); w.u32(0); w.u32(0x803b_0000); w.i32(-1)
        }
        let (sent, answer, _) = Self.exchange(request, response, state: &state)
        let write = try #require(sent)
        #expect(write.operation == .write)
        #expect(write.targets == [
            Message.Target(kind: "node", address: 13, name: "ns=2;s=Pump1.Setpoint", value: "1520.0"),
            Message.Target(kind: "node", address: 13, values: [-7], name: "ns=2;i=5001"),
        ])
        #expect(answer?.functionName == "write_response")
        #expect(answer?.status == .ok)
        // Results come unnamed on the wire; the request's nodes name them.
        #expect(answer?.targets == [
            Message.Target(kind: "result", address: 0, name: "ns=2;s=Pump1.Setpoint", value: "good"),
            Message.Target(kind: "result", address: 0x803b_0000, name: "ns=2;i=5001", value: "bad_not_writable"),
        ])
    }

    @Test func browse() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(527) { w in
            w.requestHeader(handle: 5)
            w.nodeID(0); w.u64(0); w.u32(0); w.u32(100)  // view, max references
            w.i32(1)
            w.nodeID(85); w.u32(0); w.nodeID(33); w.u8(1); w.u32(0); w.u32(63)
        }
        let response = UAMessage.body(530) { w in
            w.responseHeader(handle: 5)
            w.i32(1)
            w.u32(0); w.byteString(nil); w.i32(1)  // status, continuation point, 1 reference
            w.nodeID(35); w.u8(1); w.nodeID(1, ns: 2)  // reference type, forward, node
            w.u16(2); w.string("FiltrationLine1"); w.localizedText("FiltrationLine1"); w.u32(1); w.nodeID(58)
            w.i32(-1)
        }
        let (sent, answer, _) = Self.exchange(request, response, state: &state)
        #expect(sent?.targets == [Message.Target(kind: "node", address: 0, name: "i=85")])
        #expect(answer?.targets == [
            Message.Target(kind: "result", address: 0, count: 1, name: "i=85", value: "good"),
            Message.Target(kind: "reference", address: 1, name: "ns=2;i=1", value: "FiltrationLine1"),
        ])
    }

    @Test func callIsControl() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(712) { w in
            w.requestHeader(handle: 6)
            w.i32(1)
            w.nodeID(1, ns: 2); w.stringNodeID("StartPump", ns: 2)
            w.i32(2); w.u8(1); w.u8(1); w.u8(12); w.string("fast")  // Boolean true, String "fast"
        }
        let response = UAMessage.body(715) { w in
            w.responseHeader(handle: 6)
            w.i32(1)
            w.u32(0); w.i32(-1); w.i32(-1); w.i32(1); w.u8(7); w.u32(42)  // output: UInt32 42
            w.i32(-1)
        }
        let (sent, answer, _) = Self.exchange(request, response, state: &state)
        let call = try #require(sent)
        #expect(call.operation == .control)
        #expect(call.targets == [
            Message.Target(
                kind: "method", address: 0, count: 2, values: [1], name: "ns=2;s=StartPump",
                value: "object=ns=2;i=1;arguments=\"fast\"")
        ])
        #expect(answer?.targets == [
            Message.Target(kind: "call_result", address: 0, count: 1, values: [42], name: "ns=2;s=StartPump")
        ])
        #expect(answer?.operation == .control)
    }

    @Test func subscriptionMonitoredItemsAndPublish() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let create = UAMessage.body(787) { w in
            w.requestHeader(handle: 7); w.double(500); w.u32(60); w.u32(10); w.u32(0); w.u8(1); w.u8(0)
        }
        let created = UAMessage.body(790) { w in
            w.responseHeader(handle: 7); w.u32(78); w.double(500); w.u32(60); w.u32(10)
        }
        let subscription = Self.exchange(create, created, requestID: 20, state: &state)
        #expect(subscription.request?.targets == [
            Message.Target(
                kind: "subscription", address: 0, values: [60, 10, 0, 0],
                value: "publishing_interval_ms=500.0;lifetime_count=60;max_keep_alive_count=10;max_notifications=0;"
                    + "publishing_enabled=true;priority=0")
        ])
        #expect(subscription.response?.targets == [
            Message.Target(
                kind: "subscription", address: 78, values: [60, 10],
                value: "publishing_interval_ms=500.0;lifetime_count=60;max_keep_alive_count=10")
        ])
        let monitor = UAMessage.body(751) { w in
            w.requestHeader(handle: 8); w.u32(78); w.u32(2); w.i32(1)
            w.nodeID(7, ns: 2); w.u32(13); w.string(nil); w.u16(0); w.string(nil)  // ReadValueId
            w.u32(2); w.u32(201); w.double(250); w.extensionObject(type: 0, body: nil); w.u32(1); w.u8(1)
        }
        let items = Self.exchange(monitor, nil, requestID: 21, state: &state)
        #expect(items.request?.targets.first?.name == "ns=2;i=7")
        let notification: [UInt8] = {
            var w = UAWriter()
            w.i32(1); w.u32(201); w.doubleDataValue(61.03); w.i32(-1)
            return w.bytes
        }()
        let publish = UAMessage.body(829) { w in
            w.responseHeader(handle: 9); w.u32(78); w.i32(-1); w.u8(0)
            w.u32(1); w.u64(0); w.i32(1); w.extensionObject(type: 811, body: notification)
            w.i32(-1); w.i32(-1)
        }
        _ = OPCUAHarness.message(
            UAMessage.symmetric(sequence: 3, requestID: 22, body: UAMessage.body(826) { w in
                w.requestHeader(handle: 9); w.i32(0)
            }), .toServer, state: &state)
        let delivered = try #require(OPCUAHarness.message(
            UAMessage.symmetric(sequence: 3, requestID: 22, body: publish), .toClient, state: &state))
        #expect(delivered.message.functionName == "publish_response")
        #expect(delivered.message.targets == [
            Message.Target(
                kind: "subscription", address: 78, values: [1], value: "sequence=1;publish_time=min"),
            Message.Target(kind: "data_change", address: 201, name: "ns=2;i=7", value: "61.03"),
        ])
        #expect(delivered.message.anomalies.isEmpty)
    }

    /// A GetEndpoints response with one endpoint (policy None) of a named server.
    static let endpointsResponse = UAMessage.body(431) { w in
        w.responseHeader(handle: 2)
        w.i32(1)
        w.string("opc.tcp://plc-filtration-01:4840/ua")
        w.application(
            uri: "urn:plc-filtration-01:Vendor:Server", product: "urn:vendor:plc:opcua", name: "Filtration PLC",
            type: 0)
        w.byteString(nil); w.u32(1); w.string(UAMessage.policyNone)
        w.i32(1); w.string("anon"); w.u32(0); w.string(nil); w.string(nil); w.string(nil)
        w.string("http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary"); w.u8(0)
    }

    @Test func getEndpointsRevealsTheServer() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(428) { w in
            w.requestHeader(handle: 2); w.string("opc.tcp://plc-filtration-01:4840/ua"); w.i32(0); w.i32(0)
        }
        let (sent, answer, facts) = Self.exchange(request, Self.endpointsResponse, state: &state)
        #expect(sent?.operation == .discovery)
        #expect(answer?.targets == [
            Message.Target(
                kind: "endpoint", address: 1, name: "opc.tcp://plc-filtration-01:4840/ua", value: UAMessage.policyNone)
        ])
        let values = Set(facts.map { "\($0.kind.rawValue)=\($0.value)@\($0.address)" })
        let server = OPCUAHarness.server.address
        #expect(values == [
            "model=Filtration PLC@\(server)", "product_code=urn:vendor:plc:opcua@\(server)",
            "module_name=urn:plc-filtration-01:Vendor:Server@\(server)", "role=opcua_server@\(server)",
            "hostname=plc-filtration-01@\(server)",
        ])
    }

    @Test func createSessionRevealsTheClient() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(461) { w in
            w.requestHeader(handle: 1)
            w.application(
                uri: "urn:ews:EngineeringClient", product: "urn:vendor:ews", name: "Engineering Client", type: 1)
            w.string(nil); w.string("opc.tcp://10.0.0.2:4840"); w.string("Session1"); w.byteString(nil)
            w.byteString(nil); w.double(3_600_000); w.u32(0)
        }
        let (sent, _, facts) = Self.exchange(request, nil, state: &state)
        #expect(sent?.operation == .session)
        #expect(sent?.targets.first == Message.Target(
            kind: "application", address: 1, name: "urn:ews:EngineeringClient", value: "Engineering Client"))
        #expect(facts.allSatisfy { $0.address == OPCUAHarness.client.address })
        #expect(facts.contains { $0.kind == .model && $0.value == "Engineering Client" })
        #expect(facts.contains { $0.kind == .role && $0.value == "opcua_client" })
    }

    /// ActivateSession with a user name token.
    static func activate(user: String, password: [UInt8], algorithm: String?) -> [UInt8] {
        var token = UAWriter()
        token.string("username_basic256"); token.string(user); token.byteString(password); token.string(algorithm)
        return UAMessage.body(467) { w in
            w.requestHeader(handle: 3, token: 99)
            w.string(nil); w.byteString(nil)  // client signature
            w.i32(-1); w.i32(-1)  // software certificates, locale ids
            w.extensionObject(type: 324, body: token.bytes)
            w.string(nil); w.byteString(nil)  // user token signature
        }
    }

    @Test func userNameTokenIsAuthWithoutThePassword() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let secret = Array("hunter2-secret".utf8)
        let activate = Self.activate(user: "operator", password: secret, algorithm: nil)
        let (sent, _, _) = Self.exchange(activate, nil, state: &state)
        let message = try #require(sent)
        #expect(message.operation == .auth)
        #expect(message.targets == [
            Message.Target(
                kind: "user_token", address: 1, count: secret.count, name: "operator",
                value: "user_name;password=clear")
        ])
        #expect(message.anomalies == ["opcua.cleartext_password"])
        let encoded = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        #expect(!encoded.contains("hunter2"))
    }

    @Test func encryptedPasswordIsNotCleartext() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let algorithm = "http://www.w3.org/2001/04/xmlenc#rsa-oaep"
        let (sent, _, _) = Self.exchange(
            Self.activate(user: "operator", password: [1, 2, 3], algorithm: algorithm), nil, state: &state)
        #expect(sent?.operation == .auth)
        #expect(sent?.anomalies.isEmpty == true)
        #expect(sent?.targets.first?.value == "user_name;password=encrypted;algorithm=\(algorithm)")
    }

    @Test func anonymousTokenIsSession() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(467) { w in
            w.requestHeader(handle: 3, token: 99)
            w.string(nil); w.byteString(nil); w.i32(-1); w.i32(-1)
            var token = UAWriter()
            token.string("anonymous")
            w.extensionObject(type: 321, body: token.bytes)
            w.string(nil); w.byteString(nil)
        }
        let (sent, _, _) = Self.exchange(request, nil, state: &state)
        #expect(sent?.operation == .session)
        #expect(sent?.targets == [Message.Target(kind: "user_token", address: 0, count: 0, value: "anonymous")])
    }

    @Test func serviceFaultAnswersAnyRequest() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(631) { w in w.requestHeader(handle: 1); w.double(0); w.u32(0); w.i32(0) }
        let fault = UAMessage.body(397) { w in w.responseHeader(handle: 1, result: 0x8027_0000) }
        let (_, answer, _) = Self.exchange(request, fault, state: &state)
        #expect(answer?.functionName == "service_fault")
        #expect(answer?.status == .exception(code: 0x8027_0000, name: "bad_session_not_activated"))
        #expect(answer?.anomalies.isEmpty == true)
        #expect(answer?.roundTripNanoseconds == 4_000)
    }

    @Test func mismatchedAndUnsolicitedResponses() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let request = UAMessage.body(631) { w in w.requestHeader(handle: 1); w.double(0); w.u32(0); w.i32(0) }
        let wrong = UAMessage.body(676) { w in w.responseHeader(handle: 1); w.i32(0); w.i32(-1) }
        let (_, answer, _) = Self.exchange(request, wrong, state: &state)
        #expect(answer?.anomalies == ["opcua.response_mismatch"])
        let stray = OPCUAHarness.message(
            UAMessage.symmetric(sequence: 3, requestID: 99, body: wrong), .toClient, state: &state)
        #expect(stray?.message.anomalies == ["opcua.unsolicited_response"])
    }

    @Test func everyStandardServiceIsNamed() {
        let ids: [UInt32] = [
            397, 410, 413, 416, 419, 422, 425, 428, 431, 437, 440, 446, 449, 452, 455, 461, 464, 467, 470, 473, 476,
            479, 482, 488, 491, 494, 497, 500, 503, 506, 509, 527, 530, 533, 536, 554, 557, 560, 563, 566, 569, 615,
            618, 621, 624, 631, 634, 664, 667, 673, 676, 700, 703, 712, 715, 751, 754, 763, 766, 769, 772, 775, 778,
            781, 784, 787, 790, 793, 796, 799, 802, 826, 829, 832, 835, 841, 844, 847, 850, 12208, 12209, 12211, 12212,
        ]
        #expect(ids.count == 83)
        for id in ids {
            #expect(OPCUA.service(id) != nil, "\(id)")
        }
        #expect(OPCUA.service(629) == nil)  // ReadRequest's data type id, not its encoding
        #expect(OPCUA.service(631)?.name == "read_request")
        #expect(OPCUA.service(634)?.name == "read_response")
        #expect(OPCUA.service(12212)?.name == "register_server2_response")
        #expect(OPCUA.requestID(answeredBy: 634) == 631)
        #expect(OPCUA.requestID(answeredBy: 631) == nil)
    }

    @Test func unknownServiceIsCountedAndFlagged() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let vendor = UAMessage.body(4711) { w in w.requestHeader(handle: 1) }
        let result = try #require(OPCUAHarness.message(
            UAMessage.symmetric(sequence: 2, requestID: 2, body: vendor), .toServer, state: &state))
        #expect(result.chunk.hasFunction)
        #expect(result.chunk.functionCode == 4711)
        #expect(result.message.functionName == "service_4711")
        #expect(result.message.anomalies == ["opcua.unknown_service"])
        let stringType = [0x03, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x41] as [UInt8]  // ns=1;s=A
        let named = try #require(OPCUAHarness.message(
            UAMessage.symmetric(sequence: 3, requestID: 3, body: stringType), .toServer, state: &state))
        #expect(!named.chunk.hasFunction)
        #expect(named.message.anomalies == ["opcua.unknown_service"])
    }
}
