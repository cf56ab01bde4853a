import ConvergeInventory
import ConvergeModel
import ConvergeStore

/// One row of the asset list, as the page and `/api/assets` show it.
struct AssetSummary: Codable, Sendable {
    var id: String
    var name: String
    var role: String
    var roleLabel: String
    var level: String?
    var vendor: String?
    var model: String?
    var firmware: String?
    var hostname: String?
    var addresses: [String]
    var protocols: [String]
    var firstSeen: String
    var lastSeen: String

    /// A list row (summary columns, no record decoded).
    init(_ row: AssetListRow) {
        id = row.id
        hostname = row.hostname
        addresses = row.addresses
        name = row.hostname ?? row.addresses.first ?? row.id
        role = row.role
        roleLabel = Role(rawValue: row.role)?.label ?? row.role
        level = row.level
        vendor = row.vendor
        model = row.model
        firmware = row.firmware
        protocols = row.protocols
        firstSeen = Self.iso(row.firstSeen)
        lastSeen = Self.iso(row.lastSeen)
    }

    /// The same row from a full record (the asset's own JSON), so both read alike.
    init(_ asset: Asset) {
        self.init(AssetListRow(asset))
    }
}

extension Asset {
    /// What a person calls this asset: its hostname, else its first address, else its id.
    var displayName: String { current(.hostname) ?? addresses.first.map { "\($0.address)" } ?? id }
}

extension AssetSummary {
    /// `Timestamp.iso` without Foundation's formatter (two per row, the largest cost of a list
    /// page once no record is decoded): the same text, `2024-03-01T00:00:00Z`, for every Int64.
    static func iso(_ time: Timestamp) -> String {
        // Before 1970 (never a capture's time) Foundation's own rounding is left to Foundation.
        guard time.nanoseconds >= 0 else { return time.iso }
        // Through Double as `Timestamp.date` does: a Date keeps seconds since 2001-01-01 as a
        // Double, and the formatter drops the fraction of that (the test compares the two on
        // thousands of times).
        let sinceReference = (Double(time.nanoseconds) / 1e9 - 978_307_200).rounded(.down)
        let whole = Int64(sinceReference) + 978_307_200  // |value| < 9.3e9
        let days = whole / 86_400
        let rest = whole - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var out: [UInt8] = []
        out.reserveCapacity(20)
        func two(_ n: Int64, then separator: UInt8) {
            out.append(UInt8(truncatingIfNeeded: 48 + n / 10))
            out.append(UInt8(truncatingIfNeeded: 48 + n % 10))
            out.append(separator)
        }
        out.append(UInt8(truncatingIfNeeded: 48 + year / 1000 % 10))
        out.append(UInt8(truncatingIfNeeded: 48 + year / 100 % 10))
        two(year % 100, then: UInt8(ascii: "-"))
        two(month, then: UInt8(ascii: "-"))
        two(day, then: UInt8(ascii: "T"))
        two(rest / 3_600, then: UInt8(ascii: ":"))
        two(rest / 60 % 60, then: UInt8(ascii: ":"))
        two(rest % 60, then: UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}

/// `/api/assets` written directly: the same JSON `JSONOut` would give for `APIRoutes.AssetList`
/// (keys sorted, absent values left out, slashes unescaped) without Foundation's encoder, which
/// cost more than the query on a 50-row page. Written as UTF-8 bytes, escaping byte by byte.
enum AssetListJSON {
    static func encode(total: Int, page: Int, perPage: Int, assets: [AssetSummary]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + assets.count * 512)
        raw("{\"assets\":[", &out)
        for (index, s) in assets.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            raw("{\"addresses\":", &out)
            array(s.addresses, &out)
            field("firmware", s.firmware, &out)
            field("firstSeen", s.firstSeen, &out)
            field("hostname", s.hostname, &out)
            field("id", s.id, &out)
            field("lastSeen", s.lastSeen, &out)
            field("level", s.level, &out)
            field("model", s.model, &out)
            field("name", s.name, &out)
            raw(",\"protocols\":", &out)
            array(s.protocols, &out)
            field("role", s.role, &out)
            field("roleLabel", s.roleLabel, &out)
            field("vendor", s.vendor, &out)
            out.append(UInt8(ascii: "}"))
        }
        raw("],\"page\":\(page),\"perPage\":\(perPage),\"total\":\(total)}", &out)
        return out
    }

    private static func raw(_ text: String, _ out: inout [UInt8]) { out.append(contentsOf: text.utf8) }

    private static func field(_ key: String, _ value: String?, _ out: inout [UInt8]) {
        guard let value else { return }
        out.append(UInt8(ascii: ","))
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: key.utf8)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
        string(value, &out)
    }

    private static func array(_ values: [String], _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(value, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped (RFC 8259); every other
    /// byte of the (valid) UTF-8 copied as it is.
    static func string(_ value: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)],
                    hex[Int(byte & 0xF)],
                ])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
