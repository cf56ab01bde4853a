import ConvergeModel
import ConvergeProtocols

/// Builders and a harness for the EtherNet/IP byte-level tests. Every builder documents its bytes.
enum ENIPBytes {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 44818)
    static let session: UInt32 = 0x1122_3344

    static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8 & 0xff)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(value >> (8 * $0) & 0xff) } }

    /// Encapsulation header: command, length, session handle, status, sender context, options.
    static func header(
        _ command: UInt16, length: Int, session: UInt32 = session, status: UInt32 = 0, context: UInt8 = 1,
        options: UInt32 = 0
    ) -> [UInt8] {
        le16(Int(command)) + le16(length) + le32(session) + le32(status)
            + [context, 0, 0, 0, 0, 0, 0, 0] + le32(options)
    }

    /// SendRRData: header, interface handle 0, timeout 10, CPF of a null address item and an
    /// unconnected data item holding `cip`.
    static func sendRRData(_ cip: [UInt8], context: UInt8 = 1, status: UInt32 = 0) -> [UInt8] {
        let body: [UInt8] = le32(0) + le16(10)
            + le16(2)  // item count
            + le16(0x0000) + le16(0)  // null address item
            + le16(0x00b2) + le16(cip.count) + cip  // unconnected data item
        return header(0x006f, length: body.count, status: status, context: context) + body
    }

    /// SendUnitData: interface handle, timeout 0, connected address item (connection id) and a
    /// connected data item (sequence count, then `cip`).
    static func sendUnitData(_ cip: [UInt8], connection: UInt32, sequence: Int) -> [UInt8] {
        let body: [UInt8] = le32(0) + le16(0) + le16(2)
            + le16(0x00a1) + le16(4) + le32(connection)
            + le16(0x00b1) + le16(cip.count + 2) + le16(sequence) + cip
        return header(0x0070, length: body.count) + body
    }

    /// A CIP request: service, path size in words, padded path, data.
    static func request(_ service: UInt8, path: [UInt8], data: [UInt8] = []) -> [UInt8] {
        [service, UInt8(path.count / 2)] + path + data
    }

    /// A CIP response: service | 0x80, reserved, general status, additional status words, data.
    static func response(_ service: UInt8, status: UInt8 = 0, extended: [UInt16] = [], data: [UInt8] = []) -> [UInt8] {
        [service | 0x80, 0, status, UInt8(extended.count)] + extended.flatMap { le16(Int($0)) } + data
    }

    /// ANSI extended symbol segment (0x91, length, name, pad to even).
    static func symbol(_ name: String) -> [UInt8] {
        let bytes = Array(name.utf8)
        return [0x91, UInt8(bytes.count)] + bytes + (bytes.count % 2 == 1 ? [0] : [])
    }

    /// 8-bit logical segments: class 0x20, instance 0x24, attribute 0x30.
    static func logical(class classID: UInt8, instance: UInt8, attribute: UInt8? = nil) -> [UInt8] {
        [0x20, classID, 0x24, instance] + (attribute.map { [0x30, $0] } ?? [])
    }

    /// Multiple Service Packet data: count, offsets from the count field, services.
    static func multiple(_ services: [[UInt8]]) -> [UInt8] {
        var offsets: [UInt8] = []
        var offset = 2 + 2 * services.count
        for service in services {
            offsets += le16(offset)
            offset += service.count
        }
        return le16(services.count) + offsets + services.flatMap { $0 }
    }
}

enum ENIPHarness {
    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 9, client: ENIPBytes.client, server: ENIPBytes.server,
            direction: direction)
    }

    static func parse(
        _ bytes: [UInt8], _ direction: Direction, state: inout EtherNetIP.State, time: Int64 = 0
    ) -> Result<(message: EtherNetIP.Frame, consumed: Int), DissectError> {
        do throws(DissectError) {
            return .success(try EtherNetIP.parse(
                bytes.span, direction: direction, time: Timestamp(nanoseconds: time), state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parses one whole message and builds its event; nil if it did not parse.
    static func message(
        _ bytes: [UInt8], _ direction: Direction, state: inout EtherNetIP.State, time: Int64 = 0
    ) -> (frame: EtherNetIP.Frame, message: Message)? {
        guard case .success(let parsed) = parse(bytes, direction, state: &state, time: time) else { return nil }
        let event = EtherNetIP.event(
            parsed.message, bytes: bytes.span, context: context(direction, time: time), state: &state)
        return (parsed.message, event)
    }

    /// The cip.sc codes the engine would count for this message.
    static func services(_ frame: EtherNetIP.Frame, _ bytes: [UInt8]) -> [Int] {
        var codes: [Int] = []
        EtherNetIP.forEachCIPService(frame, bytes: bytes.span) { codes.append($0) }
        return codes
    }
}
