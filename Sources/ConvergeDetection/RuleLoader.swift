import Foundation

/// Loads rules: the built-in pack compiled into the binary, or every `*.yaml` in a directory.
public enum RuleLoader {
    /// The rules in `Rules/*.yaml` at build time (embedded by `Scripts/embed-rules.py`).
    public static func builtIn() throws -> [Rule] {
        try load(files: BuiltInRules.files.map { (name: "Rules/" + $0.name, text: $0.text) })
    }

    /// Every `*.yaml`/`*.yml` file of `directory`, in name order.
    public static func load(directory: String) throws -> [Rule] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw RuleError(file: directory, line: 0, reason: "cannot read the rule directory")
        }
        var files: [(name: String, text: String)] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw RuleError(file: path, line: 0, reason: "cannot read the file as UTF-8 text") }
            files.append((path, text))
        }
        return try load(files: files)
    }

    /// Rules from texts with their file names; ids must be unique across all files.
    public static func load(files: [(name: String, text: String)]) throws -> [Rule] {
        var rules: [Rule] = []
        var seen: [String: String] = [:]
        for file in files {
            for rule in try RuleParser(file: file.name).parse(file.text) {
                if let other = seen[rule.id] {
                    throw RuleError(file: file.name, line: rule.line, reason: "rule id '\(rule.id)' also in \(other)")
                }
                seen[rule.id] = file.name
                rules.append(rule)
            }
        }
        return rules
    }

    /// Rules from one YAML text (tests, the console's rule editor).
    public static func load(text: String, file: String = "<rules>") throws -> [Rule] {
        try load(files: [(file, text)])
    }
}
