import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// The DNP3 CRC computed four bytes at a time must equal the plain bit-by-bit definition
/// (polynomial 0x3D65 reflected, initial 0, output inverted) for every length and offset.
@Suite struct DNP3CRCTests {
    /// The definition, one bit at a time: nothing shared with the table code under test.
    static func reference(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xA6BC : crc >> 1 }
        }
        return ~crc
    }

    @Test func checkValueOfTheCatalogue() {
        // CRC-16/DNP's published check value: the CRC of ASCII "123456789".
        let digits = Array("123456789".utf8)
        #expect(DNP3.CRC.compute(digits.span, from: 0, count: digits.count) == 0xEA82)
        #expect(Self.reference(digits) == 0xEA82)
    }

    @Test(arguments: 0..<40)
    func everyLengthMatchesTheDefinition(length: Int) {
        var generator = SeededGenerator(seed: UInt64(length) &+ 1)
        for _ in 0..<50 {
            let bytes = (0..<(length + 7)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            for offset in [0, 1, 3, 7] {
                let expected = Self.reference(Array(bytes[offset..<(offset + length)]))
                #expect(DNP3.CRC.compute(bytes.span, from: offset, count: length) == expected)
            }
        }
    }

    @Test func rangesPastTheEndAreClamped() {
        let bytes: [UInt8] = [1, 2, 3, 4, 5]
        #expect(DNP3.CRC.compute(bytes.span, from: 2, count: 100) == Self.reference([3, 4, 5]))
        #expect(DNP3.CRC.compute(bytes.span, from: -3, count: 5) == Self.reference([1, 2]))
        #expect(DNP3.CRC.compute(bytes.span, from: 9, count: 4) == Self.reference([]))
    }

}

/// `isDefined` answers on the hot path what `name != nil` says, for every code.
@Suite struct DNP3FunctionDefinedTests {
    @Test(arguments: 0..<256)
    func definedExactlyWhenNamed(code: Int) {
        let function = DNP3.Application.Function(rawValue: UInt8(code))
        #expect(function.isDefined == (function.name != nil))
    }
}
