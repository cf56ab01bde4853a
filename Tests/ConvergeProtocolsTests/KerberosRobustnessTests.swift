import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Hostile Kerberos input: every cut, bad lengths, deep nesting, random bytes. Nothing may trap.
@Suite struct KerberosRobustnessTests {
    typealias F = KerberosFixtures

    /// Parses as a datagram and as a TCP record, building events and facts; returns the datagram result.
    @discardableResult
    static func run(_ bytes: [UInt8]) -> Result<Kerberos.Message, DissectError> {
        var state = Kerberos.makeState()
        _ = Kerberos.probe(bytes.span, direction: .toServer)
        _ = KerberosOverTCP.probe(bytes.span, direction: .toServer)
        _ = KerberosOverTCP.resynchronize(bytes.span, direction: .toServer)
        do throws(DissectError) {
            let (message, _) = try KerberosOverTCP.parse(bytes.span, direction: .toClient, time: .zero, state: &state)
            _ = Kerberos.event(message, bytes: bytes.span, context: F.context(.toClient), state: &state)
            _ = Kerberos.facts(message, bytes: bytes.span, context: F.context(.toClient), state: state)
        } catch {}
        do throws(DissectError) {
            let (message, consumed) = try Kerberos.parse(bytes.span, direction: .toServer, time: .zero, state: &state)
            #expect(consumed == bytes.count)
            _ = Kerberos.event(message, bytes: bytes.span, context: F.context(.toServer), state: &state)
            _ = Kerberos.facts(message, bytes: bytes.span, context: F.context(.toServer), state: state)
            return .success(message)
        } catch {
            return .failure(error)
        }
    }

    static let longest = F.all.map(\.count).max() ?? 0

    @Test(arguments: 0..<longest)
    func everyTruncatedPrefix(length: Int) {
        for fixture in F.all where length < fixture.count {
            switch Self.run(Array(fixture[0..<length])) {
            case .failure(let error):
                // Only an empty datagram asks for more; anything else that fails is malformed.
                if length > 0 { #expect(error != .needMore(1)) }
            case .success(let message):
                // A cut message parses as far as it goes, flagged.
                #expect(message.anomalies.contains(.truncated) || message.anomalies.contains(.invalidBER))
            }
            // As a TCP record, every cut prefix asks for more.
            var state = KerberosOverTCP.makeState()
            let record = F.record(fixture)
            let cut = Array(record[0..<min(length + 4, record.count - 1)])
            #expect(throws: DissectError.self) {
                try KerberosOverTCP.parse(cut.span, direction: .toServer, time: .zero, state: &state)
            }
        }
    }

    @Test func lengthsPastTheirContainerAreInvalid() throws {
        var bytes = F.asRequest
        // The SEQUENCE inside the application tag claims more than the tag holds.
        let inner = bytes[1] & 0x80 == 0 ? 2 : 2 + Int(bytes[1] & 0x7f)
        bytes[inner + 1] = 0x82
        let message = try F.parse(bytes)
        #expect(message.anomalies.contains(.invalidBER) || message.anomalies.contains(.truncated))
        #expect(message.hasFunction)
    }

    @Test func indefiniteAndHugeLengthsDoNotTrap() {
        Self.run([0x6A, 0x80, 0x30, 0x80, 0x00, 0x00])
        Self.run([0x6A, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x30, 0x00])
        Self.run([0x6A, 0x88, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        Self.run([0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x01, 0x00])
        let message = try? F.parse([0x6A, 0x84, 0x00, 0x00, 0x10, 0x00, 0x30, 0x00])
        #expect(message?.anomalies.contains(.truncated) == true)
    }

    @Test func tooManyEtypesAndPadataAreCappedAndFlagged() throws {
        let etypes = (0..<200).map { Int64($0 % 30) }
        let bytes = DER.app(
            10,
            DER.seq(
                DER.ctx(1, DER.int(5)), DER.ctx(2, DER.int(10)),
                DER.ctx(3, DER.tlv(0x30, (0..<100).flatMap { _ in DER.seq(DER.ctx(1, DER.int(2))) })),
                F.requestBody(etypes: etypes)))
        let message = try F.parse(bytes)
        #expect(message.etypeCount == Kerberos.maxEtypes)
        #expect(message.padataCount == Kerberos.maxPadata)
        #expect(message.anomalies.contains(.tooManyEntries))
        #expect(Kerberos.etypes(message, bytes.span).count == Kerberos.maxEtypes)
    }

    @Test func deepNestingInsideAFieldIsSkippedNotFollowed() throws {
        var nested: [UInt8] = DER.int(1)
        for _ in 0..<2000 { nested = DER.tlv(0x30, nested) }
        let bytes = DER.app(
            10,
            DER.seq(
                DER.ctx(1, DER.int(5)), DER.ctx(2, DER.int(10)), DER.ctx(9, nested), F.requestBody()))
        let message = try F.parse(bytes)
        #expect(Kerberos.principalText(message.clientName, bytes.span) == "alice")
        // A principal whose name list nests instead of listing strings yields text, not a trap.
        let odd = DER.app(30, DER.seq(DER.ctx(8, DER.seq(DER.ctx(1, nested)))))
        Self.run(odd)
    }

    @Test func nonUTF8NamesStayData() throws {
        let bytes = DER.app(
            30,
            DER.seq(
                DER.ctx(1, DER.int(30)), DER.ctx(6, DER.int(6)),
                DER.ctx(9, DER.tlv(0x1B, [0xFF, 0xFE, 0x00, 0x41, 0x0A])),
                DER.ctx(8, DER.seq(DER.ctx(1, DER.tlv(0x30, DER.tlv(0x1B, [0xC3, 0x28, 0x41])))))))
        var state = Kerberos.makeState()
        let message = try F.parse(bytes, .toClient, state: &state)
        let event = Kerberos.event(message, bytes: bytes.span, context: F.context(.toClient), state: &state)
        #expect(event.targets.contains { $0.kind == "realm" })
        let facts = Kerberos.facts(message, bytes: bytes.span, context: F.context(.toClient), state: state)
        #expect(!facts.contains { $0.kind == .domain })
    }

    @Test(arguments: 0..<3)
    func seededRandomInputsDoNotTrap(seed: UInt64) {
        var generator = SeededGenerator(seed: 0x4B52_4235 &+ seed)
        for _ in 0..<1000 {
            let count = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !bytes.isEmpty && Bool.random(using: &generator) {
                bytes[0] = 0x6A | UInt8.random(in: 0...0x14, using: &generator)
            }
            Self.run(bytes)
        }
    }

    @Test(arguments: 0..<2)
    func mutatedFixturesDoNotTrap(seed: UInt64) {
        var generator = SeededGenerator(seed: 0x6B72_6235 &+ seed)
        for _ in 0..<1000 {
            var bytes = F.all[Int.random(in: 0..<F.all.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            Self.run(bytes)
        }
    }
}
