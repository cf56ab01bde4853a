import ConvergeModel

extension FTP {
    /// The commands counted by position (RFC 959, 2228, 2389, 2428, 3659); index 0 is "unknown".
    public static let commands = [
        "", "USER", "PASS", "ACCT", "CWD", "CDUP", "SMNT", "QUIT", "REIN", "PORT", "PASV", "TYPE", "STRU",
        "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR", "RNTO", "ABOR", "DELE", "RMD", "MKD",
        "PWD", "LIST", "NLST", "SITE", "SYST", "STAT", "HELP", "NOOP", "FEAT", "OPTS", "AUTH", "PBSZ", "PROT",
        "EPRT", "EPSV", "SIZE", "MDTM", "MLSD", "MLST", "XPWD", "XCWD", "XMKD", "XRMD", "CCC",
    ]

    /// Indexes the dissector reads.
    enum Command {
        static let user = 1
        static let pass = 2
        static let syst = 30
    }

    /// Each command's letters packed like `Message.verb`, built once.
    static let verbCodes: [UInt64] = commands.map { name in
        name.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    static func commandIndex(_ verb: UInt64) -> Int {
        for index in 1..<verbCodes.count where verbCodes[index] == verb { return index }
        return 0
    }

    /// Reading, writing, session, auth … by command.
    public static func operation(_ message: Message) -> Operation {
        guard message.isCommand else {
            return message.answers == Command.user || message.answers == Command.pass ? .auth : .session
        }
        switch commands[min(max(message.command, 0), commands.count - 1)] {
        case "USER", "PASS", "ACCT", "AUTH", "PBSZ", "PROT", "CCC": return .auth
        case "RETR", "LIST", "NLST", "MLSD", "MLST", "SIZE", "MDTM", "STAT", "PWD", "XPWD": return .read
        case "STOR", "STOU", "APPE", "DELE", "RMD", "MKD", "RNFR", "RNTO", "XMKD", "XRMD", "ALLO": return .write
        case "SYST", "FEAT", "HELP": return .discovery
        case "SITE": return .control
        default: return .session
        }
    }
}
