import ConvergeStore
import Hummingbird
import NIOCore

/// The request context: who is logged in (set by `SessionMiddleware`) and where the request came from.
public struct ConsoleContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    var session: ConsoleSession?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's address as text, for rate limits and the audit log (never from a header).
    var client: String { remoteAddress?.ipAddress ?? "local" }
}
