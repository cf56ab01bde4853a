import ConvergeConsole
import ConvergeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Seeded random query strings, forms and JSON bodies against the alert routes: every answer is a
/// deliberate one (200, 303, 400, 404), never a 500 or a crash.
@Suite("Alert input fuzz")
struct AlertInputFuzzTests {
    /// SplitMix64: a small seeded generator, so a failure repeats.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let names = [
        "page", "per_page", "sort", "severity", "min_severity", "state", "rule", "rule_prefix", "technique", "asset",
        "from", "to", "q", "x",
    ]
    static let samples = [
        "", "0", "-1", "1", "999999999999999999999", "high", "-severity", "count", "closed", "policy.*", "%", "_",
        "\\", "2024-03-01", "2024-13-45", "T0843", "ip:10.0.0.5", "<script>", "'; DROP TABLE alerts; --", "\u{0}",
        "\u{FFFD}", "é", "🧨", String(repeating: "a", count: 5000),
    ]

    /// A value: a sample or random bytes, percent-encoded (invalid UTF-8 included).
    static func value(_ rng: inout Seeded) -> String {
        if Bool.random(using: &rng) {
            let text = samples.randomElement(using: &rng) ?? ""
            return text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        }
        let count = Int.random(in: 0..<24, using: &rng)
        return (0..<count).map { _ in String(format: "%%%02X", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }

    static func query(_ rng: inout Seeded) -> String {
        (0..<Int.random(in: 0..<6, using: &rng)).map { _ in
            (names.randomElement(using: &rng) ?? "q") + "=" + value(&rng)
        }.joined(separator: "&")
    }

    @Test("random queries, forms and bodies get deliberate answers", arguments: ConsoleBackend.available)
    func fuzz(_ backend: ConsoleBackend) async throws {
        try await backend.withAlertStore { store in
            try await consoleApp(store).test(.router) { client in
                var rng = Seeded(state: 0xC0FF_EE00_2026)
                let ana = try await client.login("ana")
                for i in 0..<300 {
                    let path = (i % 2 == 0 ? "/api/alerts?" : "/alerts?") + Self.query(&rng)
                    try await client.execute(uri: path, method: .get, headers: ana.headers) { response in
                        #expect([.ok, .badRequest].contains(response.status), "\(path)")
                    }
                }
                for _ in 0..<150 {
                    var fields = ["csrf=" + ana.csrf]
                    fields += (0..<Int.random(in: 0..<6, using: &rng)).map { _ in
                        (["id", "state", "note", "back", "x"].randomElement(using: &rng) ?? "id") + "=" + Self.value(&rng)
                    }
                    try await client.execute(
                        uri: "/alerts/triage", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: ana.cookie],
                        body: ByteBuffer(string: fields.shuffled(using: &rng).joined(separator: "&"))
                    ) { response in
                        #expect([.seeOther, .badRequest, .notFound].contains(response.status))
                        if let location = response.headers[.location] { #expect(location.hasPrefix("/alerts")) }
                    }
                }
                let states = ["new", "acknowledged", "closed", "", "open", "\u{0}"]
                for _ in 0..<150 {
                    let ids = (0..<Int.random(in: 0..<4, using: &rng)).map { _ in
                        (["scan:1", AlertFixtures.write, "nope", "", "\u{0}", String(repeating: "x", count: 2000)]
                            .randomElement(using: &rng)) ?? ""
                    }
                    var body: [String: Any] = ["ids": ids, "state": states.randomElement(using: &rng) ?? ""]
                    if Bool.random(using: &rng) { body["note"] = Self.samples.randomElement(using: &rng) ?? "" }
                    if Bool.random(using: &rng) { body["ids"] = Self.samples.randomElement(using: &rng) ?? "" }
                    let data = try JSONSerialization.data(withJSONObject: body)
                    try await client.execute(
                        uri: "/api/alerts/triage", method: .post, headers: ana.csrfHeaders, body: ByteBuffer(bytes: data)
                    ) { response in
                        #expect([.ok, .badRequest, .notFound].contains(response.status), "\(body)")
                    }
                }
                // The store is still whole: every alert reads back.
                #expect(try await store.alertPage(AlertQuery()).total == 65)
            }
        }
    }
}
