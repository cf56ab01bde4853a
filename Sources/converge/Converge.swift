import ArgumentParser

@main
struct Converge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "converge",
        abstract: "One picture of every IT and OT asset, conversation and risky command on a plant network.",
        subcommands: [
            AnalyzeCommand.self, FlowsCommand.self, EventsCommand.self, AssetsCommand.self, AssetCommand.self, DiffCommand.self,
            AlertsCommand.self, CarveCommand.self, BaselineCommand.self, PolicyCommand.self,
            ServeCommand.self, UsersCommand.self,
        ]
    )
}

/// Inputs shared by every command that reads captures.
struct CaptureInputs: ParsableArguments {
    @Argument(help: "Capture files (pcap, pcapng, optionally gzip-compressed); '-' reads standard input.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one capture file, or '-' for standard input") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be read only once") }
    }
}
