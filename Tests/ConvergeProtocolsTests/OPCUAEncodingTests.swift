import ConvergeWire
import Testing

@testable import ConvergeProtocols

/// The built-in type readers: every NodeId encoding, strings, Variants, nesting caps.
@Suite struct OPCUAEncodingTests {
    static func node(_ bytes: [UInt8], expanded: Bool = false) -> (text: String, used: Int)? {
        let span = bytes.span
        var r = WireReader(span)
        guard let node = OPCUA.Binary.readNodeID(&r, expanded: expanded) else { return nil }
        return (node.text(span), r.offset)
    }

    @Test func nodeIDEncodings() {
        #expect(Self.node([0x00, 0x55])! == ("i=85", 2))  // two-byte
        #expect(Self.node([0x01, 0x02, 0x07, 0x00])! == ("ns=2;i=7", 4))  // four-byte
        #expect(Self.node([0x02, 0x03, 0x00, 0x40, 0x42, 0x0f, 0x00])! == ("ns=3;i=1000000", 7))  // numeric
        #expect(Self.node([0x03, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, 0x54, 0x61, 0x67])! == ("ns=2;s=Tag", 10))
        let guid: [UInt8] = [0x04, 0x01, 0x00] + [
            0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0x78, 0x56, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
        ]
        #expect(Self.node(guid)! == ("ns=1;g=12345678-1234-5678-0102-030405060708", 19))
        #expect(Self.node([0x05, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0xde, 0xad])! == ("ns=1;b=dead", 9))
        // ExpandedNodeId with namespace URI (0x80) and server index (0x40).
        let expanded: [UInt8] = [0xc0, 0x07, 0x01, 0x00, 0x00, 0x00, 0x41, 0x09, 0x00, 0x00, 0x00]
        #expect(Self.node(expanded, expanded: true)! == ("i=7", 11))
        #expect(Self.node(expanded) == nil)  // flags are not allowed in a plain NodeId
        #expect(Self.node([0x06, 0x00]) == nil)  // no such encoding
        #expect(Self.node([0x03, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x41]) == nil)  // string longer than bytes
        #expect(Self.node([0x02, 0x00]) == nil)
    }

    @Test func stringLengths() {
        func read(_ bytes: [UInt8]) -> OPCUA.Binary.Bytes? {
            let span = bytes.span
            var r = WireReader(span)
            return OPCUA.Binary.readBytes(&r)
        }
        #expect(read([0xff, 0xff, 0xff, 0xff])?.isNull == true)
        #expect(read([0x00, 0x00, 0x00, 0x00])?.length == 0)
        #expect(read([0xfe, 0xff, 0xff, 0xff]) == nil)  // −2
        #expect(read([0xff, 0xff, 0xff, 0x7f]) == nil)  // 2 GiB
        #expect(read([0x02, 0x00, 0x00, 0x00, 0x41]) == nil)
        #expect(read([0x01, 0x00, 0x00, 0x00, 0x41])?.length == 1)
    }

    static func variant(_ bytes: [UInt8]) -> OPCUA.RenderedValue? {
        let span = bytes.span
        var r = WireReader(span)
        let value = OPCUA.renderVariant(&r, bytes: span)
        var skipper = WireReader(span)
        // The skipper and the renderer agree on where a Variant ends.
        let skipped = OPCUA.Binary.skipVariant(&skipper)
        #expect(skipped == (value != nil))
        if value != nil { #expect(skipper.offset == r.offset) }
        return value
    }

    @Test func variantScalarsAndArrays() {
        #expect(Self.variant([0x01, 0x01])?.integers == [1])
        #expect(Self.variant([0x04, 0xfe, 0xff])?.integers == [-2])
        #expect(Self.variant([0x0a, 0x00, 0x00, 0xc0, 0x3f])?.texts == ["1.5"])
        // Strings are quoted, so "42" the string is not 42 the number.
        #expect(Self.variant([0x0c, 0x02, 0x00, 0x00, 0x00, 0x6f, 0x6b])?.texts == ["\"ok\""])
        #expect(Self.variant([0x0c, 0x02, 0x00, 0x00, 0x00, 0x34, 0x32])?.texts == ["\"42\""])
        // StatusCode by name, DateTime in ISO 8601.
        #expect(Self.variant([0x13, 0x00, 0x00, 0x3b, 0x80])?.texts == ["bad_not_writable"])
        let epoch: [UInt8] = [0x0d, 0x00, 0x80, 0x3e, 0xd5, 0xde, 0xb1, 0x9d, 0x01]  // 1970 in 1601 ticks
        #expect(Self.variant(epoch)?.texts == ["1970-01-01T00:00:00.000Z"])
        // Int16 array of 3 with dimensions [3].
        let array: [UInt8] = [
            0xc4,  // Int16, array values, array dimensions
            0x03, 0x00, 0x00, 0x00,  // 3 values
            0x01, 0x00, 0x02, 0x00, 0x03, 0x00,  // 1, 2, 3
            0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,  // 1 dimension: 3
        ]
        let value = Self.variant(array)
        #expect(value?.integers == [1, 2, 3])
        #expect(value?.count == 3)
        #expect(Self.variant([0x00])?.count == 0)  // null Variant
        #expect(Self.variant([0x1f]) == nil)  // type 31: none
        #expect(Self.variant([0x86, 0x10, 0x00, 0x00, 0x00, 0x01]) == nil)  // 16 Int32s in 1 byte
    }

    @Test func longArraysAreCappedInEvents() {
        var bytes: [UInt8] = [0x83, 0xe8, 0x03, 0x00, 0x00]  // 1000 Bytes
        bytes += [UInt8](repeating: 7, count: 1000)
        let value = Self.variant(bytes)
        #expect(value?.count == 1000)
        #expect(value?.integers.count == OPCUA.maxValuesShown)
    }

    @Test func nestingIsCapped() {
        // Variant of Variant of … : each level is the mask 0x18 (type 24, Variant).
        let shallow = [UInt8](repeating: 0x18, count: 8) + [0x01, 0x01]
        #expect(Self.variant(shallow)?.integers == [1])
        let deep = [UInt8](repeating: 0x18, count: 10_000) + [0x01, 0x01]
        #expect(Self.variant(deep) == nil)
        // DataValue → Variant → DataValue …
        var mixed: [UInt8] = []
        for _ in 0..<5_000 { mixed += [0x01, 0x17] }  // DataValue with value: Variant of type DataValue
        let span = mixed.span
        var r = WireReader(span)
        let mixedSkipped = OPCUA.Binary.skipDataValue(&r)
        #expect(!mixedSkipped)
        // DiagnosticInfo with inner DiagnosticInfo, deeper than the cap.
        let diagnostics = [UInt8](repeating: 0x40, count: 100) + [0x00]
        var d = WireReader(diagnostics.span)
        let deepSkipped = OPCUA.Binary.skipDiagnosticInfo(&d)
        #expect(!deepSkipped)
        let fine = [UInt8](repeating: 0x40, count: 3) + [0x00]
        var f = WireReader(fine.span)
        let fineSkipped = OPCUA.Binary.skipDiagnosticInfo(&f)
        #expect(fineSkipped)
        #expect(f.offset == 4)
    }

    @Test func dataValueFields() {
        // Value (Double 2.0), status Bad_NotReadable, source timestamp, server picoseconds.
        var w = UAWriter()
        w.u8(0x01 | 0x02 | 0x04 | 0x20); w.u8(11); w.double(2); w.u32(0x803a_0000); w.u64(1); w.u16(5)
        let span = w.bytes.span
        var r = WireReader(span)
        let value = OPCUA.renderDataValue(&r, bytes: span)
        #expect(value?.texts == ["2.0"])
        #expect(value?.status == 0x803a_0000)
        #expect(r.offset == w.bytes.count)
    }

    @Test func hostNames() {
        #expect(OPCUA.host(ofURL: "opc.tcp://plc-01.plant.local:4840/ua") == "plc-01.plant.local")
        #expect(OPCUA.host(ofURL: "opc.tcp://10.1.1.5:4840") == nil)
        #expect(OPCUA.host(ofURL: "opc.tcp://[fe80::1]:4840") == nil)
        #expect(OPCUA.host(ofURL: "opc.tcp://localhost:4840") == nil)
        #expect(OPCUA.host(ofURL: "opc.tcp://bad host:4840") == nil)
        #expect(OPCUA.host(ofURL: "no url") == nil)
    }

    @Test func statusNames() {
        #expect(OPCUA.statusName(0x8034_0000) == "bad_node_id_unknown")
        #expect(OPCUA.statusName(0x80ff_0000) == "bad_0x80ff0000")
        #expect(OPCUA.statusName(0x40ff_0000) == "uncertain_0x40ff0000")
    }
}
