import ConvergeStore
import Foundation
import Hummingbird

/// `/login` (form and post) and `/logout`.
struct LoginRoutes {
    let state: ConsoleState

    func add(to router: Router<ConsoleContext>) {
        router.get("/login") { request, context in
            Self.page(error: nil, status: .ok)
        }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
    }

    private func login(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        // The login form has no session to tie a CSRF token to; a cross-site post is refused by origin.
        if let origin = request.headers[.origin], !Self.sameOrigin(origin, authority: request.head.authority) {
            throw ConsoleError(.forbidden, "cross-site login refused")
        }
        var request = request
        let form = FormBody(try await request.collectBody(upTo: SessionMiddleware.maxFormBytes))
        let name = String((form.value("username") ?? "").prefix(ConsoleUser.maxNameLength))
        let password = String((form.value("password") ?? "").prefix(Passwords.maxLength * 4))
        if await state.throttle.isBlocked(client: context.client, user: name) {
            await state.audit(context, user: name, action: "login_blocked", target: name)
            return Self.page(error: "Too many failed logins. Wait a few minutes.", status: .tooManyRequests)
        }
        let user = ConsoleUser.isValidName(name) ? try await state.store.user(named: name) : nil
        let ok = try await Passwords.verify(password, hash: user?.passwordHash) && user != nil
        guard ok, let user else {
            await state.throttle.recordFailure(client: context.client, user: name)
            await state.audit(context, user: name, action: "login_failed", target: name)
            return Self.page(error: "Wrong user name or password.", status: .unauthorized)
        }
        await state.throttle.recordSuccess(user: name)
        let session = await state.sessions.create(user: user.name, role: user.role)
        await state.audit(context, user: user.name, action: "login", target: user.name)
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.headers[.setCookie] = cookie(session.token, maxAge: Int(SessionStore.lifetime))
        return response
    }

    private func logout(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        if let session = context.session {
            await state.sessions.remove(token: session.token)
            await state.audit(context, user: session.user, action: "logout", target: session.user)
        }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.headers[.setCookie] = cookie("", maxAge: 0)
        return response
    }

    /// The session cookie: HttpOnly, SameSite=Strict, Secure when served over TLS.
    private func cookie(_ value: String, maxAge: Int) -> String {
        var cookie = "\(SessionMiddleware.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
        if state.options.secure { cookie += "; Secure" }
        return cookie
    }

    /// True when the Origin header names the host the request was sent to.
    static func sameOrigin(_ origin: String, authority: String?) -> Bool {
        guard let host = URLComponents(string: origin)?.host, !host.isEmpty, let authority else { return false }
        let bare = host.hasPrefix("[") ? host : (host.contains(":") ? "[" + host + "]" : host)
        return authority == bare || authority.hasPrefix(bare + ":")
    }

    static func page(error: String?, status: HTTPResponse.Status) -> Response {
        var page = HTMLBuilder()
        page.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Converge: log in</title>")
        page.raw("<link rel=\"stylesheet\" href=\"/static/console.css\"></head><body class=\"login\"><main>")
        page.raw("<h1>Converge</h1>")
        if let error { page.element("p", error, class: "error") }
        page.raw("<form method=\"post\" action=\"/login\" id=\"login\">")
        page.raw("<label>User <input name=\"username\" autocomplete=\"username\" required maxlength=\"64\"></label>")
        page.raw("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>")
        page.raw("<button type=\"submit\">Log in</button></form></main></body></html>")
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page.html)))
    }
}
