import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct FTPTests {
    static let context = MessageContext(
        time: Timestamp(nanoseconds: 0), flowID: 1, client: SMBFixtures.client, server: SMBFixtures.server,
        direction: .toServer)

    static func parse(_ text: String, _ direction: Direction, state: inout FTP.State)
        -> (FTP.Message, Message, [AssetFact])?
    {
        let bytes = Array(text.utf8)
        do throws(DissectError) {
            let (message, consumed) = try FTP.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: 0), state: &state)
            let used = Array(bytes.prefix(consumed))
            var context = Self.context
            context.direction = direction
            return (message, FTP.event(message, bytes: used.span, context: context, state: &state),
                    FTP.facts(message, bytes: used.span, context: context, state: state))
        } catch {
            return nil
        }
    }

    @Test func loginNamesUserAndFlagsPassword() throws {
        var state = FTP.makeState()
        let banner = try #require(Self.parse("220 (vsFTPd 3.0.3)\r\n", .toClient, state: &state))
        #expect(banner.0.functionCode == 220 && banner.2.first?.kind == .software && banner.2.first?.value == "(vsFTPd 3.0.3)")
        let user = try #require(Self.parse("USER operator\r\n", .toServer, state: &state))
        #expect(user.0.functionCode == 1 && user.2.map(\.value) == ["operator"] && user.2.first?.kind == .userName)
        let pass = try #require(Self.parse("PASS hunter2\r\n", .toServer, state: &state))
        #expect(pass.1.anomalies == ["cleartext_password"] && pass.1.targets.isEmpty && pass.2.isEmpty)
        #expect(!"\(pass.1)".contains("hunter2"))
        let denied = try #require(Self.parse("530 Login incorrect.\r\n", .toClient, state: &state))
        #expect(denied.1.anomalies == ["login_failed"] && denied.1.operation == .auth)
        _ = Self.parse("SYST\r\n", .toServer, state: &state)
        let syst = try #require(Self.parse("215 UNIX Type: L8\r\n", .toClient, state: &state))
        #expect(syst.2.first?.kind == .os && syst.2.first?.value == "UNIX Type: L8")
        let anonymous = try #require(Self.parse("user Anonymous\n", .toServer, state: &state))
        #expect(anonymous.1.anomalies == ["anonymous_login"] && anonymous.0.command == 1)
    }

    @Test func continuationAndUnknown() throws {
        var state = FTP.makeState()
        let middle = try #require(Self.parse(" EPSV\r\n", .toClient, state: &state))
        #expect(!middle.0.hasFunction)
        let unknown = try #require(Self.parse("XYZW a\r\n", .toServer, state: &state))
        #expect(unknown.0.functionCode == 0 && unknown.0.hasFunction && unknown.1.functionName == "unknown_command")
    }

    @Test func probes() {
        let banner = Array("220 ready\r\n".utf8), command = Array("USER x\r\n".utf8), http = Array("GET / HTTP/1.1".utf8)
        let a = FTP.probe(banner.span, direction: .toClient)
        let b = FTP.probe(command.span, direction: .toServer)
        let c = FTP.probe(Array("\u{16}\u{3}\u{1}abc".utf8).span, direction: .toServer)
        let d = FTP.probe(http.span, direction: .toClient)
        #expect(a == .match && b == .match && c == .reject && d == .reject)
    }

    @Test(arguments: ["USER operator\r\n", "220 ready\r\n", "PASS x\n"])
    func everyTruncationAsksForMore(_ line: String) {
        let bytes = Array(line.utf8)
        for cut in 0..<bytes.count {
            var state = FTP.makeState()
            let prefix = Array(bytes.prefix(cut))
            do throws(DissectError) {
                _ = try FTP.parse(prefix.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
                Issue.record("prefix \(cut) parsed")
            } catch {
                guard case .needMore(let n) = error else { Issue.record("prefix \(cut): \(error)"); continue }
                #expect(n > cut)
            }
        }
    }

    @Test func longLinesAreCut() throws {
        var state = FTP.makeState()
        let line = String(repeating: "A", count: FTP.maxLineLength + 10)
        let (message, _, _) = try #require(Self.parse(line, .toServer, state: &state))
        #expect(message.length == FTP.maxLineLength && message.anomalies.contains(.longLine))
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0..<120, using: &generator)).map { _ in
                [UInt8(0x0A), 0x0D, 0x20, 0x32, 0x35, 0x2D, 0x55, UInt8.random(in: 0...255, using: &generator)].randomElement(using: &generator) ?? 0
            }
            for direction in [Direction.toServer, .toClient] {
                var state = FTP.makeState()
                var rest = bytes[...]
                while !rest.isEmpty {
                    let chunk = Array(rest)
                    guard let (message, consumed) = try? FTP.parse(chunk.span, direction: direction, time: Timestamp(nanoseconds: 0), state: &state) else { break }
                    #expect(consumed > 0 && consumed <= chunk.count)
                    let used = Array(chunk.prefix(consumed))
                    _ = FTP.event(message, bytes: used.span, context: Self.context, state: &state)
                    _ = FTP.facts(message, bytes: used.span, context: Self.context, state: state)
                    rest = rest.dropFirst(consumed)
                }
                _ = FTP.probe(bytes.span, direction: direction)
            }
        }
    }

    @Test func captureCountsEqualTshark() throws {
        let folder = ITRemoteCaptureRunner<FTP>.fixtures("ftp")
        let expected = ITRemoteCaptureRunner<FTP>.golden(
            try String(contentsOf: folder.appendingPathComponent("ftp-login.tshark.txt"), encoding: .utf8))
        let result = ITRemoteCaptureRunner<FTP>(ports: [21]).run(path: folder.appendingPathComponent("ftp-login.pcap").path)
        #expect(!expected.isEmpty && result.functions == expected && result.malformed == 0)
        #expect(result.facts.filter { $0.kind == .userName }.map(\.value) == ["operator", "anonymous"])
        #expect(result.messages.flatMap(\.anomalies).filter { $0 == "cleartext_password" }.count == 2)
    }
}
