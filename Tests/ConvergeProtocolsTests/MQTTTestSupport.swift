import ConvergeModel
import ConvergeProtocols

/// Shared helpers for the MQTT tests: run the dissector over byte arrays.
enum MQTTHarness {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 1883)

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 9, client: client, server: server, direction: direction)
    }

    /// One `parse` call over `bytes`.
    static func parse(
        _ bytes: [UInt8], _ direction: Direction, state: inout MQTT.State, time: Int64 = 0
    ) -> Result<(message: MQTT.Packet, consumed: Int), DissectError> {
        do throws(DissectError) {
            let stamp = Timestamp(nanoseconds: time)
            return .success(try MQTT.parse(bytes.span, direction: direction, time: stamp, state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parses one complete packet and builds its event and facts; nil if it did not parse.
    static func message(
        _ bytes: [UInt8], _ direction: Direction, state: inout MQTT.State, time: Int64 = 0
    ) -> (packet: MQTT.Packet, message: Message, facts: [AssetFact])? {
        guard case .success(let parsed) = parse(bytes, direction, state: &state, time: time) else { return nil }
        let context = context(direction, time: time)
        let event = MQTT.event(parsed.message, bytes: bytes.span, context: context, state: &state)
        let facts = MQTT.facts(parsed.message, bytes: bytes.span, context: context)
        return (parsed.message, event, facts)
    }

    /// A packet on a flow whose CONNECT was at `level` (3, 4 or 5).
    static func message(
        _ bytes: [UInt8], _ direction: Direction, level: UInt8
    ) -> (packet: MQTT.Packet, message: Message, facts: [AssetFact])? {
        var state = MQTT.makeState()
        _ = message(connect(level: level), .toServer, state: &state)
        return message(bytes, direction, state: &state)
    }

    /// A minimal CONNECT at `level`: clean session, keep alive 60, client id "c".
    static func connect(level: UInt8) -> [UInt8] {
        let name: [UInt8] = level == 3 ? Array("MQIsdp".utf8) : Array("MQTT".utf8)
        var body: [UInt8] = [0, UInt8(name.count)] + name + [level, 0x02, 0x00, 0x3c]
        if level == 5 { body.append(0) }  // no properties
        body += [0x00, 0x01, 0x63]  // client id "c"
        return [0x10, UInt8(body.count)] + body
    }

    /// A length-prefixed string.
    static func string(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xff)] + bytes
    }

    /// A packet with `first` as its type byte and `body` after a remaining length (1–4 bytes).
    static func packet(_ first: UInt8, _ body: [UInt8]) -> [UInt8] {
        var length = body.count
        var encoded: [UInt8] = []
        repeat {
            var byte = UInt8(length & 0x7f)
            length >>= 7
            if length > 0 { byte |= 0x80 }
            encoded.append(byte)
        } while length > 0
        return [first] + encoded + body
    }
}
