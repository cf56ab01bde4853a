import Testing
@testable import ConvergeWire
@Test func builds() { #expect(Bool(true)) }
