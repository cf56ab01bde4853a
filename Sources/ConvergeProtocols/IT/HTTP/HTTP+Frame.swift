import ConvergeModel

extension HTTP {
    /// Where a header value (or the URI, or the reason phrase) sits in the bytes given to `parse`.
    public struct Field: Sendable, Equatable {
        public var start: Int32 = 0
        public var length: Int32 = -1
        public var isPresent: Bool { length >= 0 }
        init() {}
        init(_ start: Int, _ end: Int) {
            self.start = Int32(truncatingIfNeeded: start)
            self.length = Int32(truncatingIfNeeded: max(0, end &- start))
        }
    }

    /// Request methods, numbered for counting (the function code of a request). Responses are
    /// counted by their status code (100–599), which never collides with these.
    public enum Method: UInt8, Sendable, CaseIterable {
        case get = 1
        case post, head, put, delete, options, connect, trace, patch
        /// Any other token (WebDAV, custom): counted under 15.
        case other = 15

        public var token: String {
            switch self {
            case .get: "GET"
            case .post: "POST"
            case .head: "HEAD"
            case .put: "PUT"
            case .delete: "DELETE"
            case .options: "OPTIONS"
            case .connect: "CONNECT"
            case .trace: "TRACE"
            case .patch: "PATCH"
            case .other: "OTHER"
            }
        }

        public var operation: Operation {
            switch self {
            case .get, .head, .options: .read
            case .post, .put, .delete, .patch: .write
            case .connect: .session
            case .trace: .diagnostic
            case .other: .other
            }
        }
    }

    /// The scheme of an Authorization header (the credential itself is never kept).
    public enum AuthScheme: UInt8, Sendable {
        case none, basic, digest, ntlm, negotiate, bearer, other

        public var name: String {
            switch self {
            case .none: "none"
            case .basic: "basic"
            case .digest: "digest"
            case .ntlm: "ntlm"
            case .negotiate: "negotiate"
            case .bearer: "bearer"
            case .other: "other"
            }
        }
    }

    /// One `parse` result: a request or response head (with as much of its body as the bytes
    /// held, skipped), or a further piece of a body.
    public struct Frame: ParsedMessage, Sendable, Equatable {
        public enum Kind: UInt8, Sendable { case request, response, body }

        public var kind: Kind
        public var direction: Direction
        public var method = Method.other
        /// Response status code (0 for requests).
        public var status: UInt16 = 0
        /// HTTP/1.0 → 0, HTTP/1.1 → 1.
        public var minorVersion: UInt8 = 1
        /// Bytes of the start line and headers, blank line included.
        public var headLength: Int32 = 0
        /// Body bytes this frame skipped.
        public var bodyBytes: Int32 = 0
        public var methodToken = Field()
        public var uri = Field()
        public var reason = Field()
        public var host = Field()
        public var userAgent = Field()
        public var server = Field()
        public var contentType = Field()
        public var authenticate = Field()
        public var authScheme = AuthScheme.none
        /// For a response: the method of the request it answers (pipelined requests in order).
        public var requestMethod: Method?
        public var anomalies = Anomalies()

        public var functionCode: Int { kind == .response ? Int(status) : Int(method.rawValue) }
        public var hasFunction: Bool { kind != .body }
        /// Body bytes are stepped over, not messages.
        public var isMessage: Bool { kind != .body }

        init(kind: Kind, direction: Direction) {
            self.kind = kind
            self.direction = direction
        }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Basic credentials sent without TLS (the credential is not kept).
        public static let cleartextCredentials = Anomalies(rawValue: 1 << 0)
        /// Both Content-Length and chunked, or two different Content-Lengths (smuggling pattern).
        public static let conflictingLength = Anomalies(rawValue: 1 << 1)
        /// A Content-Length that is not a decimal number.
        public static let invalidContentLength = Anomalies(rawValue: 1 << 2)
        /// More than `maxHeaderLines` header lines: the rest were not read.
        public static let tooManyHeaders = Anomalies(rawValue: 1 << 3)
        /// A chunk-size line that is not hexadecimal, or chunk data not followed by CR LF.
        public static let invalidChunk = Anomalies(rawValue: 1 << 4)
        /// A response with no request pending.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 5)
        /// A request line whose method is not a standard token.
        public static let unknownMethod = Anomalies(rawValue: 1 << 6)
        /// A header line without a colon.
        public static let malformedHeader = Anomalies(rawValue: 1 << 7)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.cleartextCredentials, "http.cleartext_credentials"),
            (.conflictingLength, "http.conflicting_length"),
            (.invalidContentLength, "http.invalid_content_length"),
            (.tooManyHeaders, "http.too_many_headers"),
            (.invalidChunk, "http.invalid_chunk"),
            (.unsolicitedResponse, "http.unsolicited_response"),
            (.unknownMethod, "http.unknown_method"),
            (.malformedHeader, "http.malformed_header"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
