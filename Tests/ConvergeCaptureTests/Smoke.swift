import Testing
@testable import ConvergeCapture
@Test func builds() { #expect(Bool(true)) }
