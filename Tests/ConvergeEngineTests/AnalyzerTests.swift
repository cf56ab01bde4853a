import ConvergeEngine
import ConvergeModel
import Foundation
import Testing

@Suite("Analyzer end to end")
struct AnalyzerTests {
    static let hmi: (UInt32, UInt16) = (0x0A00_0001, 50_000)  // 10.0.0.1
    static let plc: (UInt32, UInt16) = (0x0A00_0002, 502)  // 10.0.0.2

    /// A Modbus session: handshake, read holding registers (3) and its reply, a write single
    /// register (6) answered by an exception, then FIN both ways.
    static func modbusSession() -> PcapBuilder {
        var p = PcapBuilder()
        p.tcp(from: hmi, to: plc, seq: 100, flags: 0x02)
        p.tcp(from: plc, to: hmi, seq: 900, ack: 101, flags: 0x12)
        p.tcp(from: hmi, to: plc, seq: 101, ack: 901, flags: 0x10)
        // MBAP: tid 1, pid 0, len 6, unit 1 | fc 3, start 0x0010, quantity 2
        let read: [UInt8] = [0, 1, 0, 0, 0, 6, 1, 3, 0x00, 0x10, 0x00, 0x02]
        p.tcp(from: hmi, to: plc, seq: 101, ack: 901, flags: 0x18, payload: read)
        // tid 1, len 7, unit 1 | fc 3, byte count 4, values 0x0102 0x0304
        let reply: [UInt8] = [0, 1, 0, 0, 0, 7, 1, 3, 4, 0x01, 0x02, 0x03, 0x04]
        p.tcp(from: plc, to: hmi, seq: 901, ack: 113, flags: 0x18, payload: reply)
        // tid 2 | fc 6, register 0x0001 := 0x00FF; reply: exception 0x86 code 2 (illegal data address)
        let write: [UInt8] = [0, 2, 0, 0, 0, 6, 1, 6, 0x00, 0x01, 0x00, 0xFF]
        p.tcp(from: hmi, to: plc, seq: 113, ack: 914, flags: 0x18, payload: write)
        let exception: [UInt8] = [0, 2, 0, 0, 0, 3, 1, 0x86, 0x02]
        p.tcp(from: plc, to: hmi, seq: 914, ack: 125, flags: 0x18, payload: exception)
        p.tcp(from: hmi, to: plc, seq: 125, ack: 923, flags: 0x11)
        p.tcp(from: plc, to: hmi, seq: 923, ack: 126, flags: 0x11)
        p.tcp(from: hmi, to: plc, seq: 126, ack: 924, flags: 0x10)
        return p
    }

    @Test func countsPacketsFlowsAndModbusFunctions() throws {
        let file = TemporaryFile()
        try Self.modbusSession().write(to: file.url)
        let summary = Analyzer().run(paths: [file.path])
        #expect(summary.packets == 10)
        #expect(summary.flows.tcp == 1)
        #expect(summary.flows.udp == 0)
        #expect(summary.protocols["modbus"]?.messages == 4)
        #expect(summary.protocols["modbus"]?.functions == ["3": 2, "6": 2])
        #expect(summary.errors.isEmpty)
        #expect(summary.firstTs == 1_700_000_001)
        #expect(summary.lastTs == 1_700_000_010)
    }

    @Test func flowRecordNamesClientServerAndApplication() throws {
        let file = TemporaryFile()
        try Self.modbusSession().write(to: file.url)
        let analyzer = Analyzer()
        var records: [FlowRecord] = []
        analyzer.flowSink = { records.append($0) }
        _ = analyzer.run(paths: [file.path])
        let flow = try #require(records.first)
        #expect(records.count == 1)
        #expect(flow.client.description == "10.0.0.1:50000")
        #expect(flow.server.description == "10.0.0.2:502")
        #expect(flow.application == "modbus")
        #expect(flow.packetsToServer == 6)
        #expect(flow.packetsToClient == 4)
    }

    @Test func eventsCarryFunctionsAndExceptions() throws {
        let file = TemporaryFile()
        try Self.modbusSession().write(to: file.url)
        let analyzer = Analyzer()
        var events: [Message] = []
        analyzer.eventSink = { if case .message(let m) = $0 { events.append(m) } }
        _ = analyzer.run(paths: [file.path])
        #expect(events.map(\.functionCode) == [3, 3, 6, 6])
        #expect(events.map(\.direction) == [.toServer, .toClient, .toServer, .toClient])
        if case .exception(let code, _) = events.last?.status {
            #expect(code == 2)
        } else {
            Issue.record("expected the last reply to be exception 2, got \(String(describing: events.last?.status))")
        }
    }

    @Test func modbusSplitAcrossSegmentsIsReassembled() throws {
        var p = PcapBuilder()
        p.tcp(from: Self.hmi, to: Self.plc, seq: 100, flags: 0x02)
        p.tcp(from: Self.plc, to: Self.hmi, seq: 900, ack: 101, flags: 0x12)
        let read: [UInt8] = [0, 1, 0, 0, 0, 6, 1, 3, 0x00, 0x10, 0x00, 0x02]
        // The request in two segments, the second sent first (out of order).
        p.tcp(from: Self.hmi, to: Self.plc, seq: 106, ack: 901, flags: 0x18, payload: Array(read[5...]))
        p.tcp(from: Self.hmi, to: Self.plc, seq: 101, ack: 901, flags: 0x18, payload: Array(read[..<5]))
        // A retransmission of the whole request must not count twice.
        p.tcp(from: Self.hmi, to: Self.plc, seq: 101, ack: 901, flags: 0x18, payload: read)
        let file = TemporaryFile()
        try p.write(to: file.url)
        let summary = Analyzer().run(paths: [file.path])
        #expect(summary.protocols["modbus"]?.functions == ["3": 1])
    }

    @Test func damagedFileKeepsWhatWasReadAndNamesTheRecord() throws {
        var data = Self.modbusSession().data
        data.removeLast(5)  // cut the last record short
        let file = TemporaryFile()
        try data.write(to: file.url)
        let summary = Analyzer().run(paths: [file.path])
        #expect(summary.packets == 9)
        let error = try #require(summary.errors.first)
        #expect(error.kind == .file)
        #expect(error.record == 10)
        #expect(error.file == file.path)
    }

    @Test func nonCaptureFileIsAnErrorWithNothingRead() throws {
        let file = TemporaryFile("notes.txt")
        try Data("this is not a capture\n".utf8).write(to: file.url)
        let summary = Analyzer().run(paths: [file.path])
        #expect(summary.packets == 0)
        #expect(summary.errors.count == 1)
        #expect(summary.errors.first?.kind == .file)
    }

    @Test func twoFilesAreMergedInTimeOrder() throws {
        let a = TemporaryFile(), b = TemporaryFile()
        try Self.modbusSession().write(to: a.url)
        var other = PcapBuilder()
        other.udp(from: (0x0A00_0003, 5353), to: (0xE000_00FB, 5353), payload: [0, 0, 0, 0])
        try other.write(to: b.url)
        let summary = Analyzer().run(paths: [a.path, b.path])
        #expect(summary.packets == 11)
        #expect(summary.flows.udp == 1)
        #expect(summary.flows.tcp == 1)
    }
}
