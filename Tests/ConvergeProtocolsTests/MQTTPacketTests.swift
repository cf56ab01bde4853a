import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Each packet family decoded into typed fields, events and facts.
@Suite struct MQTTPacketTests {
    typealias H = MQTTHarness
    typealias F = MQTTFixtures

    @Test func connect311() throws {
        var state = MQTT.makeState()
        let parsed = try #require(H.message(F.connect311, .toServer, state: &state))
        let packet = parsed.packet
        #expect(packet.type == .connect)
        #expect(packet.functionCode == 1)
        #expect(packet.totalLength == F.connect311.count)
        #expect(packet.protocolLevel == 4)
        #expect(packet.keepAlive == 60)
        #expect(packet.cleanSession && packet.hasUserName && packet.hasPassword && !packet.hasWill)
        #expect(packet.clientID == MQTT.Slice(offset: 14, length: 19))
        #expect(packet.anomalies == [.cleartextPassword])
        #expect(state.level == 4)
        let message = parsed.message
        #expect(message.functionName == "connect")
        #expect(message.operation == .session)
        #expect(message.status == .pending)
        #expect(message.anomalies == ["mqtt.cleartext_password"])
        let named = message.targets.map { "\($0.kind)=\($0.name ?? "")" }
        #expect(named == ["protocol=MQTT", "keep_alive=", "client_id=myvoiceismypassport", "user_name=user"])
        #expect(message.targets.first?.address == 4)
        let facts = Set(parsed.facts.map {
            "\($0.address == H.client.address ? "client" : "server") \($0.kind.rawValue)=\($0.value)"
        })
        #expect(facts == [
            "client role=mqtt_client", "server role=mqtt_broker", "client module_name=myvoiceismypassport",
        ])
    }

    @Test func passwordNeverReachesTheEvent() throws {
        let body = H.string("MQTT") + [4, 0xc0, 0, 10] + H.string("plc-7") + H.string("op") + H.string("s3cr3t!")
        var state = MQTT.makeState()
        let parsed = try #require(H.message(H.packet(0x10, body), .toServer, state: &state))
        #expect(parsed.packet.hasPassword)
        let json = String(decoding: try JSONEncoder().encode(parsed.message), as: UTF8.self)
        #expect(!json.contains("s3cr3t"))
        #expect(json.contains("mqtt.cleartext_password"))
    }

    @Test func connect31() throws {
        var state = MQTT.makeState()
        let parsed = try #require(H.message(F.connect31, .toServer, state: &state))
        #expect(parsed.packet.protocolLevel == 3)
        #expect(parsed.packet.anomalies == [.cleartextPassword])
        #expect(parsed.message.targets.first.map { "\($0.name ?? "") \($0.address)" } == "MQIsdp 3")
    }

    @Test func connect5WithPropertiesAndWill() throws {
        var state = MQTT.makeState()
        let parsed = try #require(H.message(F.connect5, .toServer, state: &state))
        let packet = parsed.packet
        #expect(packet.headerLength == 3)
        #expect(packet.remainingLength == 204)
        #expect(packet.protocolLevel == 5)
        #expect(packet.properties.count == 6)
        #expect(packet.willProperties.count == 7)
        #expect(packet.hasWill && packet.willQoS == 0 && !packet.willRetain)
        #expect(packet.willPayload.length == 11)
        #expect(packet.anomalies == [.cleartextPassword])
        let targets = parsed.message.targets
        func target(_ kind: String) -> Message.Target? { targets.first { $0.kind == kind } }
        #expect(target("will_topic")?.name == "willtopic")
        #expect(target("will_topic")?.count == 11)
        #expect(target("property.receive_maximum")?.values == [222])
        #expect(target("property.maximum_packet_size")?.values == [11111])
        #expect(targets.filter { $0.kind == "property.user_property" }.compactMap(\.name) == [
            "userprop1=userval1", "userprop2=userval2",
        ])
        #expect(target("will_property.will_delay_interval")?.values == [200])
        #expect(target("will_property.content_type")?.name == "mywilltype")
        // Binary data is reported by size only.
        #expect(target("will_property.correlation_data").map { $0.count == 7 && $0.name == nil } == true)
    }

    @Test func connackVersions() throws {
        // 3.1.1 accepted and refused.
        let accepted = try #require(H.message([0x20, 0x02, 0x01, 0x00], .toClient, level: 4))
        #expect(accepted.packet.sessionPresent)
        #expect(accepted.message.status == .ok)
        #expect(accepted.packet.request == .connect)
        let refused = try #require(H.message([0x20, 0x02, 0x00, 0x05], .toClient, level: 4))
        #expect(refused.message.status == .exception(code: 5, name: "not_authorized"))
        let unknown = try #require(H.message([0x20, 0x02, 0x00, 0x06], .toClient, level: 4))
        #expect(unknown.packet.anomalies.contains(.invalidReasonCode))
        // 5 with properties.
        let five = try #require(H.message(F.connack5, .toClient, level: 5))
        #expect(five.packet.properties.count == 3)
        #expect(five.packet.anomalies.isEmpty)
        #expect(five.message.targets.first { $0.kind == "property.assigned_client_identifier" }?.name
            == "auto-17236393-B532-03F2-6526-F71115B8A4BE")
        // 5 refused: bad authentication method (mqtt5-sub-customauth, frame 6).
        let bad = try #require(H.message([0x20, 0x03, 0x00, 0x8c, 0x00], .toClient, level: 5))
        #expect(bad.message.status == .exception(code: 0x8c, name: "bad_authentication_method"))
    }

    @Test func connackWithoutConnectInfersMQTT5() throws {
        var state = MQTT.makeState()
        let parsed = try #require(H.message(F.connack5, .toClient, state: &state))
        #expect(parsed.packet.protocolLevel == 5)
        #expect(parsed.packet.anomalies == [.unsolicitedResponse])
        #expect(state.level == 5)
    }

    @Test func publishQoS1Pairing() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 4), .toServer, state: &state)
        let publish: [UInt8] = [
            0x32, 0x0c,  // PUBLISH QoS 1, length 12
            0x00, 0x06, 0x74, 0x6f, 0x70, 0x69, 0x63, 0x58,  // "topicX"
            0x00, 0x07,  // packet id 7
            0x31, 0x32,  // payload "12"
        ]
        let request = try #require(H.message(publish, .toServer, state: &state, time: 1_000))
        #expect(request.packet.qos == 1 && request.packet.packetID == 7)
        #expect(request.packet.payload == MQTT.Slice(offset: 12, length: 2))
        #expect(request.message.status == .pending)
        #expect(request.message.operation == .write)
        #expect(request.message.targets.first == Message.Target(
            kind: "topic", address: MQTT.noAddress, count: 2, values: [1, 0, 0], name: "topicX"))
        #expect(state.pending.count == 1)
        let ack = try #require(H.message([0x40, 0x02, 0x00, 0x07], .toClient, state: &state, time: 4_000))
        #expect(ack.packet.request == .publish)
        #expect(ack.message.roundTripNanoseconds == 3_000)
        #expect(ack.message.operation == .write)
        #expect(ack.message.status == .ok)
        #expect(ack.packet.anomalies.isEmpty)
        #expect(state.pending.count == 0)
        // A second PUBACK of the same id has nothing to answer.
        let again = try #require(H.message([0x40, 0x02, 0x00, 0x07], .toClient, state: &state))
        #expect(again.packet.anomalies == [.unsolicitedResponse])
    }

    @Test func publishQoS2Exchange() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 5), .toServer, state: &state)
        // mqtt5-pub-qos2 frames 8–11: PUBLISH QoS 2 id 1, PUBREC, PUBREL, PUBCOMP.
        let publish: [UInt8] = [
            0x34, 0x1b, 0x00, 0x06, 0x74, 0x6f, 0x70, 0x69, 0x63, 0x58, 0x00, 0x01, 0x00,
            0x62, 0x61, 0x61, 0x62, 0x61, 0x61, 0x62, 0x6c, 0x61, 0x63, 0x6b, 0x73, 0x68, 0x65, 0x65, 0x70,
        ]
        let sent = try #require(H.message(publish, .toServer, state: &state, time: 10))
        #expect(sent.packet.qos == 2 && sent.packet.payload.length == 16 && sent.packet.properties.count == 0)
        let rec = try #require(H.message([0x50, 0x02, 0x00, 0x01], .toClient, state: &state, time: 20))
        let rel = try #require(H.message([0x62, 0x02, 0x00, 0x01], .toServer, state: &state, time: 30))
        let comp = try #require(H.message([0x70, 0x02, 0x00, 0x01], .toClient, state: &state, time: 45))
        #expect([rec, rel, comp].map(\.packet.request) == [.publish, .pubrec, .pubrel])
        #expect([rec, rel, comp].map(\.message.roundTripNanoseconds) == [10, 10, 15])
        #expect([rec, rel, comp].allSatisfy { $0.packet.anomalies.isEmpty })
        #expect(state.pending.count == 0)
    }

    @Test func publish5WithProperties() throws {
        let parsed = try #require(H.message(F.publish5, .toServer, level: 5))
        let packet = parsed.packet
        #expect(packet.qos == 1 && packet.packetID == 1)
        #expect(packet.properties.count == 7)
        #expect(packet.properties.topicAlias == 5)
        #expect(packet.payload.length == 16)
        #expect(packet.anomalies.isEmpty)
        let targets = parsed.message.targets
        #expect(targets.first?.name == "topicX")
        #expect(targets.contains { $0.kind == "property.content_type" && $0.name == "mytype" })
        #expect(targets.contains { $0.kind == "property.topic_alias" && $0.values == [5] })
        // The same bytes at 3.1.1 have no properties: the body is all payload.
        let old = try #require(H.message(F.publish5, .toServer, level: 4))
        #expect(old.packet.properties.slice == .none)
        #expect(old.packet.payload.length == 84)
    }

    @Test func puback5ReasonCode() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 5), .toServer, state: &state)
        _ = H.message(F.publish5, .toServer, state: &state)
        let ack = try #require(H.message(F.puback5, .toClient, state: &state))
        #expect(ack.packet.hasReasonCode && ack.packet.reasonCode == 0x10)
        #expect(ack.message.status == .ok)
        #expect(ack.packet.anomalies.isEmpty)
        let failed = try #require(H.message([0x40, 0x03, 0x00, 0x02, 0x87], .toClient, level: 5))
        #expect(failed.message.status == .exception(code: 0x87, name: "not_authorized"))
    }

    @Test func subscribeAndSuback() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 5), .toServer, state: &state)
        let subscribe = try #require(H.message(F.subscribe5, .toServer, state: &state, time: 5))
        #expect(subscribe.packet.listCount == 2)
        #expect(subscribe.packet.anomalies.isEmpty)
        #expect(subscribe.message.operation == .read)
        #expect(subscribe.message.targets.map { "\($0.name ?? "") \($0.values)" } == ["topicX [0, 0]", "topicY [0, 0]"])
        let suback = try #require(H.message(F.suback5, .toClient, state: &state, time: 8))
        #expect(suback.packet.request == .subscribe)
        #expect(suback.message.operation == .read)
        #expect(suback.message.status == .ok)
        #expect(suback.message.targets.map(\.name) == ["granted_qos_0", "granted_qos_0"])
        // 3.1.1 SUBACK with a failure: the packet's code is the failure.
        let failed = try #require(H.message([0x90, 0x04, 0x00, 0x02, 0x01, 0x80], .toClient, level: 4))
        #expect(failed.message.status == .exception(code: 0x80, name: "failure"))
    }

    @Test func unsubscribeAndUnsuback() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 5), .toServer, state: &state)
        let request = try #require(H.message(F.unsubscribe5, .toServer, state: &state))
        #expect(request.message.targets.map(\.name) == ["topicY"])
        #expect(request.message.targets.first?.values == [])
        let answer = try #require(H.message(F.unsuback5, .toClient, state: &state))
        #expect(answer.packet.request == .unsubscribe)
        #expect(answer.message.targets.map(\.name) == ["no_subscription_existed"])
        #expect(answer.packet.anomalies.isEmpty)
        // 3.1.1 UNSUBACK is just the packet id.
        let old = try #require(H.message([0xb0, 0x02, 0x00, 0x03], .toClient, level: 4))
        #expect(old.packet.anomalies == [.unsolicitedResponse])
        #expect(!old.packet.hasReasonCode)
    }

    @Test func pingDisconnectAuth() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 5), .toServer, state: &state)
        let ping = try #require(H.message([0xc0, 0x00], .toServer, state: &state, time: 100))
        #expect(ping.message.status == .pending && ping.message.operation == .session)
        let pong = try #require(H.message([0xd0, 0x00], .toClient, state: &state, time: 160))
        #expect(pong.message.roundTripNanoseconds == 60)
        #expect(pong.packet.request == .pingreq)
        let bye = try #require(H.message(F.disconnect5, .toServer, state: &state))
        #expect(bye.packet.reasonCode == 4 && bye.packet.properties.count == 2)
        #expect(bye.message.status == .ok)
        #expect(bye.message.functionName == "disconnect")
        let auth = try #require(H.message(
            H.packet(0xf0, [0x18, 0x0d, 0x15] + H.string("SCRAM") + [0x16, 0x00, 0x02, 0xaa, 0xbb]),
            .toClient, state: &state))
        #expect(auth.message.operation == .auth)
        #expect(auth.packet.reasonCode == 0x18 && auth.packet.anomalies.isEmpty)
        #expect(auth.message.targets.map(\.kind) == ["property.authentication_method", "property.authentication_data"])
        #expect(auth.message.targets.last?.count == 2)
        // AUTH on an MQTT 3.1.1 connection does not exist.
        let stray = try #require(H.message([0xf0, 0x00], .toServer, level: 4))
        #expect(stray.packet.anomalies.contains(.unassignedType))
        #expect(stray.message.functionCode == 15)
    }

    @Test func sparkplugCommandsAndBirths() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 4), .toServer, state: &state)
        let ncmd = try #require(H.message(
            H.packet(0x32, H.string("spBv1.0/Plant1/NCMD/Line1-Edge") + [0, 9, 0x08, 0x01]), .toServer, state: &state))
        #expect(ncmd.packet.sparkplug?.type == .ncmd)
        #expect(ncmd.message.functionName == "publish.sparkplug_ncmd")
        #expect(ncmd.message.operation == .control)
        #expect(ncmd.message.targets.map { "\($0.kind)=\($0.name ?? "")" } == [
            "topic=spBv1.0/Plant1/NCMD/Line1-Edge", "sparkplug_edge_node=Plant1/Line1-Edge", "sparkplug_payload=",
        ])
        // The payload 08 01 is a Sparkplug payload with timestamp 1 ms and no metrics.
        #expect(ncmd.message.targets.last?.values == [1])
        #expect(ncmd.facts.map(\.value) == ["sparkplug_host_application"])
        // Its PUBACK is a control too.
        let ack = try #require(H.message([0x40, 0x02, 0x00, 0x09], .toClient, state: &state))
        #expect(ack.message.operation == .control)

        let dbirth = try #require(H.message(
            H.packet(0x30, H.string("spBv1.0/Plant1/DBIRTH/Line1-Edge/Filler01") + [0x08]), .toServer, level: 4))
        #expect(dbirth.message.operation == .write)
        #expect(dbirth.message.targets.dropLast().last.map { "\($0.kind)=\($0.name ?? "")" }
            == "sparkplug_device=Plant1/Line1-Edge/Filler01")
        // Its payload, a lone tag byte, is cut short.
        #expect(dbirth.message.anomalies == ["mqtt.sparkplug_malformed_payload"])
        #expect(dbirth.facts.map { "\($0.kind.rawValue)=\($0.value)" } == [
            "role=sparkplug_edge_node", "module_name=Plant1/Line1-Edge", "module_name=Plant1/Line1-Edge/Filler01",
        ])
        // A forwarded DCMD tells the receiving client it is the edge node.
        let dcmd = try #require(H.message(
            H.packet(0x30, H.string("spBv1.0/Plant1/DCMD/Line1-Edge/Filler01")), .toClient, level: 4))
        #expect(dcmd.message.operation == .control)
        #expect(dcmd.facts.first?.value == "sparkplug_edge_node")
        // A forwarded NDATA says nothing about the subscriber.
        let ndata = try #require(H.message(
            H.packet(0x30, H.string("spBv1.0/Plant1/NDATA/Line1-Edge")), .toClient, level: 4))
        #expect(ndata.facts.isEmpty)
        let stateTopic = H.packet(0x31, H.string("spBv1.0/STATE/SCADA-Primary"))
        let state3 = try #require(H.message(stateTopic, .toServer, level: 4))
        #expect(state3.packet.sparkplug?.type == .state)
        #expect(state3.facts.map(\.value) == ["sparkplug_host_application", "SCADA-Primary"])
        #expect(state3.packet.retain)
    }

    @Test(arguments: [
        "spBv1.0/Plant1/NDATA", "spBv1.0/Plant1/DDATA/Edge", "spBv1.0/Plant1/NDATA/Edge/Extra",
        "spBv1.0/Plant1/XDATA/Edge", "spBv1.0//NDATA/Edge", "spBv1.0/STATE", "spBv1.0/Plant1/NDATA/Edge/",
    ])
    func malformedSparkplugTopics(topic: String) throws {
        let parsed = try #require(H.message(H.packet(0x30, H.string(topic)), .toServer, level: 4))
        #expect(parsed.packet.sparkplug == nil)
        #expect(parsed.packet.anomalies == [.invalidSparkplugTopic])
        #expect(parsed.message.functionName == "publish")
    }

    @Test func willNDEATHMarksAnEdgeNode() throws {
        let body = H.string("MQTT") + [4, 0x06, 0, 30] + H.string("edge-1")
            + H.string("spBv1.0/Plant1/NDEATH/Line1-Edge") + H.string("x")
        var state = MQTT.makeState()
        let parsed = try #require(H.message(H.packet(0x10, body), .toServer, state: &state))
        #expect(parsed.packet.anomalies.isEmpty)
        #expect(parsed.facts.map { "\($0.kind.rawValue)=\($0.value)" }.contains("module_name=Plant1/Line1-Edge"))
        #expect(parsed.facts.map(\.value).contains("sparkplug_edge_node"))
    }
}
