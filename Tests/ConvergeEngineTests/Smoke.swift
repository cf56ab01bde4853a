import Testing
@testable import ConvergeEngine
@Test func builds() { #expect(Bool(true)) }
