import Testing
@testable import ConvergeProtocols
@Test func builds() { #expect(Bool(true)) }
