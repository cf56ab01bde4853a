import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Niagara Fox messages copied byte for byte from Tests/Fixtures/fox/fox_info.pcap (ITI): frame 4
/// (Workbench → station, 513 bytes), frame 6 (station hello, 469 bytes) and frame 9 (the
/// station's digest challenge, 108 bytes). tshark has no Fox dissector: values checked by hand.
enum FoxFixtures {
    /// Frame 4: the Workbench's hello.
    static let clientHello = Array(
        """
        fox a 1 -1 fox hello
        {
        fox.version=s:1.0
        id=i:1
        hostName=s:xpvm-0omdc01xmy
        hostAddress=s:192.168.1.125
        app.name=s:Workbench
        app.version=s:3.7.44
        vm.name=s:Java HotSpot(TM) Server VM
        vm.version=s:20.4-b02
        os.name=s:Windows XP
        os.version=s:5.1
        lang=s:en
        timeZone=s:America/Los_Angeles;-28800000;3600000;02:00:00.000,wall,march,8,on or after,sunday,\
        undefined;02:00:00.000,wall,november,1,on or after,sunday,undefined
        hostId=s:Win-99CB-D49D-5442-07BB
        vmUuid=s:8b530bc8-76c5-4139-a2ea-0fabd394d305
        brandId=s:vykon
        };;

        """.utf8)

    /// Frame 6: the station's hello; `sysInfo` is a 61-byte counted blob holding newlines.
    static let serverHello = Array(
        """
        fox a 0 -1 fox hello
        {
        fox.version=s:1.0
        id=i:2
        hostName=s:192.168.2.15
        hostAddress=s:192.168.2.15
        app.name=s:Station
        app.version=s:3.5.41.1
        vm.name=s:J9
        vm.version=s:2.3
        os.name=s:QNX
        os.version=s:6.3.2
        station.name=s:Legion_HQ_V4
        lang=s:en
        timeZone=s:Australia/Perth;28800000;0;null;null
        hostId=s:Qnx-NPM6-0000-1490-C30C
        vmUuid=s:11e4d864-cd0e-664a-0000-00000000b83b
        brandId=s:vykon
        sysInfo=o:bog 61[<bog version="1.0">
        <p m="b=baja" t="b:Facets" v=""/>
        </bog>
        ]
        };;

        """.utf8)

    /// Frame 9: the challenge; the nonce is a 44-byte binary blob (`b:44[` … `]`).
    static let challenge: [UInt8] =
        Array("fox a 1 -1 fox challenge\n{\nmethod=s:digest-md5\nnonce=b:44[".utf8)
        + [
            0x00, 0x05, 0x6E, 0x6F, 0x6E, 0x63, 0x65, 0x00, 0x00, 0x00, 0x02, 0x00, 0x0F,  // "..nonce...."
            // "184.174.131.193"
            0x31, 0x38, 0x34, 0x2E, 0x31, 0x37, 0x34, 0x2E, 0x31, 0x33, 0x31, 0x2E, 0x31, 0x39, 0x33,
            0x00, 0x00, 0xA4, 0xB7, 0x00, 0x00, 0x01, 0x4C, 0x7B, 0xBF, 0x2B, 0xE9, 0x86, 0x9D, 0x7C, 0x66,
        ]
        + Array("]\n};;\n".utf8)

    static let context = MessageContext(
        time: Timestamp(nanoseconds: 0), flowID: 1,
        client: Endpoint(address: IPAddress(v4: 0x0A01_0304), port: 42167),
        server: Endpoint(address: IPAddress(v4: 0x6A44_5877), port: 1911), direction: .toServer)

    static func parse(_ bytes: [UInt8], _ direction: Direction, state: inout Fox.State) throws -> Fox.Frame {
        let (frame, consumed) = try Fox.parse(bytes.span, direction: direction, time: .zero, state: &state)
        #expect(consumed == bytes.count)
        return frame
    }
}

@Suite struct FoxTests {
    @Test func fixturesHaveTheCapturesLengths() {
        #expect(FoxFixtures.clientHello.count == 513)
        #expect(FoxFixtures.serverHello.count == 469)
        #expect(FoxFixtures.challenge.count == 108)
    }

    @Test func clientHelloFramesAndNamesTheWorkbench() throws {
        var state = Fox.makeState()
        #expect(Fox.probe(FoxFixtures.clientHello.span, direction: .toServer) == .match)
        let frame = try FoxFixtures.parse(FoxFixtures.clientHello, .toServer, state: &state)
        #expect(frame.command == .hello && frame.functionCode == 1 && frame.kind == UInt8(ascii: "a"))
        #expect(frame.number == 1 && frame.replyTo == -1 && frame.fieldCount == 15)
        #expect(state.clientHello && !state.serverHello)
        let facts = Fox.facts(
            frame, bytes: FoxFixtures.clientHello.span, context: FoxFixtures.context, state: state)
        let values = Set(facts.map { "\($0.kind.rawValue)=\($0.value)" })
        #expect(
            values == [
                "hostname=xpvm-0omdc01xmy", "serial=Win-99CB-D49D-5442-07BB", "vendor=vykon",
                "software=Niagara Workbench 3.7.44", "role=niagara_workbench",
                "software=Java HotSpot(TM) Server VM 20.4-b02", "os=Windows XP 5.1",
            ])
        #expect(facts.allSatisfy { $0.address == FoxFixtures.context.client.address && $0.source == "fox/hello" })
    }

    @Test func stationHelloGivesStationFactsPastTheBlob() throws {
        var state = Fox.makeState()
        let frame = try FoxFixtures.parse(FoxFixtures.serverHello, .toClient, state: &state)
        #expect(frame.command == .hello && frame.number == 0 && frame.fieldCount == 17)
        let parsedHello = Fox.hello(frame, bytes: FoxFixtures.serverHello.span)
        let hello = try #require(parsedHello)
        #expect(hello.stationName == "Legion_HQ_V4" && hello.hostName == "192.168.2.15")
        #expect(hello.appVersion == "3.5.41.1" && hello.vmName == "J9" && hello.vmVersion == "2.3")
        #expect(hello.osName == "QNX" && hello.osVersion == "6.3.2" && hello.timeZone == "Australia/Perth")
        #expect(hello.hostID == "Qnx-NPM6-0000-1490-C30C" && hello.brandID == "vykon")
        var context = FoxFixtures.context
        context.direction = .toClient
        let facts = Fox.facts(frame, bytes: FoxFixtures.serverHello.span, context: context, state: state)
        #expect(facts.allSatisfy { $0.address == context.server.address })
        let byKind = Dictionary(facts.map { ($0.kind, $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(byKind[.moduleName] == "Legion_HQ_V4" && byKind[.firmware] == "3.5.41.1")
        #expect(byKind[.os] == "QNX 6.3.2" && byKind[.role] == "niagara_station" && byKind[.vendor] == "vykon")
        var flowState = state
        let event = Fox.event(frame, bytes: FoxFixtures.serverHello.span, context: context, state: &flowState)
        #expect(event.functionName == "hello" && event.operation == .session && event.proto == "fox")
    }

    @Test func challengeBlobIsSteppedOverByItsCount() throws {
        var state = Fox.makeState()
        let frame = try FoxFixtures.parse(FoxFixtures.challenge, .toClient, state: &state)
        #expect(frame.command == .challenge && frame.functionCode == 2 && frame.fieldCount == 2)
        var events = state
        let event = Fox.event(frame, bytes: FoxFixtures.challenge.span, context: FoxFixtures.context, state: &events)
        #expect(event.operation == .auth && event.functionName == "challenge")
        let facts = Fox.facts(frame, bytes: FoxFixtures.challenge.span, context: FoxFixtures.context, state: state)
        #expect(facts.isEmpty)
    }

    @Test func otherCommandsCountAsOther() throws {
        var state = Fox.makeState()
        let bytes = Array("fox e 3 2 fox close\n{\n};;\n".utf8)
        let frame = try FoxFixtures.parse(bytes, .toServer, state: &state)
        #expect(frame.command == .other && frame.functionCode == 0 && frame.hasFunction)
        let short = Array("fox a 1\n{\n};;\n".utf8)
        #expect(try FoxFixtures.parse(short, .toServer, state: &state).anomalies == [.shortHeader])
    }

    @Test func twoMessagesInOneSegmentAndResync() throws {
        let stream = FoxFixtures.serverHello + FoxFixtures.challenge
        var state = Fox.makeState()
        let (first, used) = try Fox.parse(stream.span, direction: .toClient, time: .zero, state: &state)
        let rest = Array(stream[used...])
        let (second, consumed) = try Fox.parse(rest.span, direction: .toClient, time: .zero, state: &state)
        #expect(first.command == .hello && second.command == .challenge && consumed == rest.count)
        #expect(state.messages == 2)
    }

    @Test func notFoxIsRejected() {
        var state = Fox.makeState()
        let http = Array("GET / HTTP/1.1\r\n\r\n".utf8)
        #expect(Fox.probe(http.span, direction: .toServer) == .reject)
        #expect(Fox.probe(Array("fo".utf8).span, direction: .toServer) == .needMore)
        #expect(throws: DissectError.self) {
            try Fox.parse(http.span, direction: .toServer, time: .zero, state: &state)
        }
        // A header line with no newline within its bound is not Fox.
        let long = Array("fox ".utf8) + [UInt8](repeating: 0x61, count: Fox.maxHeaderLength + 10)
        #expect(throws: DissectError.malformed("fox: header line longer than 256")) {
            try Fox.parse(long.span, direction: .toServer, time: .zero, state: &state)
        }
        // A blob whose count runs past the message asks for more, never reads past the bytes.
        let overrun = Array("fox a 1 -1 fox x\n{\nk=b:9999[ab]\n};;\n".utf8)
        #expect(throws: DissectError.self) {
            try Fox.parse(overrun.span, direction: .toServer, time: .zero, state: &state)
        }
    }

    /// The station hello dripped a byte at a time: more is asked for until the last byte.
    @Test func drippedHelloParsesAtItsLastByte() throws {
        var state = Fox.makeState()
        var buffer: [UInt8] = []
        var parsedAt: Int?
        for byte in FoxFixtures.serverHello {
            buffer.append(byte)
            if let (_, consumed) = try? Fox.parse(buffer.span, direction: .toClient, time: .zero, state: &state) {
                parsedAt = consumed
                break
            }
        }
        #expect(parsedAt == FoxFixtures.serverHello.count && buffer.count == FoxFixtures.serverHello.count)
    }

    @Test(arguments: 0..<FoxFixtures.challenge.count)
    func truncatedChallengeAsksForMore(length: Int) {
        var state = Fox.makeState()
        let prefix = Array(FoxFixtures.challenge.prefix(length))
        #expect(throws: DissectError.self) {
            try Fox.parse(prefix.span, direction: .toClient, time: .zero, state: &state)
        }
    }

    @Test(arguments: Array(stride(from: 0, to: FoxFixtures.serverHello.count, by: 7)))
    func truncatedHelloAsksForMore(length: Int) {
        var state = Fox.makeState()
        let prefix = Array(FoxFixtures.serverHello.prefix(length))
        #expect(throws: DissectError.self) {
            try Fox.parse(prefix.span, direction: .toClient, time: .zero, state: &state)
        }
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0xF0C5)
        var state = Fox.makeState()
        var parsed = 0
        let alphabet = Array("fox ab01-:=[]{};\n sbo".utf8)
        for round in 0..<3000 {
            let length = Int.random(in: 0..<160, using: &generator)
            var bytes: [UInt8] = round % 2 == 0 ? Array("fox ".utf8) : []
            for _ in 0..<length {
                bytes.append(
                    round % 3 == 0
                        ? UInt8.random(in: 0...255, using: &generator)
                        : alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
            }
            if round % 4 == 0 { bytes += Array("\n};;\n".utf8) }
            _ = Fox.probe(bytes.span, direction: .toServer)
            if let (frame, consumed) = try? Fox.parse(bytes.span, direction: .toServer, time: .zero, state: &state) {
                parsed += 1
                #expect(consumed <= bytes.count)
                _ = Fox.facts(frame, bytes: bytes.span, context: FoxFixtures.context, state: state)
                _ = Fox.hello(frame, bytes: bytes.span)
            }
        }
        #expect(parsed > 100)
    }

    /// The ITI capture through the capture reader and TCP splicing: three messages, two hellos and
    /// a challenge, matching the per-segment lines tshark prints (fox_info.golden).
    @Test func captureMatchesGolden() throws {
        let path = ITStreamRunner.fixture("fox", "fox_info.pcap")
        let result = ITStreamRunner.run(Fox.self, path: path, ports: [1911])
        let golden = try #require(ITStreamRunner.text(ITStreamRunner.fixture("fox", "fox_info.golden")))
        let lines = golden.split(separator: "\n")
        #expect(result.parsed == lines.count && result.malformed == 0 && result.errors.isEmpty)
        #expect(result.functions == [1: 2, 2: 1])
        #expect(result.messages.map(\.functionName) == ["hello", "hello", "challenge"])
        #expect(result.facts.contains { $0.kind == .moduleName && $0.value == "Legion_HQ_V4" })
        #expect(result.facts.contains { $0.kind == .hostname && $0.value == "xpvm-0omdc01xmy" })
    }
}
