import ConvergeModel
import ConvergeProtocols

/// Builders and a runner for the TLS tests.
enum TLSFixtures {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 443)

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 9, client: client, server: server, direction: direction)
    }

    static func record(_ type: UInt8, _ body: [UInt8], version: UInt16 = 0x0303) -> [UInt8] {
        [type, UInt8(version >> 8), UInt8(version & 0xff), UInt8(body.count >> 8), UInt8(body.count & 0xff)] + body
    }

    static func handshake(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type, UInt8(body.count >> 16), UInt8((body.count >> 8) & 0xff), UInt8(body.count & 0xff)] + body
    }

    static let random = [UInt8](repeating: 0x11, count: 32)

    /// A TLS 1.3 ClientHello body with GREASE in ciphers, groups and versions.
    static let clientHelloBody: [UInt8] =
        [0x03, 0x03]  // legacy_version TLS 1.2
        + random  // random
        + [0x00]  // session id: none
        + [0x00, 0x08, 0x0a, 0x0a, 0x13, 0x01, 0xc0, 0x2f, 0x00, 0xff]  // 4 suites: GREASE, 1301, c02f, SCSV
        + [0x01, 0x00]  // compression: null
        + [0x00, 0x4b]  // extensions: 75 bytes
        + [0x00, 0x00, 0x00, 0x10, 0x00, 0x0e, 0x00, 0x00, 0x0b]  // server_name: host_name, 11 bytes
        + Array("example.com".utf8)
        + [0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x1a, 0x1a, 0x00, 0x1d]  // supported_groups: GREASE, x25519
        + [0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]  // ec_point_formats: uncompressed
        + [0x00, 0x0d, 0x00, 0x06, 0x00, 0x04, 0x04, 0x03, 0x08, 0x04]  // signature_algorithms: 0403, 0804
        + [0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02] + Array("h2".utf8)  // ALPN: h2,
        + [0x08] + Array("http/1.1".utf8)  // http/1.1
        + [0x00, 0x2b, 0x00, 0x07, 0x06, 0x2a, 0x2a, 0x03, 0x04, 0x03, 0x03]  // supported_versions: GREASE, 1.3, 1.2

    static var clientHelloRecord: [UInt8] { record(22, handshake(1, clientHelloBody), version: 0x0301) }

    /// A TLS 1.3 ServerHello body: cipher 1301, supported_versions 0304, key_share.
    static let serverHelloBody: [UInt8] =
        [0x03, 0x03] + random + [0x00]  // legacy_version, random, no session id
        + [0x13, 0x01, 0x00]  // cipher TLS_AES_128_GCM_SHA256, compression null
        + [0x00, 0x0e]  // extensions: 14 bytes
        + [0x00, 0x2b, 0x00, 0x02, 0x03, 0x04]  // supported_versions: TLS 1.3
        + [0x00, 0x33, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x00]  // key_share: x25519, empty key

    /// One `parse` call.
    static func parse(
        _ bytes: [UInt8], _ direction: Direction, state: inout TLS.State
    ) -> Result<(message: TLS.Frame, consumed: Int), DissectError> {
        do throws(DissectError) {
            return .success(try TLS.parse(bytes.span, direction: direction, time: .zero, state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parses everything it can from `bytes` as the engine does; returns frames, events and facts.
    static func run(
        _ bytes: [UInt8], _ direction: Direction, state: inout TLS.State, time: Int64 = 0
    ) -> (frames: [TLS.Frame], events: [Message], facts: [AssetFact], rest: Int, error: DissectError?) {
        var frames: [TLS.Frame] = []
        var events: [Message] = []
        var facts: [AssetFact] = []
        var offset = 0
        while offset < bytes.count {
            let rest = Array(bytes[offset...])
            switch parse(rest, direction, state: &state) {
            case .success(let parsed):
                frames.append(parsed.message)
                let used = Array(rest[0..<parsed.consumed])
                events.append(
                    TLS.event(parsed.message, bytes: used.span, context: context(direction, time: time), state: &state))
                facts += TLS.facts(
                    parsed.message, bytes: used.span, context: context(direction, time: time), state: state)
                offset += parsed.consumed
            case .failure(let error):
                return (frames, events, facts, bytes.count - offset, error)
            }
        }
        return (frames, events, facts, 0, nil)
    }
}
