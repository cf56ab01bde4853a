import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct TelnetTests {
    static func parse(_ bytes: [UInt8], _ direction: Direction, state: inout Telnet.State)
        -> Result<(message: Telnet.Message, consumed: Int), DissectError>
    {
        do throws(DissectError) {
            return .success(try Telnet.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: 0), state: &state))
        } catch {
            return .failure(error)
        }
    }

    @Test func negotiationIsTakenWhole() {
        var state = Telnet.makeState()
        // IAC DO TERMINAL-TYPE (24), then IAC SB 24 0 "VT" IAC SE.
        let bytes: [UInt8] = [255, 253, 24, 255, 250, 24, 0, 0x56, 0x54, 255, 240]
        var rest = bytes[...]
        var codes: [Int] = []
        while !rest.isEmpty, case .success(let parsed) = Self.parse(Array(rest), .toServer, state: &state) {
            codes.append(parsed.message.functionCode)
            rest = rest.dropFirst(parsed.consumed)
        }
        #expect(codes == [253, 250, 240])
    }

    @Test(arguments: [[UInt8]([255, 253, 24]), [255, 250, 24, 0, 65, 255, 240], [255, 241]])
    func everyTruncationAsksForMore(_ fixture: [UInt8]) {
        for cut in 0..<fixture.count {
            var state = Telnet.makeState()
            let prefix = Array(fixture.prefix(cut))
            switch Self.parse(prefix, .toServer, state: &state) {
            case .failure(.needMore(let n)): #expect(n > cut)
            case .success(let parsed) where fixture[1] == 250 && cut >= 6: #expect(parsed.consumed <= cut)
            default: Issue.record("prefix \(cut) did not ask for more")
            }
        }
    }

    @Test func longSubnegotiationIsCut() {
        var state = Telnet.makeState()
        let bytes: [UInt8] = [255, 250, 24] + [UInt8](repeating: 0x41, count: Telnet.maxSubnegotiationLength)
        guard case .success(let parsed) = Self.parse(bytes, .toServer, state: &state) else {
            Issue.record("long subnegotiation not cut")
            return
        }
        #expect(parsed.consumed == Telnet.maxSubnegotiationLength && parsed.message.anomalies.contains(.longSubnegotiation))
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 23)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0..<100, using: &generator)).map { _ in
                [UInt8(255), 250, 240, 251, 0x0D, 0x0A, 0x3A, UInt8.random(in: 0...255, using: &generator)].randomElement(using: &generator) ?? 0
            }
            for direction in [Direction.toServer, .toClient] {
                var state = Telnet.makeState()
                var rest = bytes[...]
                while !rest.isEmpty, case .success(let parsed) = Self.parse(Array(rest), direction, state: &state) {
                    #expect(parsed.consumed > 0 && parsed.consumed <= rest.count)
                    let used = Array(rest.prefix(parsed.consumed))
                    let context = MessageContext(time: Timestamp(nanoseconds: 0), flowID: 1, client: SMBFixtures.client,
                                                 server: SMBFixtures.server, direction: direction)
                    _ = Telnet.event(parsed.message, bytes: used.span, context: context, state: &state)
                    _ = Telnet.facts(parsed.message, bytes: used.span, context: context, state: state)
                    rest = rest.dropFirst(parsed.consumed)
                }
                _ = Telnet.probe(bytes.span, direction: direction)
            }
        }
    }

    @Test func captureLoginAndCounts() throws {
        let folder = ITRemoteCaptureRunner<Telnet>.fixtures("telnet")
        let expected = ITRemoteCaptureRunner<Telnet>.golden(
            try String(contentsOf: folder.appendingPathComponent("telnet-login.tshark.txt"), encoding: .utf8))
        let result = ITRemoteCaptureRunner<Telnet>(ports: [23]).run(path: folder.appendingPathComponent("telnet-login.pcap").path)
        #expect(!expected.isEmpty && result.functions == expected && result.malformed == 0)
        #expect(result.facts.map(\.value) == ["Ubuntu 22.04.3 LTS", "root"])
        #expect(result.facts.last?.kind == .userName)
        #expect(result.messages.flatMap(\.anomalies).filter { $0 == "cleartext_password" }.count == 1)
        #expect(!result.messages.contains { "\($0)".contains("toor") })
    }
}
