import ConvergeStore
import HTTPTypes
import Hummingbird

/// Nobody sees anything without a session: API requests without one get 401 JSON, pages a
/// redirect to /login. State-changing requests must carry the session's CSRF token (header
/// `X-CSRF-Token` or form field `csrf`), compared in constant time.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    static let cookieName = "converge_session"
    /// The largest form a page posts.
    static let maxFormBytes = 64 * 1024

    let sessions: SessionStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        if Self.isPublic(path) { return try await next(request, context) }
        var context = context
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty {
            context.session = await sessions.session(token: token)
        }
        guard let session = context.session else {
            if path.hasPrefix("/api/") || path == "/api" {
                throw ConsoleError(.unauthorized, "log in first")
            }
            return Response(status: .seeOther, headers: [.location: "/login"])
        }
        var request = request
        if Self.changesState(request.method) {
            let presented: String?
            if let header = request.headers[.csrfToken] {
                presented = header
            } else if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
                let body = try await request.collectBody(upTo: Self.maxFormBytes)
                presented = FormBody(body).value("csrf")
            } else {
                presented = nil
            }
            guard let presented, SessionStore.constantTimeEqual(presented, session.csrf) else {
                throw ConsoleError(.forbidden, "missing or wrong CSRF token")
            }
        }
        return try await next(request, context)
    }

    /// The login page, its form post and the static files need no session.
    static func isPublic(_ path: String) -> Bool {
        path == "/login" || path.hasPrefix("/static/")
    }

    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        method != .get && method != .head && method != .options
    }
}

extension HTTPField.Name {
    static let csrfToken = Self("X-CSRF-Token")!
}

/// Headers on every response: no framing, no sniffing, scripts only from this origin.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    let secure: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on form posts.
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if secure { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
