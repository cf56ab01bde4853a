import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct SyslogTests {
    static let sender = Endpoint(address: IPAddress(v4: 0x0a00_0007), port: 40_000)
    static let collector = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 514)
    static let context = MessageContext(time: Timestamp(nanoseconds: 0), flowID: 1, client: sender,
                                        server: collector, direction: .toServer)

    static func parse<D: Dissector>(_ dissector: D.Type, _ text: String) -> Result<(D.Parsed, Int), DissectError>
    where D.State == Syslog.State {
        parse(D.self, Array(text.utf8))
    }

    static func parse<D: Dissector>(_ dissector: D.Type, _ bytes: [UInt8]) -> Result<(D.Parsed, Int), DissectError>
    where D.State == Syslog.State {
        var state = Syslog.State()
        do throws(DissectError) {
            let parsed = try D.parse(bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
            return .success((parsed.message, parsed.consumed))
        } catch {
            return .failure(error)
        }
    }

    static func event(_ text: String) throws -> (Syslog.Message, Message, [AssetFact]) {
        let bytes = Array(text.utf8)
        guard case .success(let parsed) = parse(Syslog.self, bytes) else { throw DissectError.malformed("test") }
        var state = Syslog.State()
        return (parsed.0, Syslog.event(parsed.0, bytes: bytes.span, context: context, state: &state),
                Syslog.facts(parsed.0, bytes: bytes.span, context: context, state: state))
    }

    static func target(_ event: Message, _ kind: String) -> Message.Target? {
        event.targets.first { $0.kind == kind }
    }

    @Test func rfc3164() throws {
        // PRI 38 = auth (4) × 8 + informational (6).
        let (message, event, facts) = try Self.event("<38>Oct  9 22:33:20 plc-gw sshd[4721]: Accepted publickey")
        #expect(message.priority == 38 && message.functionCode == 6 && message.facility == 4 && message.version == 0)
        #expect(event.functionName == "informational" && event.operation == .other)
        #expect(Self.target(event, "facility")?.name == "auth" && Self.target(event, "facility")?.address == 4)
        #expect(Self.target(event, "hostname")?.name == "plc-gw")
        #expect(Self.target(event, "app_name")?.name == "sshd" && Self.target(event, "app_name")?.value == "4721")
        #expect(Self.target(event, "timestamp")?.value == "Oct  9 22:33:20")
        #expect(Self.target(event, "text")?.value == "Accepted publickey")
        #expect(facts.map(\.value) == ["plc-gw", "sshd"] && facts.map(\.kind) == [.hostname, .software])
        #expect(facts.allSatisfy { $0.address == Self.sender.address })
    }

    @Test func rfc3164WithoutHostnameOrTimestamp() throws {
        let (_, noHost, facts) = try Self.event("<13>Nov 27 08:01:45 cron[12]: job done")
        #expect(Self.target(noHost, "hostname") == nil && Self.target(noHost, "app_name")?.name == "cron")
        #expect(facts.map(\.kind) == [.software])
        let (bare, plain, _) = try Self.event("<165>just text")
        #expect(bare.functionCode == 5 && Self.target(plain, "text")?.value == "just text")
        #expect(Self.target(plain, "facility")?.name == "local4")
    }

    @Test func rfc5424() throws {
        let line = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 77 ID47 "
            + "[exampleSDID@32473 iut=\"3\" eventID=\"1011\" x=\"a\\]b\"][b@1 c=\"d\"] An application event"
        let (message, event, facts) = try Self.event(line)
        #expect(message.version == 1 && message.functionCode == 5 && message.anomalies.isEmpty)
        #expect(Self.target(event, "hostname")?.name == "mymachine.example.com")
        #expect(Self.target(event, "app_name")?.name == "evntslog" && Self.target(event, "app_name")?.value == "77")
        #expect(Self.target(event, "msgid")?.name == "ID47")
        #expect(Self.target(event, "timestamp")?.value == "2003-10-11T22:14:15.003Z")
        #expect(Self.target(event, "text")?.value == "An application event")
        #expect(facts.map(\.value) == ["mymachine.example.com", "evntslog"])
        let (nils, nilEvent, nilFacts) = try Self.event("<14>1 - - - - - -")
        #expect(nils.hostname.isEmpty && nils.appName.isEmpty && nilFacts.isEmpty && nils.anomalies.isEmpty)
        #expect(Self.target(nilEvent, "text")?.value == "")
    }

    @Test func badHeadersAndPriorities() throws {
        let (short, _, _) = try Self.event("<14>1 2003-10-11T22:14:15Z host")
        #expect(short.anomalies.contains(.badHeader))
        let (open, _, _) = try Self.event("<14>1 - h a p m [unterminated x=\"y\"")
        #expect(open.anomalies.contains(.badHeader))
        let (none, event, _) = try Self.event("no priority at all")
        #expect(!none.hasFunction && none.anomalies.contains(.noPriority) && event.functionName == "no_priority")
        let (high, _, _) = try Self.event("<999>text")
        #expect(!high.hasFunction && high.anomalies.contains(.badPriority))
        let control = "<14>Nov 27 08:01:45 h\u{01}st app: a\u{07}b"
        let (_, odd, oddFacts) = try Self.event(control)
        #expect(Self.target(odd, "hostname")?.name == "h\u{FFFD}st" && oddFacts.map(\.kind) == [.software])
    }

    @Test func longTextIsCapped() throws {
        let (_, event, _) = try Self.event("<14>" + String(repeating: "x", count: 5000))
        #expect(Self.target(event, "text")?.value?.count == Syslog.maxTextLength)
    }

    @Test func probe() {
        #expect(Syslog.probe(Array("<34>Oct".utf8).span, direction: .toServer) == .match)
        #expect(Syslog.probe(Array("<3".utf8).span, direction: .toServer) == .needMore)
        #expect(Syslog.probe(Array("<300>x".utf8).span, direction: .toServer) == .reject)
        #expect(Syslog.probe(Array("GET /".utf8).span, direction: .toServer) == .reject)
        #expect(SyslogTCP.probe(Array("12 <13>hello wo".utf8).span, direction: .toServer) == .match)
        #expect(SyslogTCP.probe(Array("12".utf8).span, direction: .toServer) == .needMore)
        #expect(SyslogTCP.probe(Array("12x".utf8).span, direction: .toServer) == .reject)
        #expect(SyslogTCP.probe(Array("<13>a\n".utf8).span, direction: .toClient) == .reject)
    }

    @Test func tcpFraming() {
        let two = Array("10 <13>hello!<14>a b: line\n".utf8)
        guard case .success(let first) = Self.parse(SyslogTCP.self, two) else {
            Issue.record("octet-counted frame")
            return
        }
        #expect(first.1 == 13 && first.0.functionCode == 5)
        guard case .success(let second) = Self.parse(SyslogTCP.self, Array(two[13...])) else {
            Issue.record("newline-framed message")
            return
        }
        #expect(second.1 == two.count - 13 && second.0.functionCode == 6)
        // Every prefix of either framing waits for more.
        for cut in 0..<13 {
            guard case .failure(.needMore(let n)) = Self.parse(SyslogTCP.self, Array(two.prefix(cut))) else {
                Issue.record("octet-counted prefix \(cut) did not ask for more")
                continue
            }
            #expect(n > cut)
        }
        let line = Array(two[13...])
        for cut in 0..<(line.count - 1) {
            guard case .failure(.needMore(let n)) = Self.parse(SyslogTCP.self, Array(line.prefix(cut))) else {
                Issue.record("line prefix \(cut) did not ask for more")
                continue
            }
            #expect(n > cut)
        }
        guard case .failure(.malformed) = Self.parse(SyslogTCP.self, Array("99999999 <1>".utf8)) else {
            Issue.record("oversized count accepted")
            return
        }
        guard case .failure(.malformed) = Self.parse(SyslogTCP.self, Array("0 <1>".utf8)) else {
            Issue.record("zero count accepted")
            return
        }
        let long = [UInt8](repeating: 0x41, count: SyslogTCP.maxFrameLength + 10)
        guard case .success(let cut) = Self.parse(SyslogTCP.self, long) else {
            Issue.record("over-long line not cut")
            return
        }
        #expect(cut.1 == SyslogTCP.maxFrameLength && cut.0.anomalies.contains(.truncated))
        #expect(SyslogTCP.resynchronize(Array("junk\n<13>x".utf8).span, direction: .toServer) == 5)
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 514)
        let alphabet = Array("<>0123456789 -[]\"\\:\nabcNov".utf8)
        for round in 0..<3000 {
            let bytes = (0..<Int.random(in: 0..<120, using: &generator)).map { _ in
                round % 2 == 0
                    ? alphabet.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
            }
            var state = Syslog.State()
            for tcp in [false, true] {
                do throws(DissectError) {
                    let parsed = tcp
                        ? try SyslogTCP.parse(bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0),
                                              state: &state)
                        : try Syslog.parse(bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0),
                                           state: &state)
                    #expect(parsed.consumed > 0 && parsed.consumed <= bytes.count)
                    _ = Syslog.event(parsed.message, bytes: bytes.span, context: Self.context, state: &state)
                    _ = Syslog.facts(parsed.message, bytes: bytes.span, context: Self.context, state: state)
                } catch {}
            }
            _ = Syslog.probe(bytes.span, direction: .toServer)
            _ = SyslogTCP.probe(bytes.span, direction: .toServer)
            _ = SyslogTCP.resynchronize(bytes.span, direction: .toServer)
        }
    }

    @Test func captureCountsEqualTshark() throws {
        let folder = ITUDPCaptureHarness.fixtures("syslog")
        let golden = try String(contentsOf: folder.appendingPathComponent("syslog-logger.tshark.txt"), encoding: .utf8)
        var levels: [Int: Int] = [:], facilities: [Int: Int] = [:]
        for line in golden.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let code = Int(fields[1]), let count = Int(fields[2]) else { continue }
            if fields[0] == "function" { levels[code] = count } else { facilities[code] = count }
        }
        let pcap = folder.appendingPathComponent("syslog-logger.pcap")
        let udp = ITUDPCaptureHarness.run(Syslog.self, url: pcap, ports: [514])
        let tcp514 = ITRemoteCaptureRunner<SyslogTCP>(ports: [514]).run(path: pcap.path)
        var ours = udp.functions
        for (code, count) in tcp514.functions { ours[code, default: 0] += count }
        #expect(!levels.isEmpty && ours == levels && udp.malformed == 0 && tcp514.malformed == 0)
        var ourFacilities: [Int: Int] = [:]
        for message in udp.parsed { ourFacilities[message.facility, default: 0] += 1 }
        for event in tcp514.messages {
            if let facility = event.targets.first(where: { $0.kind == "facility" }) {
                ourFacilities[facility.address, default: 0] += 1
            }
        }
        #expect(ourFacilities == facilities)
        // TCP 601, octet-counted, which tshark does not dissect: local3.notice and syslog.info.
        let tcp601 = ITRemoteCaptureRunner<SyslogTCP>(ports: [601]).run(path: pcap.path)
        #expect(tcp601.functions == [5: 1, 6: 1] && tcp601.malformed == 0)
        let apps = (udp.facts + tcp514.facts + tcp601.facts).filter { $0.kind == .software }.map(\.value)
        #expect(apps == ["sshd", "plc-gw", "ntpd", "kernel", "app", "scada", "postfix", "auditd", "historian",
                         "rsyslogd"])
        #expect((udp.facts + tcp601.facts).filter { $0.kind == .hostname }.count == 8)
        #expect(udp.events.compactMap { Self.target($0, "msgid")?.name } == ["SYNC"])
    }
}
