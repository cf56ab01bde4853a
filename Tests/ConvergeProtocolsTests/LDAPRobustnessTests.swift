import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Hostile LDAP input: every cut, bad lengths, deep filters, random bytes. Nothing may trap.
@Suite struct LDAPRobustnessTests {
    typealias F = LDAPFixtures

    /// Parses as a stream message and as a CLDAP datagram, building events and facts.
    @discardableResult
    static func run(_ bytes: [UInt8], state: inout LDAP.State) -> Result<LDAP.Message, DissectError> {
        _ = LDAP.probe(bytes.span, direction: .toServer)
        _ = CLDAP.probe(bytes.span, direction: .toServer)
        _ = LDAP.resynchronize(bytes.span, direction: .toServer)
        var datagramState = CLDAP.makeState()
        do throws(DissectError) {
            let (message, consumed) = try CLDAP.parse(
                bytes.span, direction: .toClient, time: .zero, state: &datagramState)
            #expect(consumed > 0 && consumed <= bytes.count)
            _ = LDAP.event(message, bytes: bytes.span, context: F.context(.toClient), state: &datagramState)
            _ = LDAP.facts(message, bytes: bytes.span, context: F.context(.toClient), state: datagramState)
        } catch {}
        do throws(DissectError) {
            let (message, consumed) = try LDAP.parse(bytes.span, direction: .toServer, time: .zero, state: &state)
            #expect(consumed > 0 && consumed <= bytes.count)
            _ = LDAP.event(message, bytes: bytes.span, context: F.context(.toServer), state: &state)
            _ = LDAP.facts(message, bytes: bytes.span, context: F.context(.toServer), state: state)
            return .success(message)
        } catch {
            return .failure(error)
        }
    }

    @discardableResult
    static func run(_ bytes: [UInt8]) -> Result<LDAP.Message, DissectError> {
        var state = LDAP.makeState()
        return run(bytes, state: &state)
    }

    static let longest = F.all.map(\.count).max() ?? 0

    @Test(arguments: 0..<longest)
    func everyTruncatedPrefixAsksForMore(length: Int) {
        for fixture in F.all where length < fixture.count {
            switch Self.run(Array(fixture[0..<length])) {
            case .failure(let error):
                guard case .needMore(let needed) = error else {
                    Issue.record("cut at \(length) gave \(error)")
                    continue
                }
                #expect(needed > length)
            case .success:
                Issue.record("a cut message parsed at \(length)")
            }
        }
    }

    @Test func badLengthsInsideAMessageAreFlaggedNotThrown() throws {
        var bytes = F.simpleBind
        bytes[8] = 0x7F  // the bind's version INTEGER claims 127 bytes inside a short operation
        let message = try F.parse(bytes)
        #expect(message.anomalies.contains(.invalidBER))
        #expect(message.hasOp)
        // A messageID that is not an INTEGER.
        let odd = DER.seq(DER.octets("x"), DER.app(3, DER.octets("")))
        #expect(try F.parse(odd).anomalies.contains(.invalidBER))
        // An unknown operation tag.
        let unknown = DER.seq(DER.int(1), DER.app(30, DER.octets("")))
        let parsed = try F.parse(unknown)
        #expect(!parsed.hasFunction && parsed.anomalies.contains(.unknownOperation))
    }

    @Test func lengthsBeyondTheLimitAreMalformed() {
        #expect(throws: DissectError.self) { try F.parse([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x02]) }
        #expect(throws: DissectError.self) { try F.parse([0x30, 0x80, 0x02, 0x01, 0x01]) }
        #expect(throws: DissectError.self) { try F.parse([0x04, 0x01, 0x00]) }
    }

    @Test func deepAndWideFiltersAreBounded() throws {
        var filter = F.implicit(7, Array("deep".utf8))
        for _ in 0..<500 { filter = DER.tlv(0xA2, filter) }  // not(not(not(…)))
        var wide: [UInt8] = []
        for index in 0..<300 { wide += F.implicit(7, Array("a\(index)".utf8)) }
        for candidate in [filter, DER.tlv(0xA0, wide)] {
            let bytes = F.message(
                2,
                DER.app(
                    3,
                    DER.octets(""), DER.enumerated(2), DER.enumerated(0), DER.int(0), DER.int(0), DER.tlv(0x01, [0]),
                    candidate, DER.seq()))
            let message = try F.parse(bytes)
            let names = LDAP.filterAttributes(message.filter, bytes.span)
            #expect(names.count <= LDAP.maxListedAttributes)
            #expect(!names.contains("deep"))  // past maxFilterDepth
        }
    }

    @Test func nonUTF8AndControlCharactersStayData() throws {
        let dn: [UInt8] = [0xFF, 0xC3, 0x28, 0x0A, 0x00, 0x41]
        let bytes = F.message(1, DER.app(0, DER.int(3), DER.tlv(0x04, dn), F.implicit(0, [1])))
        let event = try F.event(bytes)
        let name = event.targets.first { $0.kind == "dn" }?.name ?? ""
        #expect(!name.isEmpty && !name.contains("\n") && !name.contains("\0"))
        #expect(try F.facts(bytes, .toServer).allSatisfy { $0.kind != .userName })
    }

    @Test func pendingTableIsBounded() throws {
        var state = LDAP.makeState()
        var overflowed = false
        for id in 0..<(LDAP.maxPendingRequests + 20) {
            let request = F.message(
                Int64(id), DER.app(14, DER.octets("cn=x"), DER.seq(DER.octets("a"), DER.octets("b"))))
            let message = try F.parse(request, .toServer, time: 0, state: &state).message
            overflowed = overflowed || message.anomalies.contains(.pendingOverflow)
        }
        #expect(state.pending.count == LDAP.maxPendingRequests && overflowed)
    }

    @Test(arguments: 0..<3)
    func seededRandomInputsDoNotTrap(seed: UInt64) {
        var generator = SeededGenerator(seed: 0x4C44_4150 &+ seed)
        for _ in 0..<1000 {
            let count = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !bytes.isEmpty && Bool.random(using: &generator) { bytes[0] = 0x30 }
            Self.run(bytes)
        }
    }

    @Test(arguments: 0..<2)
    func mutatedFixturesDoNotTrapAndStateSurvives(seed: UInt64) {
        var generator = SeededGenerator(seed: 0x6C64_6170 &+ seed)
        var state = LDAP.makeState()
        for _ in 0..<1000 {
            var bytes = F.all[Int.random(in: 0..<F.all.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            Self.run(bytes, state: &state)
            if state.tls { state = LDAP.makeState() }
        }
    }
}
