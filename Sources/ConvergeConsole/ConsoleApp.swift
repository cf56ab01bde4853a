import ConvergeStore
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL

/// What the console needs from the store: the inventory, the console's queries, and users.
public typealias ConsoleStore = InventoryStore & ConsoleQueries & UserStore & ConsoleAlertQueries

/// How `converge serve` runs.
public struct ConsoleOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Seconds between polls of the change log for `/api/events`.
    public var eventPollSeconds = 2.0
    /// The longest one event stream stays open (the browser reconnects by itself).
    public var eventStreamSeconds = 3600.0
    /// bcrypt's cost for passwords set through the console.
    public var bcryptCost: UInt8 = 12
    /// Where the zones come from (the stored policy, or `--policy FILE`); nil shows none.
    public var zoneSource: (any ZoneSource)?

    public init() {}

    /// Cookies are marked Secure when the console serves TLS.
    public var secure: Bool { tlsCertificate != nil }
}

/// The console: a Hummingbird application over a store.
public enum Console {
    /// The message `converge serve` prints when the store has no users yet.
    public static let noUsersMessage = """
        converge serve: no console users yet, and there is no default password.
        Create an administrator first, then start the console again:
            converge users add NAME --role admin --database FILE
        (the password is read from standard input or asked for at a prompt).
        """

    /// Every page and API route, behind the session middleware.
    public static func buildRouter(store: any ConsoleStore, options: ConsoleOptions = ConsoleOptions())
        -> Router<ConsoleContext>
    {
        let state = ConsoleState(store: store, options: options)
        let router = Router(context: ConsoleContext.self)
        router.middlewares.add(ErrorMiddleware())
        router.middlewares.add(SecurityHeadersMiddleware(secure: options.secure))
        router.middlewares.add(SessionMiddleware(sessions: state.sessions))
        StaticRoutes.add(to: router)
        LoginRoutes(state: state).add(to: router)
        PageRoutes(state: state).add(to: router)
        UserAdminRoutes(state: state).add(to: router)
        APIRoutes(state: state).add(to: router)
        return router
    }

    /// The application `converge serve` runs: HTTP, or HTTPS with `--tls-cert/--tls-key`.
    public static func buildApplication(
        store: any ConsoleStore, options: ConsoleOptions, logger: Logger = Logger(label: "converge.console")
    ) throws -> some ApplicationProtocol {
        let router = buildRouter(store: store, options: options)
        let configuration = ApplicationConfiguration(
            address: .hostname(options.host, port: options.port), serverName: "converge")
        if let cert = options.tlsCertificate, let key = options.tlsKey {
            let certificates = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: certificates, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            return Application(
                router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: configuration,
                logger: logger)
        }
        return Application(router: router, server: .http1(), configuration: configuration, logger: logger)
    }
}

/// What every route shares.
final class ConsoleState: Sendable {
    let store: any ConsoleStore
    let options: ConsoleOptions
    let sessions = SessionStore()
    let throttle = LoginThrottle()

    init(store: any ConsoleStore, options: ConsoleOptions) {
        self.store = store
        self.options = options
    }

    func audit(_ context: ConsoleContext, user: String, action: String, target: String, detail: String = "") async {
        let entry = AuditEntry(
            time: .now, user: user, action: action, target: target, detail: detail, client: context.client)
        do {
            try await store.appendAudit(entry)
        } catch {
            context.logger.error("audit log write failed: \(error)")
        }
    }
}

extension Console {
    /// Serves until interrupted (SIGINT/SIGTERM end it gracefully). Refuses to start with no users.
    public static func run(store: any ConsoleStore, options: ConsoleOptions) async throws {
        guard try await !store.users().isEmpty else { throw ConsoleStartError(message: noUsersMessage) }
        var logger = Logger(label: "converge.console")
        logger.logLevel = .notice
        let app = try buildApplication(store: store, options: options, logger: logger)
        try await app.runService()
    }
}

/// Why the console did not start, in words for the terminal.
public struct ConsoleStartError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
