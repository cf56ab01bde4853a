import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// UA TCP framing: HEL/ACK/ERR, header checks, truncation, several messages in one segment.
@Suite struct OPCUAFramingTests {
    /// A HEL as asyncua sends it, byte by byte.
    static let hello: [UInt8] = [
        0x48, 0x45, 0x4c, 0x46,  // "HEL" "F"
        0x38, 0x00, 0x00, 0x00,  // message size 56
        0x00, 0x00, 0x00, 0x00,  // protocol version 0
        0x00, 0x00, 0x01, 0x00,  // receive buffer 65536
        0x00, 0x00, 0x01, 0x00,  // send buffer 65536
        0x00, 0x00, 0x00, 0x00,  // max message size 0 (no limit)
        0x00, 0x00, 0x00, 0x00,  // max chunk count 0 (no limit)
        0x18, 0x00, 0x00, 0x00,  // endpoint URL length 24
        0x6f, 0x70, 0x63, 0x2e, 0x74, 0x63, 0x70, 0x3a, 0x2f, 0x2f, 0x70, 0x6c,  // "opc.tcp://pl"
        0x63, 0x2d, 0x37, 0x3a, 0x34, 0x38, 0x34, 0x30, 0x2f, 0x75, 0x61, 0x2f,  // "c-7:4840/ua/"
    ]

    /// An ERR: Bad_TcpEndpointUrlInvalid with a reason.
    static let error: [UInt8] = [
        0x45, 0x52, 0x52, 0x46,  // "ERR" "F"
        0x17, 0x00, 0x00, 0x00,  // message size 23
        0x00, 0x00, 0x83, 0x80,  // error 0x80830000 Bad_TcpEndpointUrlInvalid
        0x07, 0x00, 0x00, 0x00,  // reason length 7
        0x6e, 0x6f, 0x20, 0x70, 0x61, 0x74, 0x68,  // "no path"
    ]

    @Test func helloFields() throws {
        var state = OPCUA.makeState()
        let result = try #require(OPCUAHarness.message(Self.hello, .toServer, state: &state))
        #expect(result.chunk.type == .hello)
        #expect(result.chunk.size == 56)
        #expect(result.chunk.receiveBufferSize == 65_536)
        #expect(!result.chunk.hasFunction)
        #expect(result.message.functionName == "hello")
        #expect(result.message.functionCode == 0)
        #expect(result.message.operation == .session)
        #expect(result.message.targets.first?.name == "opc.tcp://plc-7:4840/ua/")
        #expect(result.message.targets.first?.values == [65_536, 65_536, 0, 0])
        #expect(result.message.anomalies.isEmpty)
        #expect(state.clientReceiveBuffer == 65_536)
        #expect(UAMessage.hello(url: "opc.tcp://plc-7:4840/ua/") == Self.hello)
    }

    @Test func errorIsAnException() throws {
        var state = OPCUA.makeState()
        let result = try #require(OPCUAHarness.message(Self.error, .toClient, state: &state))
        #expect(result.message.status == .exception(code: 0x8083_0000, name: "bad_tcp_endpoint_url_invalid"))
        #expect(result.message.targets.first?.name == "no path")
        #expect(!result.chunk.hasFunction)
    }

    @Test func acknowledgeToServerIsWrongDirection() throws {
        var state = OPCUA.makeState()
        let result = try #require(OPCUAHarness.message(UAMessage.acknowledge(), .toServer, state: &state))
        #expect(result.message.anomalies == ["opcua.wrong_direction"])
    }

    @Test func smallBuffersAreInvalid() throws {
        var state = OPCUA.makeState()
        let result = try #require(OPCUAHarness.message(UAMessage.hello(receiveBuffer: 100), .toServer, state: &state))
        #expect(result.message.anomalies == ["opcua.invalid_value"])
    }

    @Test(arguments: 0..<56)
    func truncatedHelloNeedsMore(length: Int) {
        var state = OPCUA.makeState()
        let result = OPCUAHarness.parse(Array(Self.hello.prefix(length)), .toServer, state: &state)
        guard case .failure(.needMore(let needed)) = result else {
            Issue.record("prefix \(length): \(result)")
            return
        }
        #expect(needed > length)
    }

    @Test func brokenFramingIsMalformed() {
        var state = OPCUA.makeState()
        func malformed(_ bytes: [UInt8]) -> Bool {
            if case .failure(.malformed) = OPCUAHarness.parse(bytes, .toServer, state: &state) { return true }
            return false
        }
        #expect(malformed([0x58, 0x59, 0x5a, 0x46, 0x10, 0, 0, 0]))  // "XYZ": no such type
        #expect(malformed([0x48, 0x45, 0x58]))  // "HEX"
        #expect(malformed([0x4d, 0x53, 0x47, 0x5a, 0x20, 0, 0, 0]))  // MSG with chunk type 'Z'
        #expect(malformed([0x48, 0x45, 0x4c, 0x43, 0x40, 0, 0, 0]))  // HEL as an intermediate chunk
        #expect(malformed([0x48, 0x45, 0x4c, 0x46, 0x10, 0, 0, 0]))  // HEL of 16 bytes: below its minimum
        #expect(malformed([0x4d, 0x53, 0x47, 0x46, 0x00, 0, 0, 0x10]))  // 256 MiB: above maxChunkSize
        #expect(malformed([0x4d, 0x53, 0x47, 0x46, 0xff, 0xff, 0xff, 0xff]))
    }

    @Test func innerLengthBeyondMessageIsAnAnomaly() throws {
        var bytes = Self.hello
        bytes[28] = 0x40  // endpoint URL length 64 in a 56-byte message
        var state = OPCUA.makeState()
        let result = try #require(OPCUAHarness.message(bytes, .toServer, state: &state))
        #expect(result.message.anomalies == ["opcua.invalid_length"])
        var negative = Self.hello
        negative[28...31] = [0xfe, 0xff, 0xff, 0xff]  // length −2
        #expect(OPCUAHarness.message(negative, .toServer, state: &state)?.message.anomalies == ["opcua.invalid_length"])
    }

    @Test func twoMessagesInOneSegment() throws {
        let stream = Self.hello + UAMessage.acknowledge()
        var state = OPCUA.makeState()
        guard case .success(let first) = OPCUAHarness.parse(stream, .toServer, state: &state) else {
            Issue.record("first message")
            return
        }
        #expect(first.consumed == 56)
        let rest = Array(stream[first.consumed...])
        guard case .success(let second) = OPCUAHarness.parse(rest, .toClient, state: &state) else {
            Issue.record("second message")
            return
        }
        #expect(second.message.type == .acknowledge)
        #expect(second.consumed == rest.count)
    }

    @Test func drippedByteByByte() {
        var state = OPCUA.makeState()
        var buffer: [UInt8] = []
        var parsed = 0
        for byte in Self.hello + Self.hello {
            buffer.append(byte)
            if case .success(let result) = OPCUAHarness.parse(buffer, .toServer, state: &state) {
                parsed += 1
                buffer.removeFirst(result.consumed)
            }
        }
        #expect(parsed == 2)
        #expect(buffer.isEmpty)
    }

    @Test func probe() {
        #expect(OPCUA.probe(Self.hello.span, direction: .toServer) == .match)
        #expect(OPCUA.probe([UInt8]([0x48, 0x45]).span, direction: .toServer) == .needMore)
        #expect(OPCUA.probe([UInt8]([0x47, 0x45, 0x54, 0x20]).span, direction: .toServer) == .reject)  // "GET "
        #expect(OPCUA.probe([UInt8]([0x16, 0x03, 0x01]).span, direction: .toServer) == .reject)  // TLS
    }

    @Test func resynchronizeFindsTheNextHeader() {
        let garbage: [UInt8] = [0x00, 0x4d, 0x53, 0x47, 0x01, 0x02, 0x03]
        let stream = garbage + Self.hello + UAMessage.acknowledge()
        #expect(OPCUA.resynchronize(stream.span, direction: .toServer) == garbage.count)
        #expect(OPCUA.resynchronize([UInt8](repeating: 0x5a, count: 100).span, direction: .toServer) == nil)
        // "AA…A": no header, but the last "A" may begin an ACK still to come.
        #expect(OPCUA.resynchronize([UInt8](repeating: 0x41, count: 100).span, direction: .toServer) == 99)
    }
}
