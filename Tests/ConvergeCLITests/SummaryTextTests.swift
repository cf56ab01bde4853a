import ConvergeEngine
import Testing
@testable import converge

@Suite struct SummaryTextTests {
    @Test func groupsThousands() {
        #expect(SummaryText.grouped(0) == "0")
        #expect(SummaryText.grouped(999) == "999")
        #expect(SummaryText.grouped(1000) == "1,000")
        #expect(SummaryText.grouped(5_714_651) == "5,714,651")
    }

    @Test func scalesBytes() {
        #expect(SummaryText.bytes(512) == "512 B")
        #expect(SummaryText.bytes(920_700_000) == "920.7 MB")
    }

    @Test func rendersProtocolsAndErrors() {
        var s = AnalysisSummary()
        s.packets = 12
        s.protocols["modbus"] = .init(messages: 7, functions: ["3": 5, "16": 2])
        s.decodeErrors["truncated_ip"] = 1
        s.errors = [.init(kind: .file, file: "cut.pcap", record: 13, offset: 900, reason: "truncated record")]
        let text = SummaryText.render(s)
        #expect(text.contains("modbus"))
        #expect(text.contains("3×5"))
        #expect(text.contains("cut.pcap record 13 @900: truncated record"))
        #expect(text.contains("truncated_ip"))
    }
}
