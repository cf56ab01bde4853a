import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// The fixed header on a byte stream: partial packets ask for more, only an over-long remaining
/// length is malformed, the probe turns TLS down, and no input traps.
@Suite struct MQTTFramingTests {
    typealias H = MQTTHarness
    typealias F = MQTTFixtures

    /// Every prefix of every fixture asks for more, and for no more than the whole packet.
    @Test(arguments: 0..<F.all.count)
    func truncatedPrefixesNeedMore(fixture: Int) {
        let bytes = F.all[fixture]
        for length in 0..<bytes.count {
            var state = MQTT.makeState()
            let result = H.parse(Array(bytes.prefix(length)), .toServer, state: &state)
            guard case .failure(.needMore(let needed)) = result else {
                Issue.record("fixture \(fixture) prefix \(length): \(result)")
                continue
            }
            #expect(needed > length)
            #expect(needed <= bytes.count)
            #expect(state.pending.count == 0)
        }
    }

    /// Truncation at every byte of the largest fixture, one test case each.
    @Test(arguments: 0..<F.connect5.count)
    func truncatedConnect5(length: Int) {
        var state = MQTT.makeState()
        let result = H.parse(Array(F.connect5.prefix(length)), .toServer, state: &state)
        guard case .failure(.needMore(let needed)) = result else {
            Issue.record("prefix \(length): \(result)")
            return
        }
        #expect(needed > length && needed <= F.connect5.count)
    }

    @Test func remainingLengthEncodings() throws {
        var state = MQTT.makeState()
        // 127 in one byte, 128 in two, the largest in four.
        #expect(try header([0x30, 0x7f]) == MQTT.FixedHeader(firstByte: 0x30, headerLength: 2, remainingLength: 127))
        #expect(try header([0x30, 0x80, 0x01]).remainingLength == 128)
        let largest = try header([0x30, 0xff, 0xff, 0xff, 0x7f])
        #expect(largest.remainingLength == MQTT.maxRemainingLength)
        #expect(H.parse([0x30, 0xff, 0xff, 0xff, 0x7f], .toServer, state: &state)
            .mqttFailure == .needMore(MQTT.maxRemainingLength + 5))
        // A fifth length byte is malformed, however the bytes go on.
        guard case .failure(.malformed) = H.parse([0x30, 0xff, 0xff, 0xff, 0xff, 0x01], .toServer, state: &state) else {
            Issue.record("five-byte remaining length accepted")
            return
        }
        // Cut inside the length: ask for the next length byte.
        #expect(H.parse([0x30, 0x80, 0x80], .toServer, state: &state).mqttFailure == .needMore(4))
    }

    @Test func severalPacketsInOneSegment() {
        let stream = F.connect311 + [0xc0, 0x00] + F.publishQoS3 + [0xe0]  // and the start of a DISCONNECT
        var state = MQTT.makeState()
        var offset = 0
        var codes: [Int] = []
        var ended: DissectError?
        while offset < stream.count {
            switch H.parse(Array(stream[offset...]), .toServer, state: &state) {
            case .success(let parsed):
                codes.append(parsed.message.functionCode)
                offset += parsed.consumed
            case .failure(let error):
                ended = error
                offset = stream.count
            }
        }
        #expect(codes == [1, 12, 3])
        #expect(ended == .needMore(2))
    }

    @Test func drippedByteByByte() {
        let stream = F.connect5 + F.subscribe5 + F.disconnect5
        var state = MQTT.makeState()
        var buffer: [UInt8] = []
        var codes: [Int] = []
        for byte in stream {
            buffer.append(byte)
            if case .success(let parsed) = H.parse(buffer, .toServer, state: &state) {
                codes.append(parsed.message.functionCode)
                buffer.removeFirst(parsed.consumed)
            }
        }
        #expect(codes == [1, 8, 14])
        #expect(buffer.isEmpty)
        #expect(state.level == 5)
    }

    @Test func probeAcceptsMQTTAndRejectsTLS() {
        func probe(_ bytes: [UInt8], _ direction: Direction = .toServer) -> ProbeResult {
            MQTT.probe(bytes.span, direction: direction)
        }
        #expect(probe(F.connect311) == .match)
        #expect(probe(F.connect31) == .match)
        #expect(probe(F.connect5) == .match)
        #expect(probe(Array(F.connect311.prefix(5))) == .needMore)
        #expect(probe([]) == .needMore)
        // Mid-stream starts.
        #expect(probe(F.connack5, .toClient) == .match)
        #expect(probe(F.publish5 + F.puback5) == .match)
        #expect(probe([0xc0, 0x00]) == .match)
        // TLS records: handshake, application data, alert, change cipher spec.
        let clientHello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]
        #expect(probe(clientHello) == .reject)
        #expect(probe([0x17, 0x03, 0x03, 0x00, 0x45]) == .reject)
        #expect(probe([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], .toClient) == .reject)
        #expect(probe([0x14, 0x03, 0x03, 0x00, 0x01, 0x01]) == .reject)
        // Not MQTT: HTTP, a CONNECT with another protocol name, a PUBLISH followed by junk.
        #expect(probe(Array("GET / HTTP/1.1\r\n".utf8)) == .reject)
        #expect(probe(H.packet(0x10, H.string("AMQP") + [4, 2, 0, 60])) == .reject)
        #expect(probe(H.packet(0x10, H.string("MQTT") + [9, 2, 0, 60])) == .reject)
        #expect(probe(H.packet(0x30, H.string("a")) + [0x00, 0x00]) == .reject)
        #expect(probe([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]) == .reject)
        #expect(probe([0xc0, 0x05]) == .reject)
        // A PUBLISH topic must be text without wildcards; cut short, the probe waits.
        #expect(probe(H.packet(0x30, H.string("a\u{01}b"))) == .reject)
        #expect(probe(H.packet(0x30, H.string("a/#"))) == .reject)
        #expect(probe(Array(H.packet(0x30, H.string("plant/line1")).prefix(8))) == .needMore)
        #expect(probe([0x30, 0x05, 0x00, 0x09]) == .reject)
    }

    func resync(_ bytes: [UInt8]) -> Int? { MQTT.resynchronize(bytes.span, direction: .toServer) }
    func header(_ bytes: [UInt8]) throws(DissectError) -> MQTT.FixedHeader { try MQTT.fixedHeader(bytes.span) }

    @Test func resynchronizeFindsTheNextPacket() {
        // The tail of a payload, then PINGREQ and DISCONNECT.
        let junk: [UInt8] = [0x61, 0x62, 0x16, 0x03, 0x01, 0xff]
        #expect(resync(junk + [0xc0, 0x00, 0xe0, 0x00]) == junk.count)
        #expect(resync(junk + F.publishQoS3.prefix(5)) == nil)
        // A large PUBLISH starting after the junk and running past the bytes.
        let big = H.packet(0x30, H.string("plant/line1") + Array(repeating: 0x41, count: 500))
        #expect(resync(junk + big.prefix(40)) == junk.count)
        #expect(resync(junk) == nil)
    }

    /// Random bytes, and random damage to real packets, through parse, event and facts.
    @Test func randomInputsNeverTrap() {
        var random = SeededGenerator(seed: 0x4d51_5454)
        var parsedCount = 0
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                let count = Int.random(in: 0..<96, using: &random)
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
                if round % 4 == 0, !bytes.isEmpty { bytes[0] = UInt8.random(in: 0...15, using: &random) << 4 }
            } else {
                bytes = F.all[Int.random(in: 0..<F.all.count, using: &random)]
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            var state = MQTT.makeState()
            if round % 3 == 0 { _ = H.message(H.connect(level: 5), .toServer, state: &state) }
            let direction: Direction = round % 5 == 0 ? .toClient : .toServer
            _ = MQTT.probe(bytes.span, direction: direction)
            _ = MQTT.resynchronize(bytes.span, direction: direction)
            var offset = 0
            while offset < bytes.count {
                let rest = Array(bytes[offset...])
                guard case .success(let parsed) = H.parse(rest, direction, state: &state) else { break }
                let context = H.context(direction)
                let event = MQTT.event(parsed.message, bytes: rest.span, context: context, state: &state)
                _ = MQTT.facts(parsed.message, bytes: rest.span, context: context)
                #expect(event.functionCode == Int(rest[0] >> 4))
                #expect(parsed.consumed > 0 && parsed.consumed <= rest.count)
                parsedCount += 1
                offset += parsed.consumed
            }
        }
        #expect(parsedCount > 500)
    }
}

extension Result {
    var mqttFailure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
