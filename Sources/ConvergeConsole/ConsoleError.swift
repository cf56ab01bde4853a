import Foundation
import Hummingbird

/// An error a route means to show: its status and a message safe to send.
struct ConsoleError: Error {
    let status: HTTPResponse.Status
    let message: String
    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// Turns every error into a response: JSON `{"error": "..."}` under /api, a small escaped page
/// elsewhere. Anything unexpected is logged and answered with a bare 500: never a stack trace.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ConsoleError {
            return Self.response(error.status, error.message, api: Self.isAPI(request))
        } catch let error as HTTPError {
            let message = error.status == .notFound ? "not found" : (error.body ?? error.status.reasonPhrase)
            return Self.response(error.status, message, api: Self.isAPI(request))
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            return Self.response(.internalServerError, "internal error", api: Self.isAPI(request))
        }
    }

    static func isAPI(_ request: Request) -> Bool { request.uri.path.hasPrefix("/api/") }

    static func response(_ status: HTTPResponse.Status, _ message: String, api: Bool) -> Response {
        if api { return JSONOut.response(["error": message], status: status) }
        var page = HTMLBuilder()
        page.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        page.text("\(status.code) \(status.reasonPhrase)")
        page.raw("</title><link rel=\"stylesheet\" href=\"/static/console.css\"></head><body><main><h1>")
        page.text("\(status.code) \(status.reasonPhrase)")
        page.raw("</h1><p>")
        page.text(message)
        page.raw("</p><p><a href=\"/\">Overview</a></p></main></body></html>")
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page.html)))
    }
}

/// JSON responses, keys sorted so output is stable.
enum JSONOut {
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{\"error\":\"cannot encode\"}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
