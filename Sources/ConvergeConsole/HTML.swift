/// The one escaping helper every page uses for every string that is not a constant of this module:
/// hostnames, vendors, tag names and user names come from the wire or from users.
enum HTML {
    /// Escapes for both text and (double- or single-quoted) attribute contexts. Control characters
    /// other than tab, newline and carriage return are shown as U+FFFD so they cannot smuggle
    /// anything past a browser's parser or confuse a reader.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "`": out += "&#96;"
            case "=": out += "&#61;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) || scalar.value == 0x2028
                    || scalar.value == 0x2029
                {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A query-string component: everything but unreserved characters percent-encoded, so the
    /// result is safe inside an `href` (and is escaped again by `escape` when placed there).
    static func queryComponent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// A link to an asset's page, its id percent-encoded then escaped.
    static func assetHref(_ id: String) -> String { "/assets/" + queryComponent(id) }
}

/// A page under construction: text and attributes go in only through `text` / `attr`.
struct HTMLBuilder {
    private(set) var html = ""

    init() { html.reserveCapacity(16_384) }

    /// Markup written by this module: constant strings only.
    mutating func raw(_ markup: String) { html += markup }
    /// Text from anywhere: escaped.
    mutating func text(_ value: String) { html += HTML.escape(value) }
    /// An attribute from anywhere, always double-quoted and escaped: ` name="value"`.
    mutating func attr(_ name: String, _ value: String) { html += " \(name)=\"\(HTML.escape(value))\"" }

    /// `<tag attrs>escaped text</tag>`.
    mutating func element(_ tag: String, _ value: String, `class`: String? = nil) {
        html += "<\(tag)"
        if let `class` { attr("class", `class`) }
        html += ">"
        text(value)
        html += "</\(tag)>"
    }

    /// `<a href="…">escaped text</a>`.
    mutating func link(_ href: String, _ value: String) {
        html += "<a"
        attr("href", href)
        html += ">"
        text(value)
        html += "</a>"
    }
}
