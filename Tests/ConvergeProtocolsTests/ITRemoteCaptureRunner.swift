import Foundation

@testable import ConvergeProtocols

/// Test-only, shared by the SMB, RDP, FTP and Telnet capture tests: `ITStreamRunner` over the
/// dissector's ports, a flow given up at its first rejected probe, with URL-based fixture helpers.
struct ITRemoteCaptureRunner<D: Dissector> {
    let ports: Set<UInt16>

    typealias Result = ITStreamRunner.Result

    /// The shared captures folder (`../shared/captures` from the package root), nil when missing.
    static var sharedCaptures: URL? {
        ITStreamRunner.shared("").map { URL(fileURLWithPath: $0) }
    }

    /// Tests/Fixtures/<name>.
    static func fixtures(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// A golden file: "<code> <count>" lines, `#` comments.
    static func golden(_ text: String) -> [Int: Int] { ITStreamRunner.golden(text) }

    func run(path: String) -> Result {
        ITStreamRunner.run(D.self, path: path, ports: ports, maxProbeRejects: 1)
    }
}
