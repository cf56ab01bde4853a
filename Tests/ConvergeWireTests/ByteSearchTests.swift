import ConvergeWire
import Testing

@Suite struct ByteSearchTests {
    static let text: [UInt8] = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)

    @Test func findsTheFirstByteInTheRange() {
        let span = Self.text.span
        #expect(span.firstIndex(of: 0x0a, from: 0, to: span.count) == 15)
        #expect(span.firstIndex(of: 0x0a, from: 16, to: span.count) == 24)
        #expect(span.firstIndex(of: 0x0a, from: 16, to: 24) == nil)
    }

    @Test func rangesOutsideTheSpanAreClampedNeverATrap() {
        let span = Self.text.span
        #expect(span.firstIndex(of: 0x0a, from: -5, to: 10_000) == 15)
        #expect(span.firstIndex(of: 0x0a, from: 50, to: 10) == nil)
        #expect(span.firstIndex(of: 0x0a, from: 26, to: 27) == 26)
        let empty: [UInt8] = []
        #expect(empty.span.firstIndex(of: 0, from: 0, to: 1) == nil)
    }

    @Test func agreesWithALinearScan() {
        var bytes = [UInt8](repeating: 0, count: 300)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 37 &+ 11) }
        let span = bytes.span
        for start in stride(from: 0, to: 300, by: 7) {
            for target: UInt8 in [0, 11, 200, 255] {
                let expected = bytes[start...].firstIndex(of: target)
                #expect(span.firstIndex(of: target, from: start, to: 300) == expected)
            }
        }
    }
}
