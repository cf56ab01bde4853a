@testable import ConvergeConsole
import Testing

@Suite("HTML escaping")
struct HTMLEscapeTests {
    @Test("a script tag becomes text")
    func script() {
        #expect(HTML.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
    }

    @Test("an attribute breakout is neutralised")
    func attributeBreakout() {
        let escaped = HTML.escape("\"><img src=x onerror=alert(1)>")
        #expect(escaped == "&quot;&gt;&lt;img src&#61;x onerror&#61;alert(1)&gt;")
        #expect(!escaped.contains("\""))
        #expect(!escaped.contains("<"))
        #expect(HTML.escape("' onmouseover='x") == "&#39; onmouseover&#61;&#39;x")
        #expect(HTML.escape("`x`") == "&#96;x&#96;")
    }

    @Test("control characters are replaced, tab and newline kept")
    func controls() {
        #expect(HTML.escape("a\u{0}b\u{1B}[31m\u{7F}c\u{85}d") == "a\u{FFFD}b\u{FFFD}[31m\u{FFFD}c\u{FFFD}d")
        #expect(HTML.escape("a\tb\nc") == "a\tb\nc")
        #expect(HTML.escape("line\u{2028}sep") == "line\u{FFFD}sep")
    }

    @Test("ampersands are escaped once, non-ASCII kept")
    func ampersand() {
        #expect(HTML.escape("&lt;") == "&amp;lt;")
        #expect(HTML.escape("Zürich → Ørsted") == "Zürich → Ørsted")
    }

    @Test("the builder escapes text and attributes")
    func builder() {
        var page = HTMLBuilder()
        page.link("/assets/\"><script>", "<b>x</b>")
        #expect(page.html == "<a href=\"/assets/&quot;&gt;&lt;script&gt;\">&lt;b&gt;x&lt;/b&gt;</a>")
    }

    @Test("asset links are percent-encoded, so no id can leave the path")
    func assetHref() {
        #expect(HTML.assetHref("mac:00:1b") == "/assets/mac%3A00%3A1b")
        #expect(HTML.assetHref("javascript:alert(1)//\"<") == "/assets/javascript%3Aalert%281%29%2F%2F%22%3C")
    }

    @Test("random strings never leave a raw markup character", arguments: 0..<4)
    func random(seed: Int) {
        var generator = SplitMix(seed: UInt64(seed))
        let alphabet = Array("<>\"'&=`/ \u{0}\u{1B}\n\tabcé😀".unicodeScalars)
        for _ in 0..<1000 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 40) { s.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            let escaped = HTML.escape(String(s))
            #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\"") && !escaped.contains("'"))
            #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" })
        }
    }
}

/// A small seeded generator, so random tests repeat.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
