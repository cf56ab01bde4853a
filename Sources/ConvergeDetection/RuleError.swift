/// Why a rule file was rejected, with where: `Rules/modbus.yaml:14: unknown operation 'wrte'`.
public struct RuleError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}
