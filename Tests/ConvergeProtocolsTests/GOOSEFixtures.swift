/// Hand-built GOOSE and Sampled Values payloads (from the APPID on, as the decoder hands them).
enum GOOSEFixtures {
    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// One BER element with a short or long-form length.
    static func tlv(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] {
        let count = value.count
        if count < 0x80 { return [tag, UInt8(count)] + value }
        if count < 0x100 { return [tag, 0x81, UInt8(count)] + value }
        return [tag, 0x82, UInt8(count >> 8), UInt8(count & 0xFF)] + value
    }

    /// The 8-byte header (APPID, length counted from the APPID, reserved 1, reserved 2) + PDU.
    static func frame(appID: UInt16 = 1, reserved1: UInt16 = 0, _ pdu: [UInt8]) -> [UInt8] {
        let length = pdu.count + 8
        return [
            UInt8(appID >> 8), UInt8(appID & 0xFF), UInt8(length >> 8), UInt8(length & 0xFF),
            UInt8(reserved1 >> 8), UInt8(reserved1 & 0xFF), 0x00, 0x00,
        ] + pdu
    }

    static func concat(_ parts: [UInt8]...) -> [UInt8] { parts.flatMap { $0 } }

    /// The first GOOSE frame of ITI's GOOSE.pcap (a GE F650 relay), byte for byte.
    static let f650: [UInt8] = concat(
        [
        0x00, 0x01,  // APPID 1
        0x00, 0x91,  // length 145 (the whole payload)
        0x00, 0x00,  // reserved 1: not simulated
        0x00, 0x00,  // reserved 2
        0x61, 0x81, 0x86,  // goosePdu, 134 bytes
        0x80, 0x1A,  // [0] gocbRef "GEDeviceF650/LLN0$GO$gcb01"
        ], ascii("GEDeviceF650/LLN0$GO$gcb01"),
        [
        0x81, 0x03, 0x00, 0x9C, 0x40,  // [1] timeAllowedtoLive 40000 ms
        0x82, 0x18,  // [2] datSet "GEDeviceF650/LLN0$GOOSE1"
        ], ascii("GEDeviceF650/LLN0$GOOSE1"),
        [
        0x83, 0x0B,  // [3] goID "F650_GOOSE1"
        ], ascii("F650_GOOSE1"),
        [
        0x84, 0x08, 0x38, 0x6E, 0xBB, 0xF3, 0x42, 0x17, 0x28, 0x0A,  // [4] t: 946781171 s, .258165836, q 0x0a
        0x85, 0x01, 0x01,  // [5] stNum 1
        0x86, 0x01, 0x0A,  // [6] sqNum 10
        0x87, 0x01, 0x00,  // [7] simulation false
        0x88, 0x01, 0x01,  // [8] confRev 1
        0x89, 0x01, 0x00,  // [9] ndsCom false
        0x8A, 0x01, 0x08,  // [10] numDatSetEntries 8
        0xAB, 0x20,  // [11] allData, 32 bytes: 4 × (boolean false, bit-string 0000 with 3 padding bits)
        0x83, 0x01, 0x00, 0x84, 0x03, 0x03, 0x00, 0x00,
        0x83, 0x01, 0x00, 0x84, 0x03, 0x03, 0x00, 0x00,
        0x83, 0x01, 0x00, 0x84, 0x03, 0x03, 0x00, 0x00,
        0x83, 0x01, 0x00, 0x84, 0x03, 0x03, 0x00, 0x00,
        ])

    /// A goosePdu from its parts, every field present unless left nil.
    static func goose(
        gocbRef: String? = "IED1/LLN0$GO$gcb1", ttl: [UInt8]? = [0x07, 0xD0], dataSet: String? = "IED1/LLN0$DS1",
        goID: String? = "IED1_G1", stNum: [UInt8] = [0x05], sqNum: [UInt8] = [0x00], simulation: UInt8 = 0,
        confRev: [UInt8] = [0x02], ndsCom: UInt8 = 0, entries: UInt8 = 7, allData: [UInt8] = GOOSEFixtures.allData,
        reserved1: UInt16 = 0
    ) -> [UInt8] {
        var body: [UInt8] = []
        if let gocbRef { body += tlv(0x80, ascii(gocbRef)) }
        if let ttl { body += tlv(0x81, ttl) }
        if let dataSet { body += tlv(0x82, ascii(dataSet)) }
        if let goID { body += tlv(0x83, ascii(goID)) }
        body += tlv(0x84, [0x60, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00])  // 2021-01-14 … .5 s, quality 0
        body += tlv(0x85, stNum) + tlv(0x86, sqNum) + tlv(0x87, [simulation]) + tlv(0x88, confRev)
        body += tlv(0x89, [ndsCom]) + tlv(0x8A, [entries]) + tlv(0xAB, allData)
        return frame(appID: 0x3001, reserved1: reserved1, tlv(0x61, body))
    }

    /// Seven entries, one of each kind the event decodes.
    static let allData: [UInt8] = [
        0x83, 0x01, 0x01,  // boolean true
        0x84, 0x02, 0x06, 0x80,  // bit-string, 6 padding bits: "10"
        0x85, 0x01, 0xFE,  // integer -2
        0x86, 0x02, 0x01, 0x00,  // unsigned 256
        0x87, 0x05, 0x08, 0x3F, 0xC0, 0x00, 0x00,  // float: exponent width 8, 1.5
        0x8A, 0x02, 0x6F, 0x6B,  // visible-string "ok"
        0xA2, 0x06, 0x83, 0x01, 0x00, 0xA2, 0x01, 0x00,  // structure {false, {bad BER}}
    ]

    /// A savPdu with `asdus` ASDUs (svID "MU01", smpCnt from 0x0102 up) and noASDU `declared`.
    static func sampledValues(asdus: Int = 2, declared: UInt8? = nil, reserved1: UInt16 = 0) -> [UInt8] {
        var sequence: [UInt8] = []
        for index in 0..<asdus {
            var asdu = tlv(0x80, ascii("MU0\(index + 1)"))  // [0] svID
            asdu += tlv(0x82, [0x01, UInt8(2 + index)])  // [2] smpCnt (two octets)
            asdu += tlv(0x83, [0x00, 0x00, 0x00, 0x01])  // [3] confRev 1
            asdu += tlv(0x85, [0x02])  // [5] smpSynch: global
            asdu += tlv(0x87, [UInt8](repeating: 0, count: 64))  // [7] seqData: 8 × (value, quality)
            sequence += tlv(0x30, asdu)
        }
        let pdu = tlv(0x80, [declared ?? UInt8(asdus)]) + tlv(0xA2, sequence)
        return frame(appID: 0x4000, reserved1: reserved1, tlv(0x60, pdu))
    }
}
