import ConvergeModel
import ConvergeWire

extension HTTP {
    /// The start line and headers of one message.
    enum Head {
        static func parse(
            _ bytes: Span<UInt8>, direction: Direction, state: inout State
        ) throws(DissectError) -> (message: Frame, consumed: Int) {
            guard let end = headEnd(bytes) else {
                if bytes.count >= maxHeadLength {
                    throw .malformed("http: no end of headers in \(maxHeadLength) bytes")
                }
                // A stream that is not HTTP at all is malformed as soon as its first bytes show it.
                if probe(bytes, direction: direction) == .reject { throw .malformed("http: not a start line") }
                throw .needMore(bytes.count &+ 1)
            }
            let head = bytes.extracting(0..<end)
            var frame = Frame(kind: direction == .toServer ? .request : .response, direction: direction)
            frame.headLength = Int32(end)
            let firstLineEnd = lineEnd(head, from: 0) ?? end
            if direction == .toServer {
                try requestLine(head, end: firstLineEnd, frame: &frame)
            } else {
                try statusLine(head, end: firstLineEnd, frame: &frame)
            }
            var framing = Framing()
            headers(head, from: firstLineEnd, frame: &frame, framing: &framing)
            if frame.kind == .request {
                state.push(frame.method)
            } else if frame.status >= 200 || frame.status == 101 {
                // 1xx interim responses (other than 101) leave the request waiting for its final answer.
                frame.requestMethod = state.pop()
                if frame.requestMethod == nil { frame.anomalies.insert(.unsolicitedResponse) }
            }
            if direction == .toServer {
                setBody(&state.client, frame: frame, framing: framing)
                return try Body.skip(bytes, direction: direction, lane: &state.client, from: end, frame: frame)
            }
            setBody(&state.server, frame: frame, framing: framing)
            if frame.status == 101 || (frame.requestMethod == .connect && frame.status >= 200 && frame.status < 300) {
                // A tunnel or a switched protocol: the client's bytes from here on are not HTTP either.
                state.client.body = .untilClose
            }
            return try Body.skip(bytes, direction: direction, lane: &state.server, from: end, frame: frame)
        }

        /// What the headers say about the body.
        struct Framing {
            var contentLength: Int64 = -1
            var chunked = false
            var upgrade = false
        }

        /// RFC 9112 6.3: the body length from the message kind, status, method and headers.
        static func setBody(_ lane: inout Lane, frame: Frame, framing: Framing) {
            lane.remaining = 0
            lane.chunk = .size
            if frame.kind == .response {
                let status = frame.status
                if status < 200 && status != 101 || status == 204 || status == 304 || frame.requestMethod == .head {
                    lane.body = .none
                    return
                }
                if status == 101 || (frame.requestMethod == .connect && status < 300) {
                    lane.body = .untilClose
                    return
                }
            }
            if framing.chunked {
                lane.body = .chunked
            } else if framing.contentLength > 0 {
                lane.body = .length
                lane.remaining = framing.contentLength
            } else if framing.contentLength == 0 || frame.kind == .request {
                lane.body = .none
            } else {
                lane.body = .untilClose
            }
        }

        /// Offset just past the blank line ending the head (CRLFCRLF or bare LFLF), or nil.
        static func headEnd(_ bytes: Span<UInt8>) -> Int? {
            let limit = min(bytes.count, maxHeadLength)
            var index = 0
            while let newline = bytes.firstIndex(of: 0x0a, from: index, to: limit) {
                if newline &+ 1 < bytes.count, bytes[newline &+ 1] == 0x0a { return newline &+ 2 }
                if newline &+ 2 < bytes.count, bytes[newline &+ 1] == 0x0d, bytes[newline &+ 2] == 0x0a {
                    return newline &+ 3
                }
                index = newline &+ 1
            }
            return nil
        }

        /// Offset just past the LF of the line starting at `from`.
        static func lineEnd(_ bytes: Span<UInt8>, from: Int) -> Int? {
            bytes.firstIndex(of: 0x0a, from: from, to: bytes.count).map { $0 &+ 1 }
        }

        /// The end of a line's content (before CR LF).
        static func contentEnd(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) -> Int {
            var stop = end
            while stop > start, bytes[stop &- 1] == 0x0a || bytes[stop &- 1] == 0x0d { stop &-= 1 }
            return stop
        }

        static func requestLine(_ head: Span<UInt8>, end: Int, frame: inout Frame) throws(DissectError) {
            let stop = contentEnd(head, 0, end)
            guard let space = index(of: 0x20, in: head, 0, stop), space > 0 else {
                throw .malformed("http: request line without a method")
            }
            frame.methodToken = Field(0, space)
            frame.method = .other
            for (method, token) in methodTokens where token.count == space && prefixMatch(head, at: 0, token) == .match
            {
                frame.method = method
                break
            }
            if frame.method == .other {
                // Any token of visible characters is a method (RFC 9110 9.1); others are not HTTP.
                for index in 0..<space where !isTokenCharacter(head[index]) {
                    throw .malformed("http: method is not a token")
                }
                frame.anomalies.insert(.unknownMethod)
            }
            let uriStart = space &+ 1
            let uriEnd = lastIndex(of: 0x20, in: head, uriStart, stop) ?? stop
            frame.uri = Field(uriStart, uriEnd)
            if uriEnd < stop, prefixMatch(head, at: uriEnd &+ 1, versionPrefix) == .match,
                let minor = head.byte(at: uriEnd &+ 8)
            {
                frame.minorVersion = minor &- 0x30
            } else {
                frame.minorVersion = 0  // HTTP/0.9-style or broken: treated as 1.0
            }
        }

        static func statusLine(_ head: Span<UInt8>, end: Int, frame: inout Frame) throws(DissectError) {
            guard prefixMatch(head, at: 0, versionPrefix) == .match, let minor = head.byte(at: 7),
                head.byte(at: 8) == 0x20
            else { throw .malformed("http: status line does not start with HTTP/1.x") }
            var status: UInt16 = 0
            for index in 9..<12 {
                guard let digit = head.byte(at: index), digit >= 0x30, digit <= 0x39 else {
                    throw .malformed("http: status code is not three digits")
                }
                status = status &* 10 &+ UInt16(digit &- 0x30)
            }
            guard status >= 100, status <= 599 else { throw .malformed("http: status \(status)") }
            frame.status = status
            frame.minorVersion = minor &- 0x30
            let stop = contentEnd(head, 0, end)
            frame.reason = Field(min(13, stop), stop)
        }

        /// Reads the headers the events need, and the body framing, from lines after the start line.
        static func headers(_ head: Span<UInt8>, from start: Int, frame: inout Frame, framing: inout Framing) {
            var lineStart = start
            var lines = 0
            while lineStart < head.count, let end = lineEnd(head, from: lineStart) {
                let stop = contentEnd(head, lineStart, end)
                defer { lineStart = end }
                if stop == lineStart { break }  // the blank line
                lines &+= 1
                if lines > maxHeaderLines {
                    frame.anomalies.insert(.tooManyHeaders)
                    break
                }
                guard let colon = index(of: 0x3a, in: head, lineStart, stop) else {
                    frame.anomalies.insert(.malformedHeader)
                    continue
                }
                var valueStart = colon &+ 1
                while valueStart < stop, head[valueStart] == 0x20 || head[valueStart] == 0x09 { valueStart &+= 1 }
                var valueEnd = stop
                while valueEnd > valueStart, head[valueEnd &- 1] == 0x20 || head[valueEnd &- 1] == 0x09 {
                    valueEnd &-= 1
                }
                header(head, name: lineStart..<colon, value: valueStart..<valueEnd, frame: &frame, framing: &framing)
            }
        }

        static func header(
            _ head: Span<UInt8>, name: Range<Int>, value: Range<Int>, frame: inout Frame, framing: inout Framing
        ) {
            let field = Field(value.lowerBound, value.upperBound)
            if equalsIgnoringCase(head, name, "host") {
                frame.host = field
            } else if equalsIgnoringCase(head, name, "user-agent") {
                frame.userAgent = field
            } else if equalsIgnoringCase(head, name, "server") {
                frame.server = field
            } else if equalsIgnoringCase(head, name, "content-type") {
                frame.contentType = field
            } else if equalsIgnoringCase(head, name, "www-authenticate") {
                if !frame.authenticate.isPresent { frame.authenticate = field }
            } else if equalsIgnoringCase(head, name, "authorization") {
                frame.authScheme = scheme(head, value)
                if frame.authScheme == .basic { frame.anomalies.insert(.cleartextCredentials) }
            } else if equalsIgnoringCase(head, name, "transfer-encoding") {
                if contains(head, value, "chunked") {
                    framing.chunked = true
                    if framing.contentLength >= 0 { frame.anomalies.insert(.conflictingLength) }
                }
            } else if equalsIgnoringCase(head, name, "content-length") {
                guard let length = decimal(head, value) else {
                    frame.anomalies.insert(.invalidContentLength)
                    return
                }
                if framing.chunked || (framing.contentLength >= 0 && framing.contentLength != length) {
                    frame.anomalies.insert(.conflictingLength)
                }
                framing.contentLength = length
            }
        }

        static func scheme(_ head: Span<UInt8>, _ value: Range<Int>) -> AuthScheme {
            let end = index(of: 0x20, in: head, value.lowerBound, value.upperBound) ?? value.upperBound
            let token = value.lowerBound..<end
            if equalsIgnoringCase(head, token, "basic") { return .basic }
            if equalsIgnoringCase(head, token, "digest") { return .digest }
            if equalsIgnoringCase(head, token, "ntlm") { return .ntlm }
            if equalsIgnoringCase(head, token, "negotiate") { return .negotiate }
            if equalsIgnoringCase(head, token, "bearer") { return .bearer }
            return .other
        }

        static func decimal(_ head: Span<UInt8>, _ value: Range<Int>) -> Int64? {
            guard !value.isEmpty, value.count <= maxLengthDigits else { return nil }
            var result: Int64 = 0
            for index in value {
                let digit = head[index]
                guard digit >= 0x30, digit <= 0x39 else { return nil }
                result = result &* 10 &+ Int64(digit &- 0x30)
            }
            return result
        }

        static func isTokenCharacter(_ byte: UInt8) -> Bool {
            byte > 0x20 && byte < 0x7f && byte != 0x28 && byte != 0x29 && byte != 0x2c && byte != 0x2f
                && byte != 0x3a && byte != 0x3b && byte != 0x3c && byte != 0x3d && byte != 0x3e && byte != 0x3f
                && byte != 0x40 && byte != 0x5b && byte != 0x5c && byte != 0x5d && byte != 0x7b && byte != 0x7d
                && byte != 0x22
        }

        static func index(of byte: UInt8, in bytes: Span<UInt8>, _ start: Int, _ end: Int) -> Int? {
            var index = start
            while index < end {
                if bytes[index] == byte { return index }
                index &+= 1
            }
            return nil
        }

        static func lastIndex(of byte: UInt8, in bytes: Span<UInt8>, _ start: Int, _ end: Int) -> Int? {
            var index = end
            while index > start {
                index &-= 1
                if bytes[index] == byte { return index }
            }
            return nil
        }

        /// ASCII case-insensitive comparison with a lowercase literal.
        static func equalsIgnoringCase(_ bytes: Span<UInt8>, _ range: Range<Int>, _ lowercase: StaticString) -> Bool {
            guard range.count == lowercase.utf8CodeUnitCount else { return false }
            let pointer = lowercase.utf8Start
            for offset in 0..<range.count where bytes[range.lowerBound &+ offset] | 0x20 != pointer[offset] {
                return false
            }
            return true
        }

        /// Whether a lowercase literal occurs in the range, ASCII case-insensitively.
        static func contains(_ bytes: Span<UInt8>, _ range: Range<Int>, _ lowercase: StaticString) -> Bool {
            let length = lowercase.utf8CodeUnitCount
            guard range.count >= length else { return false }
            for start in range.lowerBound...(range.upperBound &- length)
            where equalsIgnoringCase(bytes, start..<(start &+ length), lowercase) {
                return true
            }
            return false
        }
    }
}
