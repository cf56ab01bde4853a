import ArgumentParser
import ConvergeConsole
import ConvergeModel
import ConvergeStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `converge users add|list|remove|passwd|role`: console accounts. Passwords are read from standard
/// input (one line) or asked for at a prompt, never taken from a flag.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage console users (viewer, analyst, admin).",
        subcommands: [Add.self, List.self, Remove.self, Passwd.self, SetRole.self]
    )

    struct StoreOption: ParsableArguments {
        @Option(name: [.customLong("database"), .customLong("store")], help: "The store: an SQLite file or postgres:// URL.")
        var database = "converge.db"
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; the password comes from stdin or a prompt.")
        @Argument(help: "User name: 1–64 letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "viewer (read only), analyst (can triage) or admin (manages users).") var role: String
        @OptionGroup var store: StoreOption

        func validate() throws {
            guard ConsoleUser.isValidName(name) else { throw ValidationError("a user name is 1–64 letters, digits, '.', '_' or '-'") }
            guard ConsoleRole(rawValue: role) != nil else { throw ValidationError("--role must be viewer, analyst or admin") }
        }

        func run() async throws {
            let password = try readNewPassword()
            let hash = try await Passwords.hash(password)
            try await withConsoleStore(store.database) { s in
                let user = ConsoleUser(
                    name: name, role: ConsoleRole(rawValue: role) ?? .viewer, passwordHash: hash, createdAt: nowStamp())
                guard try await s.addUser(user) else { throw CommandFailure("there is already a user named \(name)") }
                try await s.appendAudit(AuditEntry(
                    time: nowStamp(), user: cliUser(), action: "user_add", target: name, detail: "role \(role)", client: "cli"))
                print("added \(name) (\(role))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users and their roles.")
        @OptionGroup var store: StoreOption
        func run() async throws {
            try await withConsoleStore(store.database) { s in
                for user in try await s.users() { print("\(user.name)\t\(user.role.rawValue)") }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user.")
        @Argument var name: String
        @OptionGroup var store: StoreOption
        func run() async throws {
            try await withConsoleStore(store.database) { s in
                guard try await s.removeUser(named: name) else { throw CommandFailure("no user named \(name)") }
                try await s.appendAudit(AuditEntry(
                    time: nowStamp(), user: cliUser(), action: "user_remove", target: name, detail: "", client: "cli"))
                print("removed \(name)")
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (from stdin or a prompt).")
        @Argument var name: String
        @OptionGroup var store: StoreOption
        func run() async throws {
            let password = try readNewPassword()
            let hash = try await Passwords.hash(password)
            try await withConsoleStore(store.database) { s in
                guard try await s.setPasswordHash(hash, forUser: name) else { throw CommandFailure("no user named \(name)") }
                try await s.appendAudit(AuditEntry(
                    time: nowStamp(), user: cliUser(), action: "user_passwd", target: name, detail: "", client: "cli"))
                print("password of \(name) changed")
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Change a user's role.")
        @Argument var name: String
        @Option(help: "viewer, analyst or admin.") var role: String
        @OptionGroup var store: StoreOption
        func validate() throws {
            guard ConsoleRole(rawValue: role) != nil else { throw ValidationError("--role must be viewer, analyst or admin") }
        }
        func run() async throws {
            try await withConsoleStore(store.database) { s in
                guard try await s.setRole(ConsoleRole(rawValue: role) ?? .viewer, forUser: name) else {
                    throw CommandFailure("no user named \(name)")
                }
                try await s.appendAudit(AuditEntry(
                    time: nowStamp(), user: cliUser(), action: "user_role", target: name, detail: "role \(role)", client: "cli"))
                print("\(name) is now \(role)")
            }
        }
    }
}

/// A one-line failure of a users command.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

private func withConsoleStore(_ location: String, _ body: (any ConsoleStore) async throws -> Void) async throws {
    let store = try await openConsoleStore(location)
    do {
        try await body(store)
        await store.close()
    } catch let error as CommandFailure {
        await store.close()
        FileHandle.standardError.write(Data("converge users: \(error.description)\n".utf8))
        throw ExitCode(1)
    } catch let error as StoreError {
        await store.close()
        FileHandle.standardError.write(Data("converge: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}

private func nowStamp() -> Timestamp { Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9)) }

/// Who ran the command, for the audit log.
private func cliUser() -> String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown") }

/// A new password: at a terminal, asked twice without echo; otherwise the first line of stdin.
private func readNewPassword() throws -> String {
    let password: String
    if isatty(STDIN_FILENO) != 0 {
        guard let first = getpass("Password: ").map({ String(cString: $0) }),
            let second = getpass("Again: ").map({ String(cString: $0) })
        else { throw CommandFailure("no password given") }
        guard first == second else {
            FileHandle.standardError.write(Data("converge users: the passwords differ\n".utf8))
            throw ExitCode(1)
        }
        password = first
    } else {
        guard let line = readLine(strippingNewline: true) else {
            FileHandle.standardError.write(Data("converge users: no password on standard input\n".utf8))
            throw ExitCode(1)
        }
        password = line
    }
    if let problem = Passwords.problem(password) {
        FileHandle.standardError.write(Data("converge users: \(problem)\n".utf8))
        throw ExitCode(1)
    }
    return password
}
