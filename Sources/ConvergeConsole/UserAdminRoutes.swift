import ConvergeStore
import Hummingbird

/// Users and the audit log, for admins: `/admin/users` (page and form posts).
struct UserAdminRoutes {
    let state: ConsoleState

    func add(to router: Router<ConsoleContext>) {
        router.get("/admin/users") { _, context in
            let session = try Self.require(.admin, context)
            return try await page(session, message: nil, status: .ok)
        }
        router.post("/admin/users") { request, context in
            let session = try Self.require(.admin, context)
            var request = request
            let form = FormBody(try await request.collectBody(upTo: SessionMiddleware.maxFormBytes))
            let result = try await UserManagement(state: state).add(
                name: form.value("name") ?? "", role: form.value("role") ?? "", password: form.value("password") ?? "",
                by: session, context: context)
            if let problem = result { return try await page(session, message: problem, status: .badRequest) }
            return Response(status: .seeOther, headers: [.location: "/admin/users"])
        }
        router.post("/admin/users/{name}/delete") { _, context in
            let session = try Self.require(.admin, context)
            let name = (context.parameters.get("name") ?? "").pathDecoded
            if let problem = try await UserManagement(state: state).remove(name: name, by: session, context: context) {
                return try await page(session, message: problem, status: .badRequest)
            }
            return Response(status: .seeOther, headers: [.location: "/admin/users"])
        }
    }

    /// The session, if its role is at least `role`; 403 otherwise.
    static func require(_ role: ConsoleRole, _ context: ConsoleContext) throws -> ConsoleSession {
        guard let session = context.session else { throw ConsoleError(.unauthorized, "log in first") }
        guard session.role >= role else { throw ConsoleError(.forbidden, "this needs the \(role.rawValue) role") }
        return session
    }

    private func page(_ session: ConsoleSession, message: String?, status: HTTPResponse.Status) async throws -> Response {
        let users = try await state.store.users()
        let audit = try await state.store.auditLog(limit: 200)
        return Layout.page(title: "Users", section: .users, session: session, status: status) { page in
            if let message { page.element("p", message, class: "error") }
            page.raw("<table id=\"users\"><thead><tr><th>User</th><th>Role</th><th>Created</th><th></th></tr></thead><tbody>")
            for user in users {
                page.raw("<tr><td>")
                page.text(user.name)
                page.raw("</td><td>")
                page.text(user.role.rawValue)
                page.raw("</td><td>")
                page.text(user.createdAt.display)
                page.raw("</td><td><form method=\"post\"")
                page.attr("action", "/admin/users/" + HTML.queryComponent(user.name) + "/delete")
                page.raw(">")
                Layout.csrfField(&page, session)
                page.raw("<button type=\"submit\">Remove</button></form></td></tr>")
            }
            page.raw("</tbody></table><h2>Add a user</h2><form method=\"post\" action=\"/admin/users\" id=\"add-user\">")
            Layout.csrfField(&page, session)
            page.raw("<input name=\"name\" placeholder=\"name\" required maxlength=\"64\"><select name=\"role\">")
            for role in ConsoleRole.allCases { AssetListPage.option(&page, role.rawValue, role.rawValue, selected: "viewer") }
            page.raw("</select><input name=\"password\" type=\"password\" placeholder=\"password (10+ characters)\"")
            page.raw(" autocomplete=\"new-password\" required><button type=\"submit\">Add</button></form>")
            page.raw("<h2>Audit log</h2><table id=\"audit\"><thead><tr><th>Time</th><th>User</th><th>Action</th>")
            page.raw("<th>Target</th><th>Detail</th><th>Client</th></tr></thead><tbody>")
            for entry in audit {
                page.raw("<tr>")
                for cell in [entry.time.display, entry.user, entry.action, entry.target, entry.detail, entry.client] {
                    page.element("td", cell)
                }
                page.raw("</tr>")
            }
            page.raw("</tbody></table>")
        }
    }
}

/// Adding and removing users, shared by the page and the API; every action audited.
struct UserManagement {
    let state: ConsoleState

    /// A problem to show, or nil when the user was added.
    func add(name: String, role: String, password: String, by session: ConsoleSession, context: ConsoleContext)
        async throws -> String?
    {
        guard ConsoleUser.isValidName(name) else { return "a user name is 1–64 letters, digits, '.', '_' or '-'" }
        guard let role = ConsoleRole(rawValue: role) else { return "role must be viewer, analyst or admin" }
        if let problem = Passwords.problem(password) { return problem }
        let hash = try await Passwords.hash(password, cost: state.options.bcryptCost)
        let user = ConsoleUser(name: name, role: role, passwordHash: hash, createdAt: .now)
        guard try await state.store.addUser(user) else { return "there is already a user of that name" }
        await state.audit(context, user: session.user, action: "user_add", target: name, detail: "role " + role.rawValue)
        return nil
    }

    func remove(name: String, by session: ConsoleSession, context: ConsoleContext) async throws -> String? {
        guard name != session.user else { return "you cannot remove yourself" }
        guard try await state.store.removeUser(named: name) else { return "no such user" }
        await state.sessions.remove(user: name)
        await state.audit(context, user: session.user, action: "user_remove", target: name)
        return nil
    }
}
