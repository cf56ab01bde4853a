import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct RADIUSTests {
    static let nas = Endpoint(address: IPAddress(v4: 0x0a14_0002), port: 40_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 1812)

    /// Code, identifier, length, a 16-byte authenticator, then type-length-value attributes.
    static func packet(_ code: UInt8, _ identifier: UInt8, _ attributes: [(UInt8, [UInt8])]) -> [UInt8] {
        let body = attributes.flatMap { [$0.0, UInt8($0.1.count + 2)] + $0.1 }
        let length = 20 + body.count
        return [code, identifier, UInt8(length >> 8), UInt8(length & 0xFF)] + [UInt8](repeating: 0xA5, count: 16) + body
    }

    static func parse(_ bytes: [UInt8], _ direction: Direction, _ state: inout RADIUS.State, at seconds: Int64 = 0)
        -> Result<(message: RADIUS.Packet, consumed: Int), DissectError>
    {
        do throws(DissectError) {
            return .success(try RADIUS.parse(bytes.span, direction: direction,
                                             time: Timestamp(nanoseconds: seconds * 1_000_000_000), state: &state))
        } catch {
            return .failure(error)
        }
    }

    static func context(_ direction: Direction) -> MessageContext {
        MessageContext(time: Timestamp(nanoseconds: 0), flowID: 1, client: nas, server: server, direction: direction)
    }

    /// Access-Request: User-Name "alice", User-Password (16 hidden bytes), NAS-IP-Address
    /// 10.20.0.2, NAS-Identifier "switch-3", Calling-Station-Id "10.20.0.77".
    static let accessRequest = packet(1, 7, [
        (1, Array("alice".utf8)), (2, [UInt8](repeating: 0x3C, count: 16)), (4, [10, 20, 0, 2]),
        (32, Array("switch-3".utf8)), (31, Array("10.20.0.77".utf8)),
    ])

    @Test func accessRequestAndAccept() throws {
        var state = RADIUS.makeState()
        guard case .success(let request) = Self.parse(Self.accessRequest, .toServer, &state, at: 1) else {
            Issue.record("request did not parse")
            return
        }
        #expect(request.consumed == Self.accessRequest.count && request.message.functionCode == 1)
        #expect(request.message.anomalies == .passwordAttributeSent && request.message.attributeCount == 5)
        let event = RADIUS.event(request.message, bytes: Self.accessRequest.span, context: Self.context(.toServer),
                                 state: &state)
        #expect(event.operation == .auth && event.status == .pending && event.anomalies == ["password_attribute_sent"])
        #expect(event.targets.map(\.kind) == ["user_name", "credentials", "nas_ip_address", "nas_identifier",
                                              "calling_station_id"])
        #expect(event.targets.map { $0.name ?? "" } == ["alice", "pap", "10.20.0.2", "switch-3", "10.20.0.77"])
        let facts = RADIUS.facts(request.message, bytes: Self.accessRequest.span, context: Self.context(.toServer),
                                 state: state)
        #expect(facts.map(\.kind) == [.role, .hostname, .ipAddress, .userName])
        #expect(facts.map(\.value) == ["radius_nas", "switch-3", "10.20.0.2", "alice"])
        #expect(facts.last?.address == IPAddress("10.20.0.77") && facts.first?.address == Self.nas.address)
        // The password's bytes appear nowhere in the event.
        #expect(!event.targets.contains { ($0.name ?? "").contains("<") || ($0.value ?? "").contains("<") })
        let accept = Self.packet(2, 7, [(18, Array("hi".utf8))])
        guard case .success(let answer) = Self.parse(accept, .toClient, &state, at: 3) else {
            Issue.record("accept did not parse")
            return
        }
        #expect(answer.message.requestCode == 1 && answer.message.roundTripNanoseconds == 2_000_000_000)
        let answerEvent = RADIUS.event(answer.message, bytes: accept.span, context: Self.context(.toClient),
                                       state: &state)
        #expect(answerEvent.roundTripNanoseconds == 2_000_000_000 && answerEvent.status == .ok)
        #expect(answerEvent.targets.first?.value == "hi")
        #expect(RADIUS.facts(answer.message, bytes: accept.span, context: Self.context(.toClient), state: state)
            .map(\.value) == ["radius_server"])
    }

    @Test func rejectChapEapAndUnsolicited() {
        var state = RADIUS.makeState()
        let chap = Self.packet(1, 9, [(1, Array("bob".utf8)), (3, [1] + [UInt8](repeating: 0, count: 16)),
                                      (79, [2, 1, 0, 5, 1]), (80, [UInt8](repeating: 0, count: 16)),
                                      (31, Array("00-1B-1B-AA-BB-CC".utf8))])
        guard case .success(let request) = Self.parse(chap, .toServer, &state) else { return }
        #expect(request.message.credentials == [.chap, .eap, .messageAuthenticator])
        #expect(request.message.anomalies.isEmpty)
        let event = RADIUS.event(request.message, bytes: chap.span, context: Self.context(.toServer), state: &state)
        #expect(event.targets.first { $0.kind == "credentials" }?.name == "chap,eap")
        // A MAC as Calling-Station-Id: the user name stays a target, no fact on any host.
        let facts = RADIUS.facts(request.message, bytes: chap.span, context: Self.context(.toServer), state: state)
        #expect(!facts.contains { $0.kind == .userName })
        let reject = Self.packet(3, 9, [])
        guard case .success(let answer) = Self.parse(reject, .toClient, &state) else { return }
        let rejectEvent = RADIUS.event(answer.message, bytes: reject.span, context: Self.context(.toClient),
                                       state: &state)
        #expect(rejectEvent.status == .exception(code: 3, name: "access_reject"))
        guard case .success(let stray) = Self.parse(Self.packet(2, 200, []), .toClient, &state) else { return }
        #expect(stray.message.anomalies.contains(.unsolicitedResponse))
        // An Accounting-Response cannot answer an Access-Request.
        _ = Self.parse(Self.packet(1, 10, []), .toServer, &state)
        guard case .success(let wrong) = Self.parse(Self.packet(5, 10, []), .toClient, &state) else { return }
        #expect(wrong.message.anomalies.contains(.unsolicitedResponse))
    }

    @Test func accounting() {
        var state = RADIUS.makeState()
        let start = Self.packet(4, 1, [(1, Array("op".utf8)), (40, [0, 0, 0, 1]), (8, [10, 20, 0, 77])])
        guard case .success(let parsed) = Self.parse(start, .toServer, &state) else { return }
        #expect(parsed.message.acctStatusType == 1 && parsed.message.framedIPAddress == 0x0a14_004d)
        let event = RADIUS.event(parsed.message, bytes: start.span, context: Self.context(.toServer), state: &state)
        #expect(event.operation == .other && event.targets.contains { $0.name == "start" && $0.values == [1] })
        let facts = RADIUS.facts(parsed.message, bytes: start.span, context: Self.context(.toServer), state: state)
        #expect(facts.contains { $0.kind == .userName && $0.address == IPAddress("10.20.0.77") && $0.value == "op" })
    }

    @Test func badLengthsAndAttributes() {
        var state = RADIUS.makeState()
        var long = Self.accessRequest
        long[3] = UInt8(Self.accessRequest.count + 1)
        guard case .failure(.malformed) = Self.parse(long, .toServer, &state) else {
            Issue.record("length past the datagram accepted")
            return
        }
        let shortLength: [UInt8] = [1, 1, 0, 19] + [UInt8](repeating: 0, count: 16)
        guard case .failure(.malformed) = Self.parse(shortLength, .toServer, &state)
        else {
            Issue.record("length 19 accepted")
            return
        }
        var zero = Self.packet(1, 2, [(1, Array("x".utf8))])
        zero[21] = 0  // attribute length 0
        guard case .success(let parsed) = Self.parse(zero, .toServer, &state) else { return }
        #expect(parsed.message.anomalies.contains(.invalidAttribute))
        var over = Self.packet(1, 3, [(1, Array("xy".utf8))])
        over[21] = 40  // attribute runs past the packet
        guard case .success(let past) = Self.parse(over, .toServer, &state) else { return }
        #expect(past.message.anomalies.contains(.invalidAttribute) && !past.message.userName.isPresent)
        // A shorter length field than the datagram: trailing bytes are padding.
        let padded = Self.packet(4, 4, []) + [0, 0, 0]
        guard case .success(let trailing) = Self.parse(padded, .toServer, &state) else { return }
        #expect(trailing.message.length == 20 && trailing.consumed == padded.count)
        guard case .success(let unknown) = Self.parse(Self.packet(99, 5, []), .toServer, &state) else { return }
        #expect(unknown.message.anomalies.contains(.unknownCode))
        #expect(RADIUS.probe(Self.packet(99, 5, []).span, direction: .toServer) == .reject)
        #expect(RADIUS.probe(Self.accessRequest.span, direction: .toServer) == .match)
        #expect(RADIUS.probe(Array(Self.accessRequest.prefix(10)).span, direction: .toServer) == .needMore)
    }

    @Test func tooManyAttributes() {
        var state = RADIUS.makeState()
        // 2,000 empty Vendor-Specific attributes fit in 4,096 bytes; only `maxAttributes` are walked.
        let within = Self.packet(1, 1, [(UInt8, [UInt8])](repeating: (26, []), count: 2000))
        guard case .success(let parsed) = Self.parse(within, .toServer, &state) else { return }
        #expect(parsed.message.anomalies.contains(.tooManyAttributes))
        #expect(parsed.message.attributeCount == RADIUS.maxAttributes)
    }

    @Test(arguments: 0..<20)
    func everyTruncationIsRefused(_ cut: Int) {
        var state = RADIUS.makeState()
        switch Self.parse(Array(Self.accessRequest.prefix(cut)), .toServer, &state) {
        case .failure(.needMore(let n)): #expect(n > cut)
        default: Issue.record("prefix \(cut) accepted")
        }
        for longer in 20..<Self.accessRequest.count {
            guard case .failure(.malformed) = Self.parse(Array(Self.accessRequest.prefix(longer)), .toServer, &state)
            else {
                Issue.record("prefix \(longer) accepted")
                continue
            }
        }
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 1812)
        var state = RADIUS.makeState()
        for round in 0..<3000 {
            var bytes = Self.accessRequest
            if round % 2 == 0 {
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                bytes = (0..<Int.random(in: 0..<300, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
                if bytes.count >= 4 { bytes[2] = 0; bytes[3] = UInt8(truncatingIfNeeded: bytes.count) }
            }
            let direction: Direction = round % 3 == 0 ? .toClient : .toServer
            if case .success(let parsed) = Self.parse(bytes, direction, &state, at: Int64(round)) {
                #expect(parsed.consumed == bytes.count)
                _ = RADIUS.event(parsed.message, bytes: bytes.span, context: Self.context(direction), state: &state)
                _ = RADIUS.facts(parsed.message, bytes: bytes.span, context: Self.context(direction), state: state)
            }
            _ = RADIUS.probe(bytes.span, direction: direction)
        }
        #expect(state.pending.count <= RADIUS.maxPendingRequests)
    }

    @Test func captureCountsEqualTshark() throws {
        let folder = ITUDPCaptureHarness.fixtures("radius")
        let golden = try String(contentsOf: folder.appendingPathComponent("radius-freeradius.tshark.txt"),
                                encoding: .utf8)
        var codes: [Int: Int] = [:], statuses: [Int: Int] = [:]
        for line in golden.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let code = Int(fields[1]), let count = Int(fields[2]) else { continue }
            if fields[0] == "function" { codes[code] = count } else { statuses[code] = count }
        }
        let result = ITUDPCaptureHarness.run(
            RADIUS.self, url: folder.appendingPathComponent("radius-freeradius.pcap"), ports: [1812, 1813])
        #expect(!codes.isEmpty && result.functions == codes && result.malformed == 0)
        var ourStatuses: [Int: Int] = [:]
        for packet in result.parsed where packet.acctStatusType >= 0 {
            ourStatuses[packet.acctStatusType, default: 0] += 1
        }
        #expect(ourStatuses == statuses)
        // Every response paired with its request.
        #expect(result.parsed.filter { RADIUS.isResponse($0.code) }.allSatisfy { $0.requestCode != 0 })
        #expect(result.events.flatMap(\.anomalies).filter { $0 == "password_attribute_sent" }.count == 3)
        let hostnames = result.facts.filter { $0.kind == .hostname }.map(\.value)
        #expect(hostnames == ["switch-cell-3", "vpn-gw"])
        let users = result.facts.filter { $0.kind == .userName }
        #expect(users.map(\.value) == ["operator", "operator"])
        #expect(users.allSatisfy { $0.address == IPAddress("10.20.0.77") })
        #expect(result.events.contains { $0.targets.contains { $0.value == "Welcome operator" } })
    }
}
