import ConvergeStore
import Foundation
import Hummingbird

/// `/api/events`: server-sent events announcing changes (a new asset is an `asset` event, every
/// change a `change` event), found by polling the store's change log, and new alerts (`alert`,
/// then `alerts` with the counts; see `AlertEvents`). A stream closes itself
/// after `eventStreamSeconds`; the browser reconnects with Last-Event-ID and misses nothing.
struct EventStream {
    static let batch = 200
    let store: any ConsoleStore
    let options: ConsoleOptions

    func response(lastEventID: String?) -> Response {
        let store = store
        let options = options
        let resume = lastEventID.flatMap { Int64($0) }
        let body = ResponseBody { writer in
            var last: Int64
            if let resume {
                last = resume
            } else {
                var newest = ChangeQuery()
                newest.limit = 1
                last = try await store.changes(newest).first?.seq ?? 0
            }
            var alerts = try await AlertEvents.start(store)
            try await writer.write(ByteBuffer(string: "retry: 5000\n: connected\n\n"))
            let polls = max(Int(options.eventStreamSeconds / max(options.eventPollSeconds, 0.05)), 1)
            for _ in 0..<polls {
                try await Task.sleep(for: .milliseconds(Int(options.eventPollSeconds * 1000)))
                var q = ChangeQuery()
                q.afterSeq = last
                q.newestFirst = false
                q.limit = Self.batch
                let changes = try await store.changes(q)
                var text = ""
                for stored in changes {
                    text += Self.event(stored)
                    last = max(last, stored.seq)
                }
                text += try await alerts.poll(store)
                if text.isEmpty { text = ": ping\n\n" }
                try await writer.write(ByteBuffer(string: text))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: body)
    }

    /// One change as an SSE event; the JSON has no newlines, so one `data:` line carries it.
    static func event(_ stored: StoredChange) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(APIRoutes.ChangeOut(stored))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let name = stored.change.kind == .newAsset ? "asset" : "change"
        return "id: \(stored.seq)\nevent: \(name)\ndata: \(json)\n\n"
    }
}
