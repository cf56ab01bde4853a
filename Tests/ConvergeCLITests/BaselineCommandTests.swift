import Testing

@testable import converge

@Suite struct BaselineCommandTests {
    @Test func durationsParseWithTheirUnits() {
        #expect(BaselineCommand.duration("45s") == 45_000_000_000)
        #expect(BaselineCommand.duration("90m") == 5_400_000_000_000)
        #expect(BaselineCommand.duration("30d") == Int64(30 * 86_400) * 1_000_000_000)
    }

    @Test func badDurationsAreRejectedNotTrapped() {
        for text in ["", "d", "30", "30w", "-1d", "9223372036854775807d", "1.5h"] {
            #expect(BaselineCommand.duration(text) == nil, "\(text)")
        }
    }
}
