import Testing
@testable import converge

@Suite struct CSVTests {
    @Test func plainFieldsStayAsTheyAre() {
        #expect(CSV.quote("10.0.0.1:502") == "10.0.0.1:502")
        #expect(CSV.quote("-12") == "-12")
    }

    @Test func separatorsAndQuotesAreQuoted() {
        #expect(CSV.quote("a,b") == "\"a,b\"")
        #expect(CSV.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.quote("two\nlines") == "\"two\nlines\"")
    }

    @Test func formulasFromTheWireAreNeutralised() {
        #expect(CSV.quote("=cmd|' /C calc'!A0") == "\"'=cmd|' /C calc'!A0\"")
        #expect(CSV.quote("@SUM(1)") == "\"'@SUM(1)\"")
    }
}
