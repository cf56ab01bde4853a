import Foundation
import NIOCore

/// An `application/x-www-form-urlencoded` body, or a query string, as name → value.
struct FormBody {
    static let maxFields = 100
    private(set) var fields: [String: String] = [:]

    init(_ buffer: ByteBuffer) { self.init(String(buffer: buffer)) }

    init(_ text: String) {
        for pair in text.split(separator: "&", maxSplits: Self.maxFields, omittingEmptySubsequences: true)
            .prefix(Self.maxFields)
        {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            if fields[name] == nil { fields[name] = value }
        }
    }

    func value(_ name: String) -> String? { fields[name] }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
