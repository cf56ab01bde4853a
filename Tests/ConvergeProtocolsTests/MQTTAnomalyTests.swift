import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Bad bodies inside sound fixed headers: parsed, counted under their type, flagged.
@Suite struct MQTTAnomalyTests {
    typealias H = MQTTHarness
    typealias F = MQTTFixtures

    @Test func invalidQoSIsCountedAndFlagged() throws {
        let parsed = try #require(H.message(F.publishQoS3, .toServer, level: 4))
        #expect(parsed.packet.functionCode == 3)
        #expect(parsed.packet.qos == 3)
        #expect(parsed.packet.anomalies == [.invalidQoS])
        #expect(parsed.message.anomalies == ["mqtt.invalid_qos_level"])
    }

    @Test func unassignedTypeIsCountedAndFlagged() throws {
        let parsed = try #require(H.message(F.type0, .toServer, level: 4))
        #expect(parsed.packet.functionCode == 0)
        #expect(parsed.packet.totalLength == 26)
        #expect(parsed.packet.anomalies == [.unassignedType])
        #expect(parsed.message.functionName == "reserved_0")
        #expect(parsed.message.operation == .other)
    }

    @Test func excessivePropertyLength() throws {
        var state = MQTT.makeState()
        let parsed = try #require(H.message(F.excessivePropertyLength, .toServer, state: &state))
        #expect(parsed.packet.functionCode == 1)
        #expect(parsed.packet.totalLength == F.excessivePropertyLength.count)
        #expect(parsed.packet.anomalies.contains(.invalidPropertiesLength))
        #expect(!parsed.packet.clientID.isPresent)
        // Nothing after the broken block is read: no password is claimed.
        #expect(!parsed.packet.hasPassword)
        #expect(state.level == 5)
    }

    @Test func fixedFlagsChecked() throws {
        let subscribe = try #require(H.message([0x80, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00], .toServer, level: 4))
        #expect(subscribe.packet.anomalies == [.invalidFlags])
        let ping = try #require(H.message([0xc1, 0x00], .toServer, level: 4))
        #expect(ping.packet.anomalies == [.invalidFlags])
        let dupQoS0 = try #require(H.message(H.packet(0x38, H.string("a")), .toServer, level: 4))
        #expect(dupQoS0.packet.anomalies == [.invalidFlags])
    }

    @Test func lengthFieldsThatDisagree() throws {
        // A client id length running past the remaining length.
        let long = H.packet(0x10, H.string("MQTT") + [4, 0x02, 0, 60, 0x00, 0x20, 0x61])
        var state = MQTT.makeState()
        #expect(try #require(H.message(long, .toServer, state: &state)).packet.anomalies == [.invalidLength])
        // Bytes left over after a complete CONNECT.
        let extra = H.packet(0x10, H.string("MQTT") + [4, 0x02, 0, 60] + H.string("c") + [0xff])
        state = MQTT.makeState()
        #expect(try #require(H.message(extra, .toServer, state: &state)).packet.anomalies == [.invalidLength])
        // A PINGREQ with a body, a 3.1.1 PUBACK with three bytes.
        #expect(try #require(H.message([0xc0, 0x01, 0x00], .toServer, level: 4)).packet.anomalies == [.invalidLength])
        let puback = try #require(H.message([0x40, 0x03, 0x00, 0x01, 0x00], .toClient, level: 4))
        #expect(puback.packet.anomalies.contains(.invalidLength))
        // A topic longer than the packet.
        let topic = try #require(H.message([0x30, 0x03, 0x00, 0x09, 0x61], .toServer, level: 4))
        #expect(topic.packet.anomalies == [.invalidLength])
        // A CONNECT cut before its keep alive.
        let short = try #require(H.message(H.packet(0x10, H.string("MQTT") + [4]), .toServer, level: 4))
        #expect(short.packet.anomalies.contains(.invalidLength))
    }

    @Test func unknownAndTruncatedProperties() throws {
        // Property 0x7f does not exist.
        let unknown = try #require(H.message([0x40, 0x05, 0x00, 0x01, 0x00, 0x01, 0x7f], .toClient, level: 5))
        #expect(unknown.packet.anomalies.contains(.invalidProperty))
        // A four-byte property with two bytes.
        let cut = try #require(H.message([0xe0, 0x04, 0x00, 0x02, 0x11, 0x00], .toServer, level: 5))
        #expect(cut.packet.anomalies == [.invalidProperty])
        // A property length of 5 bytes of variable integer.
        let huge = try #require(H.message([0xe0, 0x06, 0x00, 0xff, 0xff, 0xff, 0xff, 0x7f], .toServer, level: 5))
        #expect(huge.packet.anomalies.contains(.invalidPropertiesLength))
    }

    @Test func tooManyPropertiesAreCapped() throws {
        let count = MQTT.maxProperties + 10
        let properties = Array(repeating: [UInt8]([0x01, 0x00]), count: count).flatMap { $0 }
        let body: [UInt8] = [0x00] + [UInt8(properties.count & 0x7f | 0x80), UInt8(properties.count >> 7)] + properties
        let parsed = try #require(H.message(H.packet(0xe0, body), .toServer, level: 5))
        #expect(parsed.packet.anomalies == [.tooManyProperties])
        #expect(parsed.packet.properties.count == MQTT.maxProperties)
        #expect(parsed.message.targets.count == MQTT.maxProperties)
    }

    @Test func filterCounts() throws {
        let none = try #require(H.message([0x82, 0x02, 0x00, 0x01], .toServer, level: 4))
        #expect(none.packet.anomalies == [.invalidFilterCount])
        let many = Array(repeating: H.string("a") + [0x01], count: MQTT.maxTopicFilters + 5).flatMap { $0 }
        let flood = try #require(H.message(H.packet(0x82, [0x00, 0x01] + many), .toServer, level: 4))
        #expect(flood.packet.anomalies == [.invalidFilterCount])
        #expect(flood.packet.listCount == MQTT.maxTopicFilters)
        #expect(flood.message.targets.count == MQTT.maxTopicFilters)
        let options = H.packet(0x82, [0x00, 0x01] + H.string("a") + [0x07])
        let badOptions = try #require(H.message(options, .toServer, level: 4))
        #expect(badOptions.packet.anomalies == [.invalidFlags, .invalidQoS])
    }

    @Test func directionAndSessionChecks() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 4), .toServer, state: &state)
        let again = try #require(H.message(H.connect(level: 4), .toServer, state: &state))
        #expect(again.packet.anomalies == [.doubleConnect])
        let backwards = try #require(H.message([0x20, 0x02, 0x00, 0x00], .toServer, state: &state))
        #expect(backwards.packet.anomalies.contains(.wrongDirection))
        let subscribe: [UInt8] = [0x82, 0x06, 0x00, 0x00] + H.string("a") + [0x00]
        let zeroID = try #require(H.message(subscribe, .toServer, state: &state))
        #expect(zeroID.packet.anomalies == [.missingPacketID])
        let wildcard = try #require(H.message(H.packet(0x30, H.string("a/+/b")), .toServer, state: &state))
        #expect(wildcard.packet.anomalies == [.invalidTopic])
        let empty = try #require(H.message(H.packet(0x30, H.string("")), .toServer, state: &state))
        #expect(empty.packet.anomalies == [.invalidTopic])
        let badProtocol = try #require(H.message(
            H.packet(0x10, H.string("MQTX") + [4, 0x02, 0, 60] + H.string("c")), .toServer, level: 4))
        #expect(badProtocol.packet.anomalies.contains(.invalidProtocol))
        #expect(badProtocol.facts.isEmpty)
    }

    @Test func longTopicIsCutInEvents() throws {
        let topic = String(repeating: "t", count: MQTT.maxTopicLength + 100)
        let parsed = try #require(H.message(H.packet(0x30, H.string(topic)), .toServer, level: 4))
        #expect(parsed.packet.anomalies == [.topicTooLong])
        #expect(parsed.message.targets.first?.name?.count == MQTT.maxTopicLength)
    }

    @Test func controlCharactersAreDroppedFromText() throws {
        let parsed = try #require(H.message(H.packet(0x30, H.string("a\u{1b}[31mb\n")), .toServer, level: 4))
        #expect(parsed.message.targets.first?.name == "a[31mb")
    }

    @Test func pendingTableIsBounded() throws {
        var state = MQTT.makeState()
        _ = H.message(H.connect(level: 4), .toServer, state: &state)
        var overflowed = 0
        for id in 1...(MQTT.PendingTable.capacity + 6) {
            let bytes = H.packet(0x32, H.string("t") + [UInt8(id >> 8), UInt8(id & 0xff)])
            let parsed = try #require(H.message(bytes, .toServer, state: &state, time: Int64(id)))
            if parsed.packet.anomalies.contains(.pendingOverflow) { overflowed += 1 }
        }
        #expect(overflowed == 6)
        #expect(state.pending.count == MQTT.PendingTable.capacity)
        // Old requests make room silently.
        let late = H.packet(0x32, H.string("t") + [0x7f, 0x00])
        let parsed = try #require(H.message(late, .toServer, state: &state, time: 31_000_000_000))
        #expect(!parsed.packet.anomalies.contains(.pendingOverflow))
    }
}
