import ConvergeModel
import ConvergeProtocols

/// Byte fixtures and helpers shared by the S7comm and S7comm-plus tests.
enum S7Fixtures {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 102)

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 9, client: client, server: server, direction: direction)
    }

    /// COTP connection request (22 bytes): TPKT, LI 17, CR, refs, class 0, TPDU size 1024,
    /// calling TSAP 0x0100, called TSAP 0x0102 (rack 0, slot 2).
    static let connectionRequest: [UInt8] = [
        0x03, 0x00, 0x00, 0x16,  // TPKT v3, length 22
        0x11, 0xe0, 0x00, 0x00, 0x00, 0x01, 0x00,  // LI 17, CR, dst ref 0, src ref 1, class 0
        0xc0, 0x01, 0x0a,  // TPDU size 2^10
        0xc1, 0x02, 0x01, 0x00,  // calling TSAP
        0xc2, 0x02, 0x01, 0x02,  // called TSAP
    ]

    /// Setup communication job (25 bytes): PDU reference 0, PDU size 480.
    static let setupJob: [UInt8] = [
        0x03, 0x00, 0x00, 0x19,  // TPKT, length 25
        0x02, 0xf0, 0x80,  // COTP DT, EOT
        0x32, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00,  // S7 job, ref 0, param 8, data 0
        0xf0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xe0,  // setup: AmQ 1/1, PDU 480
    ]

    /// Read variable job (31 bytes): one item, DB1.DBW0, one WORD; PDU reference 0x0100.
    static let readJob: [UInt8] = [
        0x03, 0x00, 0x00, 0x1f, 0x02, 0xf0, 0x80,  // TPKT 31, COTP DT EOT
        0x32, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x00, 0x00,  // job, ref 0x0100, param 14
        0x04, 0x01,  // read var, 1 item
        0x12, 0x0a, 0x10, 0x04, 0x00, 0x01, 0x00, 0x01, 0x84, 0x00, 0x00, 0x00,  // S7ANY WORD x1 DB1 byte 0
    ]

    /// Its ack-data (27 bytes): success, 16 bits = 0x1234.
    static let readAck: [UInt8] = [
        0x03, 0x00, 0x00, 0x1b, 0x02, 0xf0, 0x80,
        0x32, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x02, 0x00, 0x06, 0x00, 0x00,  // ack-data, no error
        0x04, 0x01,  // read var, 1 item
        0xff, 0x04, 0x00, 0x10, 0x12, 0x34,  // success, BYTE/WORD, 16 bits, 0x1234
    ]

    /// Write variable job (37 bytes): DB5.DBB2, two BYTEs = 0xab 0xcd; reference 0x0200.
    static let writeJob: [UInt8] = [
        0x03, 0x00, 0x00, 0x25, 0x02, 0xf0, 0x80,
        0x32, 0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0x0e, 0x00, 0x06,  // job, ref 0x0200, param 14, data 6
        0x05, 0x01,  // write var, 1 item
        0x12, 0x0a, 0x10, 0x02, 0x00, 0x02, 0x00, 0x05, 0x84, 0x00, 0x00, 0x10,  // BYTE x2 DB5 byte 2
        0x00, 0x04, 0x00, 0x10, 0xab, 0xcd,  // data item: 16 bits
    ]

    /// Its ack-data (22 bytes): item return code 0x05 (invalid address).
    static let writeAck: [UInt8] = [
        0x03, 0x00, 0x00, 0x16, 0x02, 0xf0, 0x80,
        0x32, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00,
        0x05, 0x01, 0x05,
    ]

    /// PLC stop job (snap7_s300_everything frame 57): "P_PROGRAM".
    static let stopJob: [UInt8] = hex("0300002102f080320100001c000010000029000000000009505f50524f4752414d")
    /// PI service cold start (frame 63): P_PROGRAM with argument "C ".
    static let coldStartJob: [UInt8] = hex(
        "0300002702f080320100001f000016000028000000000000fd0002432009505f50524f4752414d")
    /// Start upload of OB0 (frame 43): file name "_0800000A".
    static let startUploadJob: [UInt8] = hex("0300002302f080320100001500001200001d00000000000000095f3038303030303041")
    /// PI service _DELE of SDB2000 (tia_s300_downloadHwConfig frame 60).
    static let deleteJob: [UInt8] = hex(
        "0300002b02f080320100007400001a000028000000000000fd000a01003042303230303041055f44454c45")
    /// Userdata: CPU functions / read SZL 0x0011 index 0 (request), reference 0x0100.
    static let szlRequest: [UInt8] = hex("0300002102f080320700000100000800080001120411440100ff09000400110000")
    /// Userdata: security / PLC password request and response (step7_s300_AuthPassword frames
    /// 3 and 4; the password travels XOR-scrambled).
    static let passwordRequest: [UInt8] = hex(
        "0300002502f0803207000006000008000c0001120411450100ff090008213a1b1d6e681b1d")
    static let passwordResponse: [UInt8] = hex("0300002102f080320700000600000c00040001120812850101000000000a000000")

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex),
            let byte = UInt8(text[index..<next], radix: 16)
        {
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// Splits the user PDU of a single-DT TPKT into DT fragments of `size` payload bytes.
    static func fragmented(_ tpkt: [UInt8], size: Int) -> [UInt8] {
        let payload = Array(tpkt[7...])
        var out: [UInt8] = []
        var offset = 0
        while offset < payload.count {
            let chunk = Array(payload[offset..<min(offset + size, payload.count)])
            let last = offset + size >= payload.count
            let length = 7 + chunk.count
            out += [0x03, 0x00, UInt8(length >> 8), UInt8(length & 0xff), 0x02, 0xf0, last ? 0x80 : 0x00] + chunk
            offset += size
        }
        return out
    }

    /// One `parse` call of dissector `D`.
    static func parse<D: Dissector>(
        _ dissector: D.Type, _ bytes: [UInt8], _ direction: Direction, state: inout D.State, time: Int64 = 0
    ) -> Result<(message: D.Parsed, consumed: Int), DissectError> {
        do throws(DissectError) {
            let stamp = Timestamp(nanoseconds: time)
            return .success(try D.parse(bytes.span, direction: direction, time: stamp, state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parses one PDU with S7comm and builds its event.
    static func s7(_ bytes: [UInt8], _ direction: Direction, state: inout S7Comm.State, time: Int64 = 0)
        -> (frame: S7Comm.Frame, message: Message)?
    {
        guard case .success(let parsed) = parse(S7Comm.self, bytes, direction, state: &state, time: time) else {
            return nil
        }
        let context = context(direction, time: time)
        let message = S7Comm.event(parsed.message, bytes: bytes.span, context: context, state: &state)
        return (parsed.message, message)
    }
}
