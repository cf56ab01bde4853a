import ConvergeModel
import Foundation
import Testing

@testable import converge

#if canImport(Glibc)
    import Glibc
#endif

/// CEF text, RFC 5424 framing, and the UDP and TCP senders against loopback receivers.
@Suite struct AlertsOutputTests {
    static let alert = Alert(
        id: "baseline.write_out_of_range:10.0.0.9>10.0.0.5/modbus/holding_register/40",
        rule: "baseline.write_out_of_range", title: "Write outside | the learned range \\ now",
        severity: .high, techniques: ["T0836", "T0831"], tactics: ["TA0106"], assets: ["10.0.0.9", "10.0.0.5"],
        firstSeen: Timestamp(nanoseconds: 1_700_000_000_123_000_000),
        lastSeen: Timestamp(nanoseconds: 1_700_000_005_456_000_000), count: 3,
        fields: ["value": "9999", "tag": "a=b"],
        evidence: [Alert.EvidenceFrame(capture: "/cap/plant.pcap", frame: 77)],
        description: "10.0.0.9 wrote 9999 to holding register 40 of 10.0.0.5; learned range 0–120")

    @Test func headerEscapesPipesAndBackslashes() {
        #expect(CEF.header("a|b\\c") == "a\\|b\\\\c")
        #expect(CEF.header("line\r\nbreak\nhere") == "line break here")
    }

    @Test func extensionValuesEscapeEqualsBackslashAndLineBreaks() {
        #expect(CEF.value("k=v") == "k\\=v")
        #expect(CEF.value("a\\b") == "a\\\\b")
        #expect(CEF.value("one\ntwo\rthree") == "one\\ntwo\\rthree")
        #expect(CEF.value("pipes|stay") == "pipes|stay")
        // Text from the wire cannot forge a key: ' act=blocked' stays inside the value.
        #expect(CEF.value("x act=blocked") == "x act\\=blocked")
        #expect(CEF.value(String(repeating: "x", count: 5_000)).count == CEF.maxValueLength)
    }

    @Test func aLineHasSevenHeaderFieldsAndTheAlertsValues() {
        let line = CEF.line(Self.alert)
        #expect(
            line.hasPrefix(
                "CEF:0|Converge|Converge|\(CEF.version)|baseline.write_out_of_range|"
                    + "Write outside \\| the learned range \\\\ now|8|"
            ))
        #expect(line.contains(" src=10.0.0.9 dst=10.0.0.5 "))
        #expect(line.contains("rt=1700000005456 start=1700000000123 end=1700000005456 cnt=3"))
        #expect(line.contains("cs1=T0836,T0831"))
        #expect(line.contains("cs4=tag\\=a\\=b; value\\=9999"))
        #expect(line.contains("cs5=/cap/plant.pcap#77"))
        #expect(!line.contains("\n"))
        // Unescaped pipes: exactly the seven that end the header fields.
        var unescaped = 0
        var escaped = false
        for c in line {
            if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "|" { unescaped += 1 }
        }
        #expect(unescaped == 7)
    }

    @Test func syslogFramingIsRFC5424() {
        let message = Syslog.message("CEF:0|x", alert: Self.alert, host: "sensor-1")
        // Facility 4 × 8 + severity 3 (error, for high).
        #expect(message.hasPrefix("<35>1 2023-11-14T22:13:25.456Z sensor-1 converge "))
        #expect(message.hasSuffix(" alert - CEF:0|x"))
        #expect(Syslog.octetCounted("héllo") == Array("6 héllo".utf8))
    }

    @Test func targetsParse() {
        #expect(SyslogTarget("siem.local:514") == SyslogTarget(host: "siem.local", port: 514))
        #expect(SyslogTarget("[::1]:6514") == SyslogTarget(host: "::1", port: 6514))
        #expect(SyslogTarget("siem.local") == nil)
        #expect(SyslogTarget("siem.local:0") == nil)
        #expect(SyslogTarget("siem.local:99999") == nil)
        #expect(SyslogTarget(":514") == nil)
    }

    @Test func udpReceiverGetsOneDatagramPerAlert() throws {
        let (fd, port) = try Self.listen(tcp: false)
        defer { close(fd) }
        let messages = [Self.alert, Self.alert].map { Syslog.message(CEF.line($0), alert: $0) }
        try SyslogSender.send(messages, to: SyslogTarget(host: "127.0.0.1", port: port), tcp: false)
        for expected in messages {
            var buffer = [UInt8](repeating: 0, count: 70_000)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            #expect(n > 0)
            #expect(String(decoding: buffer.prefix(max(0, n)), as: UTF8.self) == expected)
        }
    }

    @Test func tcpReceiverGetsOctetCountedMessages() throws {
        let (fd, port) = try Self.listen(tcp: true)
        defer { close(fd) }
        let messages = [Self.alert, Self.alert].map { Syslog.message(CEF.line($0), alert: $0) }
        // The kernel completes the connection into the backlog; the data waits in its buffer.
        try SyslogSender.send(messages, to: SyslogTarget(host: "127.0.0.1", port: port), tcp: true)
        let peer = accept(fd, nil, nil)
        #expect(peer >= 0)
        defer { close(peer) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(peer, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer.prefix(n)
        }
        #expect(received == messages.flatMap(Syslog.octetCounted))
    }

    @Test func anUnreachableTCPReceiverIsAnError() throws {
        let (fd, port) = try Self.listen(tcp: true)
        close(fd)  // nothing listens there any more
        #expect(throws: SyslogError.self) {
            try SyslogSender.send(["x"], to: SyslogTarget(host: "127.0.0.1", port: port), tcp: true)
        }
    }

    /// A loopback socket on a free port (listening, for TCP), with its port.
    static func listen(tcp: Bool) throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SyslogError(description: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw SyslogError(description: "bind") }
        if tcp { _ = Glibc.listen(fd, 8) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}
