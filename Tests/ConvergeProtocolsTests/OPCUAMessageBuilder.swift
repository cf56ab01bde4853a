/// Test-only: builds OPC UA binary messages field by field (little endian, OPC 10000-6 §5.2),
/// so each test states the fields it is about and the bytes follow from them.
struct UAWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { bytes += [UInt8(v & 0xff), UInt8(v >> 8)] }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(i))) & 0xff)) } }
    mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8((v >> (8 * UInt64(i))) & 0xff)) } }
    mutating func double(_ v: Double) { u64(v.bitPattern) }
    /// String / ByteString: Int32 length (−1 for null), bytes.
    mutating func string(_ s: String?) {
        guard let s else { return i32(-1) }
        i32(Int32(s.utf8.count))
        bytes += Array(s.utf8)
    }
    mutating func byteString(_ b: [UInt8]?) {
        guard let b else { return i32(-1) }
        i32(Int32(b.count))
        bytes += b
    }
    /// A numeric NodeId in its shortest encoding (two-byte, four-byte or full numeric).
    mutating func nodeID(_ id: UInt32, ns: UInt16 = 0) {
        if ns == 0 && id <= 0xff {
            u8(0x00); u8(UInt8(id))
        } else if ns <= 0xff && id <= 0xffff {
            u8(0x01); u8(UInt8(ns)); u16(UInt16(id))
        } else {
            u8(0x02); u16(ns); u32(id)
        }
    }
    mutating func stringNodeID(_ s: String, ns: UInt16) {
        u8(0x03); u16(ns); string(s)
    }
    /// RequestHeader: auth token, timestamp, handle, return diagnostics, audit id, timeout, header.
    mutating func requestHeader(handle: UInt32, token: UInt32 = 0) {
        nodeID(token)
        u64(0x01d9_0000_0000_0000)
        u32(handle)
        u32(0)
        string(nil)
        u32(10_000)
        extensionObject(type: 0, body: nil)
    }
    /// ResponseHeader: timestamp, handle, service result, diagnostics, string table, header.
    mutating func responseHeader(handle: UInt32, result: UInt32 = 0) {
        u64(0x01d9_0000_0000_0000)
        u32(handle)
        u32(result)
        u8(0)  // DiagnosticInfo: empty mask
        i32(-1)  // string table: null array
        extensionObject(type: 0, body: nil)
    }
    mutating func extensionObject(type: UInt32, body: [UInt8]?) {
        nodeID(type)
        if let body {
            u8(0x01)
            byteString(body)
        } else {
            u8(0x00)
        }
    }
    mutating func localizedText(_ text: String) {
        u8(0x02)
        string(text)
    }
    /// ApplicationDescription: URI, product URI, name, type, gateway, discovery profile, URLs.
    mutating func application(uri: String, product: String, name: String, type: UInt32) {
        string(uri); string(product); localizedText(name); u32(type); string(nil); string(nil); i32(-1)
    }
    /// DataValue with a Variant of a scalar Double.
    mutating func doubleDataValue(_ v: Double) {
        u8(0x01); u8(11); double(v)
    }
    mutating func int32DataValue(_ v: Int32) {
        u8(0x01); u8(6); i32(v)
    }
}

enum UAMessage {
    static func header(_ type: String, _ chunk: Character, size: Int) -> [UInt8] {
        var w = UAWriter()
        w.bytes = Array(type.utf8) + [UInt8(ascii: chunk.unicodeScalars.first ?? "F")]
        w.u32(UInt32(size))
        return w.bytes
    }

    /// HEL: version 0, buffers 65536, max message 0, max chunks 0, endpoint URL.
    static func hello(url: String = "opc.tcp://plc-7:4840/ua", receiveBuffer: UInt32 = 65_536) -> [UInt8] {
        var w = UAWriter()
        w.u32(0); w.u32(receiveBuffer); w.u32(65_536); w.u32(0); w.u32(0); w.string(url)
        return header("HEL", "F", size: 8 + w.bytes.count) + w.bytes
    }

    static func acknowledge(receiveBuffer: UInt32 = 65_536) -> [UInt8] {
        var w = UAWriter()
        w.u32(0); w.u32(receiveBuffer); w.u32(65_536); w.u32(0); w.u32(0)
        return header("ACK", "F", size: 8 + w.bytes.count) + w.bytes
    }

    static func error(code: UInt32, reason: String?) -> [UInt8] {
        var w = UAWriter()
        w.u32(code); w.string(reason)
        return header("ERR", "F", size: 8 + w.bytes.count) + w.bytes
    }

    /// A service body: type id (four-byte NodeId when > 255), then `fields`.
    static func body(_ service: UInt32, _ fields: (inout UAWriter) -> Void) -> [UInt8] {
        var w = UAWriter()
        w.nodeID(service)
        fields(&w)
        return w.bytes
    }

    /// MSG/CLO: channel id, token id, sequence number, request id, body.
    static func symmetric(
        _ type: String = "MSG", chunk: Character = "F", channel: UInt32 = 5, token: UInt32 = 1, sequence: UInt32,
        requestID: UInt32, body: [UInt8]
    ) -> [UInt8] {
        var w = UAWriter()
        w.u32(channel); w.u32(token); w.u32(sequence); w.u32(requestID)
        return header(type, chunk, size: 8 + w.bytes.count + body.count) + w.bytes + body
    }

    static let policyNone = "http://opcfoundation.org/UA/SecurityPolicy#None"
    static let policyBasic256Sha256 = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256"

    /// OPN: channel id, policy URI, sender certificate, thumbprint, sequence header, body.
    /// With a policy other than None, `body` stands for the encrypted part (sequence header too).
    static func open(
        channel: UInt32 = 0, policy: String = policyNone, certificate: [UInt8]? = nil, sequence: UInt32 = 1,
        requestID: UInt32 = 1, body: [UInt8]
    ) -> [UInt8] {
        var w = UAWriter()
        w.u32(channel); w.string(policy); w.byteString(certificate)
        w.byteString(certificate == nil ? nil : [UInt8](repeating: 0xaa, count: 20))  // receiver thumbprint
        if policy == policyNone { w.u32(sequence); w.u32(requestID) }
        return header("OPN", "F", size: 8 + w.bytes.count + body.count) + w.bytes + body
    }

    /// OpenSecureChannelRequest body: header, version, request type, mode, nonce, lifetime.
    static func openRequestBody(mode: UInt32 = 1) -> [UInt8] {
        body(446) { w in
            w.requestHeader(handle: 0)
            w.u32(0); w.u32(0); w.u32(mode); w.byteString([]); w.u32(3_600_000)
        }
    }

    /// OpenSecureChannelResponse body: header, version, token (channel, token id, created, lifetime), nonce.
    static func openResponseBody(channel: UInt32, token: UInt32 = 1) -> [UInt8] {
        body(449) { w in
            w.responseHeader(handle: 0)
            w.u32(0); w.u32(channel); w.u32(token); w.u64(0); w.u32(3_600_000); w.byteString([])
        }
    }
}
