/// Why a policy file was refused: every problem found, each with its file, line and reason.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable {
        public var line: Int
        public var column: Int
        public var reason: String

        public init(line: Int, column: Int = 0, reason: String) {
            self.line = line
            self.column = column
            self.reason = reason
        }
    }

    public var file: String
    public var problems: [Problem]

    public init(file: String, problems: [Problem]) {
        self.file = file
        self.problems = problems
    }

    /// One `FILE:LINE:COLUMN: error: reason` line per problem, the way compilers print them.
    public var description: String {
        problems.map { problem in
            let place = problem.column > 0 ? "\(problem.line):\(problem.column)" : "\(problem.line)"
            return "\(file):\(place): error: \(problem.reason)"
        }.joined(separator: "\n")
    }
}
