import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// Byte-commented AMS/TCP packets.
enum ADSFixtures {
    /// AMS header from the engineering station (192.168.1.99.1.1:32905) to the PLC runtime
    /// (5.1.204.160.1.1:851), or back when `response`.
    static func header(command: UInt8, response: Bool, dataLength: UInt8, invoke: UInt8 = 7) -> [UInt8] {
        let station: [UInt8] = [0xc0, 0xa8, 0x01, 0x63, 0x01, 0x01, 0x89, 0x80]  // NetId + port 32905
        let plc: [UInt8] = [0x05, 0x01, 0xcc, 0xa0, 0x01, 0x01, 0x53, 0x03]  // NetId + port 851
        return (response ? station + plc : plc + station)
            + [command, 0x00]  // command id
            + [response ? 0x05 : 0x04, 0x00]  // state flags: ADS command (| response)
            + [dataLength, 0x00, 0x00, 0x00]  // data length
            + [0x00, 0x00, 0x00, 0x00]  // error code
            + [invoke, 0x00, 0x00, 0x00]  // invoke id
    }

    static func tcp(_ ams: [UInt8]) -> [UInt8] {
        [0x00, 0x00] + [UInt8(ams.count & 0xff), UInt8(ams.count >> 8), 0x00, 0x00] + ams
    }

    static let readDeviceInfoRequest = tcp(header(command: 1, response: false, dataLength: 0))
    static let readDeviceInfoResponse = tcp(
        header(command: 1, response: true, dataLength: 24)
            + [0x00, 0x00, 0x00, 0x00]  // result 0
            + [0x02, 0x0b, 0xea, 0x07]  // version 2.11 build 2026
            + Array("TCatPlcCtrl".utf8) + [UInt8](repeating: 0, count: 5))  // device name, 16 bytes
    /// Write 4 bytes at %MB100 (index group 0x4020, offset 100).
    static let writeRequest = tcp(
        header(command: 3, response: false, dataLength: 16, invoke: 8)
            + [0x20, 0x40, 0x00, 0x00]  // index group 0x4020
            + [0x64, 0x00, 0x00, 0x00]  // index offset 100
            + [0x04, 0x00, 0x00, 0x00]  // length 4
            + [0x2a, 0x00, 0x00, 0x00])  // data
    static let writeResponseDenied = tcp(
        header(command: 3, response: true, dataLength: 4, invoke: 8) + [0x19, 0x07, 0x00, 0x00])  // 0x719
    /// Handle by name for "MAIN.bStart".
    static let symbolHandleRequest = tcp(
        header(command: 9, response: false, dataLength: 27, invoke: 9)
            + [0x03, 0xf0, 0x00, 0x00]  // index group 0xF003
            + [0x00, 0x00, 0x00, 0x00]  // index offset 0
            + [0x04, 0x00, 0x00, 0x00]  // read length 4
            + [0x0b, 0x00, 0x00, 0x00]  // write length 11
            + Array("MAIN.bStart".utf8))
    /// Write control: stop (ADS state 6).
    static let stopRequest = tcp(
        header(command: 5, response: false, dataLength: 8, invoke: 10)
            + [0x06, 0x00, 0x00, 0x00]  // ADS state stop, device state 0
            + [0x00, 0x00, 0x00, 0x00])  // no data
}

@Suite struct ADSTests {
    func parse(_ bytes: [UInt8], state: inout ADS.State, time: Int64 = 0) throws -> (ADS.Frame, Int) {
        let result = try ADS.parse(
            bytes.span, direction: .toServer, time: Timestamp(nanoseconds: time), state: &state)
        return (result.message, result.consumed)
    }

    func context(_ direction: Direction) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: 0), flowID: 1,
            client: Endpoint(address: IPAddress(v4: 0xc0a8_0163), port: 50000),
            server: Endpoint(address: IPAddress(v4: 0xc0a8_0108), port: 48898), direction: direction)
    }

    @Test func readDeviceInfoPairsAndGivesFacts() throws {
        var state = ADS.State()
        let (request, used) = try parse(ADSFixtures.readDeviceInfoRequest, state: &state, time: 1_000)
        #expect(used == 38)
        #expect(request.functionCode == 1 && !request.isResponse && request.anomalies.isEmpty)
        #expect(ADS.probe(ADSFixtures.readDeviceInfoRequest.span, direction: .toServer) == .match)
        let bytes = ADSFixtures.readDeviceInfoResponse
        let (response, _) = try parse(bytes, state: &state, time: 3_000)
        #expect(response.isResponse && response.roundTripNanoseconds == 2_000 && response.anomalies.isEmpty)
        #expect(ADS.netIDText(response.sourceNetID) == "5.1.204.160.1.1")
        let facts = ADS.facts(response, bytes: bytes.span, context: context(.toClient), state: state)
        #expect(facts.contains { $0.kind == .model && $0.value == "TCatPlcCtrl" })
        #expect(facts.contains { $0.kind == .software && $0.value == "TCatPlcCtrl" })
        #expect(facts.contains { $0.kind == .firmware && $0.value == "2.11.2026" })
        #expect(facts.allSatisfy { $0.address == IPAddress(v4: 0xc0a8_0108) })
        let event = ADS.event(response, bytes: bytes.span, context: context(.toClient), state: &state)
        #expect(event.functionName == "read_device_info" && event.operation == .discovery && event.status == .ok)
        #expect(event.targets.contains { $0.kind == "ams_source" && $0.name == "5.1.204.160.1.1" && $0.address == 851 })
    }

    @Test func writeIsWriteAndErrorIsStatus() throws {
        var state = ADS.State()
        let (request, _) = try parse(ADSFixtures.writeRequest, state: &state)
        #expect(request.indexGroup == 0x4020 && request.indexOffset == 100 && request.length == 4)
        let event = ADS.event(request, bytes: ADSFixtures.writeRequest.span, context: context(.toServer), state: &state)
        #expect(event.operation == .write && event.status == .pending)
        #expect(event.targets.contains { $0.kind == "plc_memory" && $0.address == 100 && $0.count == 4 })
        let (response, _) = try parse(ADSFixtures.writeResponseDenied, state: &state)
        let answer = ADS.event(
            response, bytes: ADSFixtures.writeResponseDenied.span, context: context(.toClient), state: &state)
        #expect(answer.status == .exception(code: 0x719, name: "access_denied"))
        #expect(answer.targets.contains { $0.kind == "plc_memory" && $0.address == 100 })
    }

    @Test func symbolNameAndControl() throws {
        var state = ADS.State()
        let (handle, _) = try parse(ADSFixtures.symbolHandleRequest, state: &state)
        let event = ADS.event(
            handle, bytes: ADSFixtures.symbolHandleRequest.span, context: context(.toServer), state: &state)
        #expect(event.targets.contains { $0.kind == "symbol_handle_by_name" && $0.name == "MAIN.bStart" })
        #expect(handle.anomalies.isEmpty)
        let (stop, _) = try parse(ADSFixtures.stopRequest, state: &state)
        let control = ADS.event(stop, bytes: ADSFixtures.stopRequest.span, context: context(.toServer), state: &state)
        #expect(control.operation == .control && control.anomalies == ["ads.state_change"])
        #expect(control.targets.contains { $0.kind == "ads_state" && $0.name == "stop" && $0.address == 6 })
    }

    @Test func unknownCommandAndUnsolicited() throws {
        var state = ADS.State()
        var bytes = ADSFixtures.writeResponseDenied
        bytes[6 + 16] = 0x42  // command id 0x42
        let (frame, _) = try parse(bytes, state: &state)
        #expect(frame.anomalies.contains(.unknownCommand) && frame.anomalies.contains(.unsolicitedResponse))
        #expect(ADS.probe(bytes.span, direction: .toServer) == .reject)
    }

    @Test func badLengths() throws {
        var state = ADS.State()
        var short = ADSFixtures.writeRequest
        short[2] = 31  // below the AMS header
        #expect(throws: DissectError.self) { try parse(short, state: &state) }
        var huge = ADSFixtures.writeRequest
        huge[5] = 0x7f
        #expect(throws: DissectError.self) { try parse(huge, state: &state) }
        var mismatched = ADSFixtures.writeRequest
        mismatched[6 + 20] = 99  // data length disagrees with the AMS/TCP length
        #expect(try parse(mismatched, state: &state).0.anomalies.contains(.invalidLength))
    }

    @Test(arguments: 0..<ADSFixtures.readDeviceInfoResponse.count)
    func truncatedPrefixAsksForMore(_ length: Int) {
        var state = ADS.State()
        let prefix = Array(ADSFixtures.readDeviceInfoResponse.prefix(length))
        #expect(throws: DissectError.self) { try parse(prefix, state: &state) }
    }

    @Test func twoPacketsInOneSegment() throws {
        var state = ADS.State()
        let both = ADSFixtures.writeRequest + ADSFixtures.readDeviceInfoRequest
        let (_, first) = try parse(both, state: &state)
        let (second, used) = try parse(Array(both[first...]), state: &state)
        #expect(first == ADSFixtures.writeRequest.count && second.functionCode == 1 && used == 38)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0xAD5)
        var state = ADS.State()
        var parsed = 0
        for _ in 0..<3_000 {
            let count = Int.random(in: 0..<120, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 6, Bool.random(using: &generator) {
                bytes.replaceSubrange(0..<6, with: [0, 0, UInt8(max(32, count - 6)), 0, 0, 0])
            }
            _ = ADS.probe(bytes.span, direction: .toServer)
            guard let (frame, _) = try? parse(bytes, state: &state) else { continue }
            parsed += 1
            let event = ADS.event(frame, bytes: bytes.span, context: context(.toServer), state: &state)
            _ = ADS.facts(frame, bytes: bytes.span, context: context(.toClient), state: state)
            #expect(event.proto == "ads")
        }
        #expect(parsed > 0)
        #expect(state.pending.count <= ADS.State.pendingCapacity)
    }

    @Test func fixtureCaptureMatchesTshark() throws {
        let path = ITStreamRunner.fixture("ads", "beckofflink.pcapng")
        let golden = try #require(ITStreamRunner.text(ITStreamRunner.fixture("ads", "beckofflink.tshark.txt")))
        let result = ITStreamRunner.run(ADS.self, path: path, ports: [48898])
        #expect(result.functions == ITStreamRunner.golden(golden))
        #expect(result.malformed == 0)
        #expect(result.facts.contains { $0.kind == .software })
    }

    @Test func sharedCapturesMatchTshark() throws {
        guard let folder = ITStreamRunner.shared("public/iti/beckoff") else {
            print("skipped: ../shared/captures/public/iti/beckoff is missing")
            return
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pcapng") }
        #expect(names.count >= 10)
        for name in names.sorted() {
            let goldenPath = ITStreamRunner.fixture("ads", "shared-golden/" + name.replacingOccurrences(
                of: ".pcapng", with: ".tshark.txt"))
            let golden = try #require(ITStreamRunner.text(goldenPath))
            let result = ITStreamRunner.run(ADS.self, path: folder + "/" + name, ports: [48898], events: false)
            #expect(result.functions == ITStreamRunner.golden(golden), "\(name)")
        }
    }
}
