import ConvergeStore
import Foundation
import NIOCore

/// A triage form: `FormBody` keeps the first value of a name, but the bulk form sends one `id`
/// per checked row, so this keeps every value of a name (up to `maxFields` fields in all).
struct AlertForm {
    static let maxFields = TriageLimits.maxIDs + 20
    private(set) var fields: [(name: String, value: String)] = []

    init(_ buffer: ByteBuffer) {
        for pair in String(buffer: buffer).split(separator: "&", omittingEmptySubsequences: true).prefix(Self.maxFields)
        {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            fields.append((name, parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""))
        }
    }

    func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }
    func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
