import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// The allData decoder, one MMS Data type at a time (ISO 9506-2 Data CHOICE, context tags).
@Suite struct GOOSEDataTests {
    typealias F = GOOSEFixtures

    /// Decodes one Data element given as bytes.
    static func decode(_ bytes: [UInt8]) -> GOOSE.DataValue? {
        let span = bytes.span
        guard case .element(let element) = SNMP.BER.read(span, at: 0, end: bytes.count) else { return nil }
        return GOOSE.dataValue(span, element)
    }

    @Test(arguments: [
        // [17] utc-time: 0x386EBBF3 s, fraction 0x421728, quality 0x0A
        ([0x91, 0x08, 0x38, 0x6E, 0xBB, 0xF3, 0x42, 0x17, 0x28, 0x0A], "utc-time", nil, "946781171.258165836 q=10"),
        // [17] utc-time, quality 0: no q
        ([0x91, 0x08, 0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00], "utc-time", nil, "1.500000000"),
        // [12] binary-time, 6 octets: 1000 ms after midnight, day 2
        ([0x8C, 0x06, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x02], "binary-time", nil, "ms=1000 days=2"),
        // [12] binary-time, 4 octets: time of day only
        ([0x8C, 0x04, 0x00, 0x00, 0x00, 0x05], "binary-time", nil, "ms=5"),
        // [9] octet-string
        ([0x89, 0x03, 0xDE, 0xAD, 0x01], "octet-string", nil, "dead01"),
        // [7] floating-point, exponent width 11: a double, -0.25
        ([0x87, 0x09, 0x0B, 0xBF, 0xD0, 0, 0, 0, 0, 0, 0], "float", nil, "-0.25"),
        // [7] floating-point with an exponent width that is neither 8 nor 11
        ([0x87, 0x05, 0x07, 0x3F, 0xC0, 0x00, 0x00], "float", nil, "?"),
        // [6] unsigned, 9 octets with a leading zero: 2^64 - 1 (no Int for it)
        ([0x86, 0x09, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], "unsigned", nil, "18446744073709551615"),
        // [6] unsigned, 9 octets without a leading zero: too long
        ([0x86, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0], "unsigned", nil, "?"),
        // [13] bcd 42
        ([0x8D, 0x01, 0x2A], "bcd", 42, "42"),
        // [16] mms-string
        ([0x90, 0x02, 0x68, 0x69], "mms-string", nil, "hi"),
        // [4] bit-string with 8 padding bits: invalid
        ([0x84, 0x02, 0x08, 0xFF], "bit-string", nil, "?"),
        // [4] bit-string, empty (padding octet only)
        ([0x84, 0x01, 0x00], "bit-string", 0, ""),
        // [3] boolean of two octets: invalid
        ([0x83, 0x02, 0x01, 0x01], "boolean", nil, "?"),
        // [5] integer, empty: invalid
        ([0x85, 0x00], "integer", nil, "?"),
        // [20]: not a Data type
        ([0x94, 0x01, 0x07], "unknown", nil, "07"),
        // universal OCTET STRING: not a Data type either
        ([0x04, 0x01, 0x07], "unknown", nil, "07"),
        // [2] structure sent primitive: invalid
        ([0x82, 0x01, 0x00], "structure", nil, "?"),
        // [1] array of two structures of a boolean and an integer
        (
            [
                0xA1, 0x10,  // array, 16 bytes
                0xA2, 0x06, 0x83, 0x01, 0x01, 0x85, 0x01, 0x03,  // {true, 3}
                0xA2, 0x06, 0x83, 0x01, 0x00, 0x85, 0x01, 0x04,  // {false, 4}
            ] as [UInt8], "array", nil, "{{true,3},{false,4}}"
        ),
    ] as [([UInt8], String, Int?, String)])
    func decodesOneValue(_ bytes: [UInt8], _ type: String, _ integer: Int?, _ text: String) throws {
        let value = try #require(Self.decode(bytes))
        #expect(value == GOOSE.DataValue(type: type, integer: integer, text: text))
    }

    @Test func longValuesAreCut() throws {
        let octets = try #require(Self.decode(F.tlv(0x89, [UInt8](repeating: 0xAB, count: 40))))
        #expect(octets.text == String(repeating: "ab", count: GOOSE.maxOctetsShown) + "…")
        let bits = try #require(Self.decode(F.tlv(0x84, [0x00] + [UInt8](repeating: 0xFF, count: 20))))
        #expect(bits.text == String(repeating: "1", count: GOOSE.maxBitsShown) + "…" && bits.integer == nil)
        let word = try #require(Self.decode([0x84, 0x09, 0x01] + [UInt8](repeating: 0xFF, count: 8)))
        #expect(word.integer == Int.max && word.text.count == 63)
    }

    /// Every element a value visits is counted: a wide and deep value stops at the budget.
    @Test func elementBudgetBoundsTheWork() throws {
        var level: [UInt8] = Array(repeating: [0x83, 0x01, 0x01], count: 8).flatMap { $0 }
        for _ in 0..<3 { level = F.tlv(0xA2, Array(repeating: level, count: 8).flatMap { $0 }) }
        let value = try #require(Self.decode(F.tlv(0xA2, level)))
        let shown = value.text.filter { $0 == "t" }.count
        #expect(shown > 0 && shown < GOOSE.maxElementsPerValue && value.text.hasSuffix("}"))
    }

    @Test func sequenceFindingsReachTheEvent() throws {
        let run = try #require(LinkCaptureHarness.run(GOOSE.self, F.goose()))
        var message = run.message
        GOOSE.apply([], to: &message)
        #expect(message.operation == .other && message.anomalies.isEmpty)
        GOOSE.apply([.stChange, .sqGap], to: &message)
        #expect(message.operation == .control && message.anomalies == ["goose_st_change", "goose_sq_gap"])
        var replayed = run.message
        GOOSE.apply(.replay, to: &replayed)
        #expect(replayed.operation == .other && replayed.anomalies == ["goose_replay"])
    }
}
