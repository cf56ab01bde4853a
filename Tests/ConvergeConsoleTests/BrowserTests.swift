import ConvergeConsole
import ConvergeStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The console in a real browser: headless Chromium logs in and opens the overview, the asset
/// list, an asset and the map of a store built from the repository's captures (and the shared ones when present) plus `hostile.pcap`, and
/// the rendered DOM is checked, including that no script from the capture ran; then the alert list and a
/// hostile alert's page (markup in its title, rule, fields and assets) the same way.
@Suite("Console in a browser", .serialized)
struct BrowserTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/console")
    static let shared = packageRoot.appendingPathComponent("../shared/captures/generated").standardized

    static var chromium: String? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return nil
    }

    @Test("log in, open every page, no injected script runs")
    func browse() async throws {
        guard let chromium = Self.chromium else {
            print("BrowserTests skipped: no chromium binary (apt-get install chromium)")
            return
        }
        // The repository's own captures (a fresh clone has no ../shared), plus the shared ones when present.
        var captures = [Self.fixtures.appendingPathComponent("hostile.pcap").path] + [
            "inventory/eip-firmware-change-excerpt.pcap", "inventory/s7-1200-uploading-ob1.pcap",
            "baseline/modbus_normal.pcap",
        ].map { Self.fixtures.deletingLastPathComponent().appendingPathComponent($0).path }
        if FileManager.default.fileExists(atPath: Self.shared.path) {
            captures += ["s7comm.pcap", "enip.pcap", "it_mix.pcap", "dnp3.pcap"].map {
                Self.shared.appendingPathComponent($0).path
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("converge-browser-\(UUID()).sqlite").path
        let store = try SQLiteStore(path: path)
        _ = try await StoreIngest.run(paths: captures, store: store)
        try await ConsoleFixtures.addUsers(store)
        let hostile = try await store.assetPage(AssetQuery().with { $0.search = "<script>" }).assets
            .filter { $0.current(.hostname) == Hostile.script }
        #expect(hostile.count == 1, "the crafted capture's DHCP hostname reached the store")
        let assetPath = "/assets/" + (hostile.first?.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "x")
        // The crafted S7 controller names itself with markup in its SZL 0x001C answer.
        let plc = try await store.assetPage(AssetQuery().with { $0.search = "<svg" }).assets
            .filter { $0.current(.moduleName) == "<svg onload=__pwned=3>" }
        #expect(plc.count == 1, "the crafted capture's S7 module name reached the store")
        let plcPath = "/assets/" + (plc.first?.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "y")
        // A hostile alert next to whatever the built-in rules raised on the captures.
        let hostileAlert = AlertFixtures.alerts(plain: 0).filter { $0.id == AlertFixtures.hostile }
        try await store.commitAlerts(hostileAlert)
        let alertPath = "/alerts/" + (AlertFixtures.hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "x")
        let paths = [
            "/", "/assets", assetPath, plcPath, "/map", "/conversations", "/assets?q=%3Cscript", "/alerts?sort=-severity",
            alertPath,
        ]

        let app = Application(
            router: Console.buildRouter(store: store),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let report = try await Self.run(chromium, base: "http://127.0.0.1:\(port)", paths: paths)
            let login = report["login"] as? [String: Any]
            #expect(login?["path"] as? String == "/")
            #expect(login?["cookieVisibleToScript"] as? Bool == false)
            let pages = report["pages"] as? [String: [String: Any]] ?? [:]
            #expect(pages.count == paths.count)
            for path in paths {
                let page = pages[path] ?? [:]
                #expect(page["path"] as? String != "/login", "\(path) bounced to the login page")
                #expect(page["pwned"] is NSNull || page["pwned"] == nil, "a script from the capture ran on \(path)")
                #expect(page["injected"] as? Int == 0, "markup from the capture became elements on \(path)")
                #expect((page["scripts"] as? [String])?.allSatisfy { $0.hasSuffix("/static/console.js") } == true)
            }
            #expect((pages["/"]?["text"] as? String)?.contains("By Purdue level") == true)
            #expect((pages["/"]?["text"] as? String)?.contains("hostile.pcap") == true)
            #expect((pages["/assets"]?["rows"] as? Int ?? 0) > 3)
            #expect((pages[assetPath]?["h1"] as? String) == "<script>window.__pwned=1</script>")
            #expect((pages[assetPath]?["text"] as? String)?.contains("dhcp") == true)
            let plcText = pages[plcPath]?["text"] as? String ?? ""
            #expect(plcText.contains("<svg onload=__pwned=3>") && plcText.contains("\"><img src=x onerror=x>"))
            #expect((pages["/map"]?["nodes"] as? Int ?? 0) > 3)
            #expect((pages["/assets?q=%3Cscript"]?["rows"] as? Int ?? 0) >= 1)
            let alerts = pages["/alerts?sort=-severity"] ?? [:]
            #expect((alerts["rows"] as? Int ?? 0) >= 1)
            #expect((alerts["text"] as? String)?.contains(Hostile.script) == true, "the hostile title shows as text")
            #expect((alerts["text"] as? String)?.contains("Acknowledge selected") == true)
            #expect((pages[alertPath]?["h1"] as? String) == Hostile.script + " " + Hostile.image)
            #expect((pages[alertPath]?["text"] as? String)?.contains("T0843 Program Download") == true)
            #expect((pages[alertPath]?["text"] as? String)?.contains("Download evidence pcap") == true)
            #expect((pages["/"]?["text"] as? String)?.contains("Alerts by severity") == true)
        }
    }

    /// Runs browser_check.py and parses its report.
    static func run(_ chromium: String, base: String, paths: [String]) async throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", fixtures.appendingPathComponent("browser_check.py").path, chromium, base, "ada",
            ConsoleFixtures.password] + paths
        if let dir = ProcessInfo.processInfo.environment["CONVERGE_SCREENSHOTS"] { arguments += ["--screenshots", dir] }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The read runs off the cooperative pool: the server answering the browser lives there too.
        let data = await Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "browser_check.py failed")
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
