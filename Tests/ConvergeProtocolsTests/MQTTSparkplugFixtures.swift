/// Sparkplug B payloads (Eclipse Sparkplug 3.0, `sparkplug_b.proto`), written by hand for these
/// tests: one byte-commented, the rest built with `PB`, a minimal protobuf encoder.
enum SparkplugFixtures {
    /// An NBIRTH payload: timestamp, four metrics, seq 0.
    static let nbirth: [UInt8] = [
        0x08, 0x80, 0xd0, 0x95, 0xff, 0xbc, 0x31,  // 1 timestamp (varint) 1,700,000,000,000 ms
        0x12, 0x0b,  // 2 metric (11 bytes)
        0x0a, 0x05, 0x62, 0x64, 0x53, 0x65, 0x71,  //   1 name "bdSeq"
        0x20, 0x04,  //   4 datatype 4 (Int64)
        0x58, 0x00,  //   11 long_value 0
        0x12, 0x25,  // 2 metric (37 bytes)
        0x0a, 0x18, 0x50, 0x72, 0x6f, 0x70, 0x65, 0x72, 0x74, 0x69, 0x65, 0x73, 0x2f,  //   1 name (24):
        0x48, 0x61, 0x72, 0x64, 0x77, 0x61, 0x72, 0x65, 0x20, 0x4d, 0x61, 0x6b, 0x65,  //   "Properties/Hardware Make"
        0x20, 0x0c,  //   4 datatype 12 (String)
        0x7a, 0x07, 0x53, 0x69, 0x65, 0x6d, 0x65, 0x6e, 0x73,  //   15 string_value "Siemens"
        0x12, 0x21,  // 2 metric (33 bytes)
        0x0a, 0x0b, 0x54, 0x65, 0x6d, 0x70, 0x65, 0x72, 0x61, 0x74, 0x75, 0x72, 0x65,  //   1 name "Temperature"
        0x10, 0x01,  //   2 alias 1
        0x18, 0x81, 0xd0, 0x95, 0xff, 0xbc, 0x31,  //   3 timestamp 1,700,000,000,001 ms
        0x20, 0x0a,  //   4 datatype 10 (Double)
        0x69, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x35, 0x40,  //   13 double_value (fixed64) 21.5
        0x12, 0x12,  // 2 metric (18 bytes)
        0x0a, 0x06, 0x4f, 0x66, 0x66, 0x73, 0x65, 0x74,  //   1 name "Offset"
        0x10, 0x02,  //   2 alias 2
        0x20, 0x02,  //   4 datatype 2 (Int16)
        0x50, 0xfd, 0xff, 0xff, 0xff, 0x0f,  //   10 int_value 0xfffffffd: -3 in two's complement
        0x18, 0x00,  // 3 seq 0
    ]
    /// Offsets in `nbirth` where a top-level field ends: a prefix cut there is a sound payload.
    static let nbirthFieldEnds: Set<Int> = [0, 7, 20, 59, 94, 114, 116]

    static let group = "Plant1"
    static let node = "Edge1"
    static let device = "Filler01"

    static func topic(_ type: String, device: String? = nil) -> String {
        "spBv1.0/\(group)/\(type)/\(node)" + (device.map { "/" + $0 } ?? "")
    }

    /// A QoS 0 PUBLISH of `payload` on a Sparkplug topic.
    static func publish(_ type: String, device: String? = nil, _ payload: [UInt8]) -> [UInt8] {
        MQTTHarness.packet(0x30, MQTTHarness.string(topic(type, device: device)) + payload)
    }

    /// A metric: name and/or alias, data type, then the value fields given.
    static func metric(
        _ name: String? = nil, alias: UInt64? = nil, datatype: UInt64? = nil, timestamp: UInt64? = nil,
        _ value: [UInt8] = []
    ) -> [UInt8] {
        var body: [UInt8] = []
        if let name { body += PB.string(1, name) }
        if let alias { body += PB.uint(2, alias) }
        if let timestamp { body += PB.uint(3, timestamp) }
        if let datatype { body += PB.uint(4, datatype) }
        return PB.bytes(2, body + value)
    }

    /// A DBIRTH with identity properties, a metric with properties and metadata, a data set and a
    /// template instance.
    static let dbirth: [UInt8] = PB.uint(1, 1_700_000_000_500)
        + metric("Properties/Hardware Make", datatype: 12, PB.string(15, "Krones"))
        + metric("properties/hardware model", datatype: 12, PB.string(15, "Modulfill"))
        + metric("Properties/FW", datatype: 12, PB.string(15, "4.2"))
        + metric(
            "Level", alias: 10, datatype: 9,
            PB.bytes(8, PB.string(8, "tank level"))  // metadata: description
                + PB.bytes(9, PB.string(1, "engUnit") + PB.bytes(2, PB.uint(1, 12) + PB.string(8, "%")))
                + PB.fixed32(12, Float(42.5).bitPattern))
        + metric(
            "Recipe", datatype: 16,
            PB.bytes(
                17,
                PB.uint(1, 2) + PB.string(2, "step") + PB.string(2, "name")
                    + PB.bytes(3, PB.varint(3) + PB.varint(12))  // types, packed: Int32, String
                    + PB.bytes(4, PB.bytes(1, PB.uint(1, 1)) + PB.bytes(1, PB.string(6, "fill")))
                    + PB.bytes(4, PB.bytes(1, PB.uint(1, 2)) + PB.bytes(1, PB.string(6, "cap")))))
        + metric(
            "Motor1", alias: 11, datatype: 19,
            PB.bytes(
                18,
                PB.string(4, "Motor")
                    + metric("Speed", datatype: 10, PB.fixed64(13, Double(50).bitPattern))
                    + PB.bytes(3, PB.string(1, "rated") + PB.uint(2, 10) + PB.fixed64(6, Double(75).bitPattern))))
        + PB.uint(3, 1)
}

/// A minimal protobuf encoder for building test payloads.
enum PB {
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7f)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            out.append(byte)
        } while value != 0
        return out
    }

    static func tag(_ field: UInt64, _ wireType: UInt64) -> [UInt8] { varint(field << 3 | wireType) }
    static func uint(_ field: UInt64, _ value: UInt64) -> [UInt8] { tag(field, 0) + varint(value) }
    static func bytes(_ field: UInt64, _ body: [UInt8]) -> [UInt8] { tag(field, 2) + varint(UInt64(body.count)) + body }
    static func string(_ field: UInt64, _ text: String) -> [UInt8] { bytes(field, Array(text.utf8)) }

    static func fixed32(_ field: UInt64, _ bits: UInt32) -> [UInt8] {
        tag(field, 5) + (0..<4).map { UInt8(truncatingIfNeeded: bits >> ($0 * 8)) }
    }

    static func fixed64(_ field: UInt64, _ bits: UInt64) -> [UInt8] {
        tag(field, 1) + (0..<8).map { UInt8(truncatingIfNeeded: bits >> ($0 * 8)) }
    }
}
