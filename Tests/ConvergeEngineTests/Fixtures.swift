import Foundation

/// Paths to test inputs: the repository's own fixtures, and the shared capture corpus beside the
/// repository (present on developer machines and in CI; tests over it say so when it is missing).
enum Fixtures {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = packageRoot.appendingPathComponent("Tests/Fixtures")
    static let sharedCaptures = packageRoot.appendingPathComponent("../shared/captures").standardizedFileURL

    static func path(_ relative: String) -> String {
        directory.appendingPathComponent(relative).path
    }

    static var hasSharedCaptures: Bool {
        FileManager.default.fileExists(atPath: sharedCaptures.appendingPathComponent("public/CATALOGUE.tsv").path)
    }
}
