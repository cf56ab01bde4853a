import ConvergeModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// RFC 5424 syslog framing for alerts: `<PRI>1 TIMESTAMP HOST converge PID alert - MSG`.
enum Syslog {
    /// Facility 4 (security/authorization messages).
    static let facility = 4
    static let appName = "converge"

    static func message(_ text: String, alert: Alert, host: String = hostName) -> String {
        let pri = facility * 8 + severity(alert.severity)
        let time = AlertTable.time(alert.lastSeen)
        return "<\(pri)>1 \(time) \(host) \(appName) \(ProcessInfo.processInfo.processIdentifier) alert - \(text)"
    }

    /// Syslog severities: critical 2, error 3, warning 4, notice 5, informational 6.
    static func severity(_ s: Alert.Severity) -> Int {
        switch s {
        case .critical: 2
        case .high: 3
        case .medium: 4
        case .low: 5
        case .info: 6
        }
    }

    /// The host name as RFC 5424 allows it (printable US-ASCII, at most 255), or `-`.
    static var hostName: String {
        let name = String(
            ProcessInfo.processInfo.hostName.unicodeScalars.filter { $0.value > 32 && $0.value < 127 }.prefix(255))
        return name.isEmpty ? "-" : name
    }

    /// RFC 6587 octet counting: the message's length in bytes, a space, the message.
    static func octetCounted(_ message: String) -> [UInt8] {
        Array("\(message.utf8.count) ".utf8) + Array(message.utf8)
    }
}

/// `HOST:PORT`, `[IPv6]:PORT`.
struct SyslogTarget: Equatable {
    var host: String
    var port: UInt16

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace }) else { return nil }
        self.host = host
        self.port = port
    }
}

struct SyslogError: Error, CustomStringConvertible {
    var description: String
}

/// Sends syslog messages over UDP (one datagram each) or TCP (octet-counted, one connection).
enum SyslogSender {
    /// The largest datagram sent; a longer message is cut (CEF values are capped well below it).
    static let maxDatagram = 65_000

    static func send(_ messages: [String], to target: SyslogTarget, tcp: Bool) throws {
        let fd = try connect(target, tcp: tcp)
        defer { close(fd) }
        for message in messages {
            if tcp {
                try writeAll(fd, Syslog.octetCounted(message), target)
            } else {
                let bytes = Array(message.utf8.prefix(maxDatagram))
                let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
                if sent < 0 { throw SyslogError(description: "syslog \(target.host):\(target.port): \(errorText())") }
            }
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ target: SyslogTarget) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SyslogError(description: "syslog \(target.host):\(target.port): \(errorText())")
            }
            offset += n
        }
    }

    private static func connect(_ target: SyslogTarget, tcp: Bool) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw SyslogError(description: "syslog \(target.host):\(target.port): \(reason)")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            next = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else {
                lastError = errorText()
                continue
            }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            lastError = errorText()
            close(fd)
        }
        throw SyslogError(description: "syslog \(target.host):\(target.port): \(lastError)")
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
