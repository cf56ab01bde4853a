import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Encapsulation framing, CPF items, ListIdentity, probe and resynchronisation.
@Suite struct ENIPEncapsulationTests {
    /// RegisterSession request: protocol version 1, options 0.
    static let registerRequest: [UInt8] = [
        0x65, 0x00, 0x04, 0x00,  // command RegisterSession, length 4
        0x00, 0x00, 0x00, 0x00,  // session handle 0 (not yet granted)
        0x00, 0x00, 0x00, 0x00,  // status
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  // sender context
        0x00, 0x00, 0x00, 0x00,  // options
        0x01, 0x00, 0x00, 0x00,  // protocol version 1, option flags 0
    ]

    /// ListIdentity reply from a 1756-L83E/B (vendor 1, PLC, product 166, rev 35.11, serial 0x00c7a1b2).
    static let listIdentityReply: [UInt8] = [
        0x63, 0x00, 0x33, 0x00,  // command ListIdentity, length 51
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // session, status
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // sender context
        0x00, 0x00, 0x00, 0x00,  // options
        0x01, 0x00,  // item count 1
        0x0c, 0x00, 0x2d, 0x00,  // item 0x000c (identity), length 45
        0x01, 0x00,  // encapsulation protocol version 1
        0x00, 0x02, 0xaf, 0x12, 0x0a, 0x00, 0x00, 0x02,  // sockaddr (big-endian): AF_INET, 44818, 10.0.0.2
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // sin_zero
        0x01, 0x00,  // vendor 1 (Rockwell)
        0x0e, 0x00,  // device type 0x0e (PLC)
        0xa6, 0x00,  // product code 166
        0x23, 0x0b,  // revision 35.11
        0x60, 0x30,  // status
        0xb2, 0xa1, 0xc7, 0x00,  // serial 0x00c7a1b2
        0x0b,  // product name length 11
        0x31, 0x37, 0x35, 0x36, 0x2d, 0x4c, 0x38, 0x33, 0x45, 0x2f, 0x42,  // "1756-L83E/B"
        0x03,  // state 3
    ]

    static var fixtures: [[UInt8]] {
        [
            registerRequest, listIdentityReply,
            ENIPBytes.sendRRData(ENIPBytes.request(0x4c, path: ENIPBytes.symbol("Counter"), data: [1, 0])),
            ENIPBytes.sendUnitData(ENIPBytes.response(0x4c, data: [0xc4, 0, 42, 0, 0, 0]), connection: 7, sequence: 3),
            listServicesReply,
        ]
    }

    @Test func registerSessionGrantsASession() throws {
        var state = EtherNetIP.makeState()
        let request = try #require(ENIPHarness.message(Self.registerRequest, .toServer, state: &state))
        #expect(request.frame.command == .registerSession)
        #expect(request.frame.protocolVersion == 1)
        #expect(request.frame.functionCode == 0x65)
        #expect(request.message.operation == .session && request.message.proto == "enip")
        #expect(request.message.anomalies.isEmpty)
        let reply = ENIPBytes.header(0x65, length: 4) + [1, 0, 0, 0]
        _ = try #require(ENIPHarness.message(reply, .toClient, state: &state))
        #expect(state.session == ENIPBytes.session)
        // A request in another session is flagged.
        let other = ENIPBytes.sendRRData(ENIPBytes.request(0x01, path: ENIPBytes.logical(class: 1, instance: 1)))
        var foreign = other
        foreign[4] = 0x99
        let mismatch = try #require(ENIPHarness.message(foreign, .toServer, state: &state))
        #expect(mismatch.message.anomalies == ["enip.session_mismatch"])
    }

    @Test func listIdentityReplyGivesFacts() throws {
        var state = EtherNetIP.makeState()
        let parsed = try #require(ENIPHarness.message(Self.listIdentityReply, .toClient, state: &state))
        #expect(parsed.frame.itemCount == 1)
        #expect(parsed.message.anomalies.isEmpty)
        let found = EtherNetIP.identity(parsed.frame, bytes: Self.listIdentityReply.span)
        let identity = try #require(found)
        #expect(identity.vendor == 1 && identity.deviceType == 0x0e && identity.productCode == 166)
        #expect(identity.revisionMajor == 35 && identity.revisionMinor == 11 && identity.serial == 0x00c7_a1b2)
        #expect(identity.state == 3)
        let facts = EtherNetIP.facts(
            parsed.frame, bytes: Self.listIdentityReply.span, context: ENIPHarness.context(.toClient))
        #expect(facts.map { "\($0.kind.rawValue)=\($0.value)" } == [
            "vendor=Rockwell Automation/Allen-Bradley", "model=1756-L83E/B", "product_code=166", "revision=35.11",
            "serial=0x00c7a1b2", "role=programmable_logic_controller",
        ])
        #expect(facts.allSatisfy { $0.source == "enip/list_identity" && $0.address == ENIPBytes.server.address })
        #expect(parsed.message.targets.first?.name == "1756-L83E/B")
        // Device type, product code, serial, revision 35.11 and state 3 travel on the event too.
        #expect(parsed.message.targets.first?.values == [0x0e, 166, 0x00c7_a1b2, 35 << 8 | 11, 3])
        #expect(parsed.message.targets.first?.address == 1)
    }

    /// ListServices reply: one service item (0x100), version 1, CIP over TCP and UDP, "Communications".
    static let listServicesReply: [UInt8] = [
        0x04, 0x00, 0x1a, 0x00,  // command ListServices, length 26
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // session, status
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // sender context
        0x00, 0x00, 0x00, 0x00,  // options
        0x01, 0x00,  // item count 1
        0x00, 0x01, 0x14, 0x00,  // item 0x0100 (communications service), length 20
        0x01, 0x00,  // version 1
        0x20, 0x01,  // capability flags 0x0120: CIP over TCP (bit 5) and class 0/1 over UDP (bit 8)
        0x43, 0x6f, 0x6d, 0x6d, 0x75, 0x6e, 0x69, 0x63, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x73, 0x00, 0x00,  // name
    ]

    @Test func listServicesNamesTheService() throws {
        var state = EtherNetIP.makeState()
        let request = ENIPBytes.header(0x04, length: 0, session: 0)
        let asked = try #require(ENIPHarness.message(request, .toServer, state: &state))
        #expect(asked.message.functionName == "list_services" && asked.message.operation == .discovery)
        #expect(asked.message.anomalies.isEmpty && asked.message.targets.isEmpty)
        let parsed = try #require(ENIPHarness.message(Self.listServicesReply, .toClient, state: &state))
        #expect(parsed.frame.itemCount == 1 && parsed.message.anomalies.isEmpty)
        #expect(parsed.message.functionCode == 0x04 && parsed.message.proto == "enip")
        var service = Message.Target(kind: "enip_service", address: 0x0120, count: 1, values: [1])
        service.name = "Communications"
        #expect(parsed.message.targets == [service])
        #expect(EtherNetIP.identity(parsed.frame, bytes: Self.listServicesReply.span) == nil)
        // An item shorter than its fixed part names nothing and does not trap.
        var short = Array(Self.listServicesReply[0..<30])
        short[2] = 6
        short[28] = 0
        let clipped = try #require(ENIPHarness.message(short, .toClient, state: &state))
        #expect(clipped.message.targets.isEmpty)
    }

    @Test func identityNameIsCapped() throws {
        var bytes = Self.listIdentityReply
        let name = [UInt8](repeating: 0x41, count: 200)
        bytes.replaceSubrange(63..<74, with: name)
        bytes[62] = 200
        bytes[2] = UInt8((51 + 189) & 0xff)
        bytes[3] = UInt8((51 + 189) >> 8)
        bytes[28] = UInt8(45 + 189)
        var state = EtherNetIP.makeState()
        let parsed = try #require(ENIPHarness.message(bytes, .toClient, state: &state))
        #expect(parsed.message.anomalies.isEmpty)
        let facts = EtherNetIP.facts(parsed.frame, bytes: bytes.span, context: ENIPHarness.context(.toClient))
        #expect(facts.first { $0.kind == .model }?.value.count == EtherNetIP.maxProductNameLength)
    }

    @Test func unknownCommandIsAnAnomalyUnlessOptionsAreSet() throws {
        var state = EtherNetIP.makeState()
        let odd = ENIPBytes.header(0x0042, length: 0)
        let parsed = try #require(ENIPHarness.message(odd, .toServer, state: &state))
        #expect(parsed.message.functionName == "command_0x0042")
        #expect(parsed.message.anomalies == ["enip.unknown_command"])
        #expect(EtherNetIP.probe(odd.span, direction: .toServer) == .reject)
        let garbage = ENIPBytes.header(0x0042, length: 0, options: 5)
        guard case .failure(.malformed) = ENIPHarness.parse(garbage, .toServer, state: &state) else {
            Issue.record("undefined command with options must be malformed")
            return
        }
    }

    @Test func lengthOverTheSpecIsMalformed() {
        var state = EtherNetIP.makeState()
        var bytes = ENIPBytes.header(0x006f, length: 0)
        bytes[2] = 0xff
        bytes[3] = 0xff
        guard case .failure(.malformed) = ENIPHarness.parse(bytes, .toServer, state: &state) else {
            Issue.record("length 65535 must be malformed")
            return
        }
        #expect(EtherNetIP.probe(bytes.span, direction: .toServer) == .reject)
    }

    @Test func probe() {
        #expect(EtherNetIP.probe(Self.registerRequest.span, direction: .toServer) == .match)
        #expect(EtherNetIP.probe(Self.listIdentityReply.span, direction: .toClient) == .match)
        #expect(EtherNetIP.probe(Array(Self.registerRequest.prefix(10)).span, direction: .toServer) == .needMore)
        var options = Self.registerRequest
        options[20] = 1
        #expect(EtherNetIP.probe(options.span, direction: .toServer) == .reject)
        var status = Self.registerRequest
        status[8] = 1
        #expect(EtherNetIP.probe(status.span, direction: .toServer) == .reject)
        let http = Array("GET / HTTP/1.1\r\nHost: plc\r\n\r\n".utf8)
        #expect(EtherNetIP.probe(http.span, direction: .toServer) == .reject)
    }

    @Test(arguments: 0..<5)
    func everyTruncatedPrefixAsksForMore(fixture: Int) {
        let bytes = Self.fixtures[fixture]
        for length in 0..<bytes.count {
            var state = EtherNetIP.makeState()
            let direction: Direction = [1, 3, 4].contains(fixture) ? .toClient : .toServer
            let result = ENIPHarness.parse(Array(bytes.prefix(length)), direction, state: &state)
            guard case .failure(.needMore(let needed)) = result else {
                Issue.record("prefix \(length) of fixture \(fixture): \(result)")
                continue
            }
            #expect(needed > length && needed <= bytes.count)
        }
    }

    @Test func twoMessagesInOneBufferAndADrip() throws {
        let one = Self.fixtures[2]
        let both = one + Self.registerRequest
        var state = EtherNetIP.makeState()
        guard case .success(let first) = ENIPHarness.parse(both, .toServer, state: &state) else {
            Issue.record("first message")
            return
        }
        #expect(first.consumed == one.count)
        guard case .success(let second) = ENIPHarness.parse(Array(both[one.count...]), .toServer, state: &state) else {
            Issue.record("second message")
            return
        }
        #expect(second.message.command == .registerSession)
        // Byte by byte: needMore until the last byte, then the whole message.
        var buffer: [UInt8] = []
        var parsed = 0
        for byte in one {
            buffer.append(byte)
            if case .success(let result) = ENIPHarness.parse(buffer, .toServer, state: &state) {
                #expect(result.consumed == one.count)
                parsed += 1
            }
        }
        #expect(parsed == 1)
    }

    @Test func cpfItemsThatOverrunOrOverflow() throws {
        var state = EtherNetIP.makeState()
        // A data item longer than the message.
        var long = Self.fixtures[2]
        long[38] = 0xf0  // the unconnected data item's length
        let overrun = try #require(ENIPHarness.message(long, .toServer, state: &state))
        #expect(overrun.message.anomalies.contains("enip.invalid_length"))
        #expect(overrun.frame.cip == nil)
        // An item count of 65535.
        var many = Self.fixtures[2]
        many[30] = 0xff
        many[31] = 0xff
        let flooded = try #require(ENIPHarness.message(many, .toServer, state: &state))
        #expect(flooded.message.anomalies.contains("enip.too_many_items"))
        // Trailing bytes the items do not account for.
        var trailing = Self.fixtures[2] + [0, 0]
        trailing[2] &+= 2
        let extra = try #require(ENIPHarness.message(trailing, .toServer, state: &state))
        #expect(extra.message.anomalies.contains("enip.invalid_length"))
        // A SendRRData without a data item.
        let bare = ENIPBytes.header(0x6f, length: 10) + [0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
        let empty = try #require(ENIPHarness.message(bare, .toServer, state: &state))
        #expect(empty.message.anomalies.contains("enip.invalid_item"))
    }

    @Test func resynchronizeFindsTheNextHeader() {
        let garbage: [UInt8] = [0xde, 0xad, 0xbe, 0xef, 0x6f, 0x00]
        let bytes = garbage + Self.fixtures[2] + Self.registerRequest
        #expect(EtherNetIP.resynchronize(bytes.span, direction: .toServer) == garbage.count)
        #expect(EtherNetIP.resynchronize(garbage.span, direction: .toServer) == nil)
        var generator = SeededGenerator(seed: 44818)
        for _ in 0..<300 {
            let noise = (0..<Int.random(in: 0...6000, using: &generator)).map { _ in
                UInt8.random(in: 0...3, using: &generator)  // small values: many near-headers
            }
            if let offset = EtherNetIP.resynchronize(noise.span, direction: .toClient) {
                #expect(offset >= 0 && offset < min(noise.count, EtherNetIP.resyncWindow))
            }
        }
    }

    /// 3,000 seeded random inputs, half with a plausible header so the body parsers see hostile
    /// bodies, and mutations of the fixtures: none may trap.
    @Test(arguments: [1, 2, 3])
    func randomInputsNeverTrap(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var state = EtherNetIP.makeState()
        var parsed = 0
        let commands: [UInt16] = [0x63, 0x65, 0x6f, 0x70, 0x04, 0x64, 0x01]
        for round in 0..<1000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = Self.fixtures[round % Self.fixtures.count]
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                bytes = (0..<Int.random(in: 0...400, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
                if round % 3 == 1, bytes.count >= 24 {
                    let command = commands[Int.random(in: 0..<commands.count, using: &generator)]
                    bytes.replaceSubrange(0..<4, with: ENIPBytes.le16(Int(command)) + ENIPBytes.le16(bytes.count - 24))
                    bytes.replaceSubrange(20..<24, with: [0, 0, 0, 0])
                    if bytes.count > 31 { bytes[30] = 2; bytes[31] = 0 }
                }
            }
            let direction: Direction = round % 2 == 0 ? .toServer : .toClient
            var offset = 0
            while offset < bytes.count {
                let rest = Array(bytes[offset...])
                guard case .success(let result) = ENIPHarness.parse(rest, direction, state: &state) else { break }
                let context = ENIPHarness.context(direction)
                _ = EtherNetIP.event(result.message, bytes: rest.span, context: context, state: &state)
                _ = EtherNetIP.facts(result.message, bytes: rest.span, context: ENIPHarness.context(direction))
                _ = ENIPHarness.services(result.message, rest)
                #expect(result.consumed >= EtherNetIP.headerLength && result.consumed <= rest.count)
                offset += result.consumed
                parsed += 1
            }
        }
        #expect(parsed > 300)
        #expect(state.pending.count <= EtherNetIP.State.pendingCapacity)
    }
}
