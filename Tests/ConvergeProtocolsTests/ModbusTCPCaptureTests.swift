import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real captures through the dissector, per-function counts compared with tshark's
/// `modbus.func_code` (golden files written by Tests/Fixtures/modbus/regenerate-golden.sh).
@Suite struct ModbusTCPCaptureTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/modbus")

    struct Result {
        var functions: [Int: Int] = [:]
        var exceptions = 0
        var malformed = 0
        var messages: [Message] = []
        var facts: [AssetFact] = []
    }

    /// Every port-502 payload through `parse` in capture order. A per-direction buffer carries an
    /// ADU split across segments into the next one; retransmitted bytes are skipped and a gap in
    /// the sequence numbers drops the buffer (as tshark's reassembly does); malformed framing
    /// drops the buffer too (the engine resynchronises the same way).
    static func run(_ name: String) throws -> Result {
        try run(url: fixtures.appendingPathComponent(name))
    }

    static func run(url: URL) throws -> Result {
        let file = try [UInt8](Data(contentsOf: url))
        var states: [String: ModbusTCP.State] = [:]
        var buffers: [String: [UInt8]] = [:]
        var nextSequence: [String: UInt32] = [:]
        var result = Result()
        for segment in ModbusPcapSplitter.tcpSegments(file) where !segment.payload.isEmpty {
            let toServer = segment.destinationPort == 502
            guard toServer || segment.sourcePort == 502 else { continue }
            let direction: Direction = toServer ? .toServer : .toClient
            let clientPort = toServer ? segment.sourcePort : segment.destinationPort
            let clientAddress = toServer ? segment.source : segment.destination
            let serverAddress = toServer ? segment.destination : segment.source
            let flow = "\(clientAddress):\(clientPort)"
            let stream = "\(flow)/\(direction)"
            // Like tshark's reassembly: skip data already seen, restart after a gap.
            var payload = segment.payload[...]
            if let expected = nextSequence[stream] {
                let ahead = Int32(bitPattern: segment.sequence &- expected)
                if ahead > 0 {
                    buffers[stream] = []
                } else if -Int(ahead) >= payload.count {
                    continue
                } else {
                    payload = payload.dropFirst(-Int(ahead))
                }
            }
            nextSequence[stream] = segment.sequence &+ UInt32(segment.payload.count)
            var bytes = buffers[stream, default: []] + payload
            var state = states[flow] ?? ModbusTCP.makeState()
            let context = MessageContext(
                time: Timestamp(nanoseconds: segment.time), flowID: UInt64(clientPort),
                client: Endpoint(address: IPAddress(v4: clientAddress), port: clientPort),
                server: Endpoint(address: IPAddress(v4: serverAddress), port: 502), direction: direction)
            parsing: while !bytes.isEmpty {
                do throws(DissectError) {
                    let (frame, consumed) = try ModbusTCP.parse(
                        bytes.span, direction: direction, time: context.time, state: &state)
                    result.functions[frame.functionCode, default: 0] += 1
                    if frame.isException { result.exceptions += 1 }
                    result.messages.append(ModbusTCP.event(frame, bytes: bytes.span, context: context, state: &state))
                    result.facts += ModbusTCP.facts(frame, bytes: bytes.span, context: context)
                    bytes.removeFirst(consumed)
                } catch .needMore {
                    break parsing
                } catch .malformed {
                    result.malformed += 1
                    bytes = []
                }
            }
            buffers[stream] = bytes
            states[flow] = state
        }
        return result
    }

    /// The golden file: "<function code> <count>" lines and "exceptions <count>".
    static func golden(_ name: String) throws -> (functions: [Int: Int], exceptions: Int) {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        return golden(text: text)
    }

    static func golden(text: String) -> (functions: [Int: Int], exceptions: Int) {
        var functions: [Int: Int] = [:]
        var exceptions = -1
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let count = Int(fields[1]) else { continue }
            if fields[0] == "exceptions" { exceptions = count } else if let code = Int(fields[0]) {
                functions[code] = count
            }
        }
        return (functions, exceptions)
    }

    @Test(arguments: ["suricata-modbus", "modbus_normal", "modbus_attack"])
    func functionCountsMatchTshark(capture: String) throws {
        let result = try Self.run(capture + ".pcap")
        let expected = try Self.golden(capture + ".tshark.txt")
        #expect(!expected.functions.isEmpty)
        #expect(result.functions == expected.functions)
        #expect(result.exceptions == expected.exceptions)
    }

    @Test func suricataCaptureAnomalies() throws {
        let result = try Self.run("suricata-modbus.pcap")
        // Frames 76–82 carry a length field of 0x8804 and a protocol id of 0x0010: not Modbus framing.
        #expect(result.malformed == 4)
        // Frames 91–99: exception responses padded with a byte the length field counts, and
        // frames 32/34: device-identification requests with one byte too many.
        let long = result.messages.filter { $0.anomalies.contains("modbus.invalid_length") }
        let padded = long.filter { $0.status == .exception(code: 6, name: "server_device_busy") }
        #expect(padded.count == 5)
        #expect(padded.allSatisfy { $0.anomalies.contains("modbus.unsolicited_response") })
        #expect(long.filter { $0.functionName == "read_device_identification" }.count == 2)
        #expect(long.count == 7)
        let listenOnly = result.messages.filter { $0.functionName == "diagnostics.force_listen_only_mode" }
        #expect(listenOnly.count == 6)
        #expect(listenOnly.filter { $0.direction == .toServer }.allSatisfy { $0.operation == .control })
    }

    @Test func normalCaptureIsClean() throws {
        let result = try Self.run("modbus_normal.pcap")
        #expect(result.malformed == 0)
        #expect(result.messages.allSatisfy { $0.anomalies.isEmpty })
        let responses = result.messages.filter { $0.direction == .toClient }
        #expect(responses.count * 2 == result.messages.count)
        #expect(responses.allSatisfy { ($0.roundTripNanoseconds ?? -1) >= 0 })
        let reads = responses.filter { $0.functionCode == 3 }
        #expect(reads.allSatisfy { $0.targets.first.map { $0.values.count == $0.count && $0.address >= 0 } == true })
    }

    @Test func attackCaptureIdentityAndUMAS() throws {
        let result = try Self.run("modbus_attack.pcap")
        let values = Set(result.facts.map { "\($0.kind.rawValue)=\($0.value)" })
        #expect(values.isSuperset(of: [
            "vendor=Schneider Electric", "product_code=BMX P34 2020", "revision=3.20", "model=BMX P34 2020",
        ]))
        let umas = result.messages.filter { $0.functionCode == 90 }
        #expect(umas.map(\.functionName) == ["umas.read_id"])
        let unknown = result.messages.filter { $0.functionName == "unknown_10" }
        #expect(unknown.map(\.anomalies) == [["modbus.unknown_function"]])
        #expect(result.messages.contains { $0.functionName == "mask_write_register" && $0.operation == .write })
    }
}
