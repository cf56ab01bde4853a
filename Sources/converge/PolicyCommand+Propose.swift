import ArgumentParser
import ConvergePolicy
import Foundation

struct PolicyProposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Propose zones (subnet × Purdue level × role) and least-privilege conduits from observed traffic."
    )

    @Argument(help: "Capture files to learn from (leave out with --database).")
    var files: [String] = []

    @OptionGroup var source: PolicySource

    @Option(name: .shortAndLong, help: "Write the policy to this file instead of standard output.")
    var output: String?

    @Option(help: "The policy's name, written at its top.")
    var name = "proposed"

    func run() async throws {
        let inventory = try await source.inventory(files: files)
        let text = PolicyProposer.propose(inventory, title: name)
        if let output {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                FileHandle.standardError.write(
                    Data("converge: cannot write \(output): \(error.localizedDescription)\n".utf8))
                throw ExitCode(1)
            }
            FileHandle.standardError.write(Data("converge: wrote \(output)\n".utf8))
        } else {
            print(text, terminator: "")
        }
    }
}
