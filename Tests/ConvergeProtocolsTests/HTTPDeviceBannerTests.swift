import Foundation
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// `HTTP.DeviceBanner.match` searches ASCII banners byte by byte: it must answer as the string
/// search it replaced, on every table entry and on banners the byte search could get wrong.
@Suite struct HTTPDeviceBannerTests {
    /// The answer of the former implementation (Foundation's substring search throughout).
    static func reference(_ banner: String) -> HTTP.DeviceBanner.Match {
        let text = banner.lowercased() + " "
        var result = HTTP.DeviceBanner.Match()
        result.vendor = HTTP.DeviceBanner.vendors.first { text.range(of: $0.0) != nil }?.1
        result.os = HTTP.DeviceBanner.systems.first { text.range(of: $0.0) != nil }?.1
        if result.vendor != nil || HTTP.DeviceBanner.embedded.contains(where: { text.range(of: $0) != nil }) {
            result.role = "embedded_web_server"
        }
        return result
    }

    @Test func knownBanners() {
        let siemens = HTTP.DeviceBanner.match("GoAhead-Webs/2.5 Siemens SIMATIC")
        #expect(siemens.vendor == "Siemens" && siemens.role == "embedded_web_server" && siemens.os == nil)
        let iis = HTTP.DeviceBanner.match("Microsoft-IIS/10.0")
        #expect(iis.os == "Windows" && iis.vendor == nil && iis.role == nil)
        // "ge " needs the space the search appends after the banner.
        #expect(HTTP.DeviceBanner.match("GE").vendor == "GE")
        #expect(HTTP.DeviceBanner.match("Apache/2.4.41 (Ubuntu)") == .init(vendor: nil, os: "Ubuntu", role: nil))
        #expect(HTTP.DeviceBanner.match("") == .init())
    }

    @Test func everyTableEntryAgreesWithTheStringSearch() {
        let needles = HTTP.DeviceBanner.vendors.map(\.0) + HTTP.DeviceBanner.systems.map(\.0)
            + HTTP.DeviceBanner.embedded
        for needle in needles {
            for banner in [needle, needle.uppercased(), "x" + needle + "y", String(needle.dropLast()), " " + needle] {
                #expect(HTTP.DeviceBanner.match(banner) == Self.reference(banner), "\(banner)")
            }
        }
    }

    /// Non-ASCII banners (combining marks, a Kelvin sign that lowercases to "k", bytes that are
    /// not UTF-8) and random ASCII ones.
    @Test func awkwardAndRandomBannersAgree() {
        let awkward = [
            "Ge\u{301} ", "ge\u{301}", "Mo\u{301}xa", "\u{212A}", "Mi\u{212A}roti\u{212A}", "Siemens\u{FFFD}",
            "İrockwell", "wago\r\nx", "ａｘｉｓ", "goahead\u{0}",
        ]
        for banner in awkward { #expect(HTTP.DeviceBanner.match(banner) == Self.reference(banner), "\(banner)") }
        var generator = SeededGenerator(seed: 0x5EED)
        let alphabet = Array("abegimnorstwx (-/)".utf8)
        for _ in 0..<2000 {
            let length = Int(generator.next() % 24)
            let banner = String(decoding: (0..<length).map { _ in alphabet[Int(generator.next() % 18)] }, as: UTF8.self)
            #expect(HTTP.DeviceBanner.match(banner) == Self.reference(banner), "\(banner)")
        }
    }
}
