import ConvergeConsole
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A logged-in user in a router test: the session cookie and the CSRF token.
struct Login {
    var cookie: String
    var csrf: String

    var headers: HTTPFields { [.cookie: cookie] }
    var csrfHeaders: HTTPFields { [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf] }
}

extension TestClientProtocol {
    func login(_ user: String, password: String = ConsoleFixtures.password) async throws -> Login {
        let form = "username=\(user)&password=\(password.replacingOccurrences(of: " ", with: "+"))"
        let setCookie = try await execute(
            uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form)
        ) { response in
            #expect(response.status == .seeOther)
            return response.headers[.setCookie] ?? ""
        }
        let cookie = String(setCookie.split(separator: ";").first ?? "")
        #expect(cookie.hasPrefix("converge_session="))
        let csrf = try await execute(uri: "/api/me", method: .get, headers: [.cookie: cookie]) { response in
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
            return json?["csrf"] ?? ""
        }
        return Login(cookie: cookie, csrf: csrf)
    }
}

/// The body as text.
func text(_ response: TestResponse) -> String { String(buffer: response.body) }

func json(_ response: TestResponse) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
}

/// A console application over a store, for `app.test(.router)`.
func consoleApp(_ store: any ConsoleStore, options: ConsoleOptions = ConsoleOptions()) -> some ApplicationProtocol {
    Application(router: Console.buildRouter(store: store, options: options))
}
