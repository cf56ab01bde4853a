import ConvergeModel
import ConvergeWire

/// SSDP (UPnP Device Architecture 2.0 §1) on UDP 1900: HTTP-formatted datagrams. Devices announce
/// themselves with NOTIFY (NT device or service type, USN, LOCATION of their description, SERVER
/// "OS/version UPnP/x product/version"), control points search with M-SEARCH (ST), devices answer
/// with `HTTP/1.1 200 OK` unicast.
///
/// `parse` reads the start line and finds the headers it wants (SERVER, NT, NTS, ST, USN, LOCATION,
/// USER-AGENT) by offset, comparing names without building strings.
///
/// Counted function: `method` codes for requests (NOTIFY 1, M-SEARCH 2, any other method 3;
/// Wireshark's `http.request.method`) and the status code for responses (`http.response.code`).
public enum SSDP: Dissector {
    public typealias Parsed = Frame

    public static let notifyCode = 1
    public static let searchCode = 2
    public static let otherMethodCode = 3
    /// Headers looked at per message; more are flagged `tooManyHeaders` and skipped.
    public static let maxHeaders = 64
    /// A header value is cut to this many bytes in events and facts.
    public static let maxValueLength = 255

    static let notifyPrefix = Array("NOTIFY ".utf8)
    static let searchPrefix = Array("M-SEARCH ".utf8)
    static let responsePrefix = Array("HTTP/1.".utf8)

    public static var name: String { "ssdp" }
    public static var portHints: PortHints { PortHints(udp: [1900]) }
    public static func makeState() -> State { State() }

    /// No pairing: searches go to the group and answers come back unicast on other flows.
    public struct State: Sendable {
        public init() {}
    }

    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        startsWith(bytes, notifyPrefix) || startsWith(bytes, searchPrefix) || startsWith(bytes, responsePrefix)
            ? .match : .reject
    }

    /// Takes the datagram. A start line that is neither a request (`METHOD target HTTP/x`) nor a
    /// status line is `.malformed`; headers that do not end in CRLF or run out are flagged.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard let lineEnd = lineEnd(bytes, from: 0) else { throw .malformed("ssdp: no start line") }
        var frame = Frame(direction: direction)
        if startsWith(bytes, responsePrefix) {
            // "HTTP/1.1 200 OK": three digits after the first space.
            guard let space = index(of: 0x20, in: bytes, from: 0, to: lineEnd), space &+ 4 <= lineEnd,
                let status = digits(bytes, from: space &+ 1, count: 3)
            else { throw .malformed("ssdp: bad status line") }
            frame.code = UInt16(status)
            frame.isResponse = true
        } else if startsWith(bytes, notifyPrefix) {
            frame.code = UInt16(notifyCode)
        } else if startsWith(bytes, searchPrefix) {
            frame.code = UInt16(searchCode)
        } else {
            guard isRequestLine(bytes, end: lineEnd) else { throw .malformed("ssdp: bad request line") }
            frame.code = UInt16(otherMethodCode)
        }
        readHeaders(bytes, from: lineEnd, frame: &frame)
        return (frame, bytes.count)
    }
}
