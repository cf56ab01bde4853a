import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Hostile DNS: every truncation, lying counts and lengths, pointer chains and loops, over-long
/// names, and thousands of random messages through parse, event and facts of every DNS-family
/// dissector. Nothing may trap or hang.
@Suite struct DNSRobustnessTests {
    typealias H = NameServiceHarness
    typealias F = DNSFixtures

    /// Parse, event and facts, whatever the bytes.
    static func exercise<D: Dissector>(_ dissector: D.Type, _ bytes: [UInt8], _ direction: Direction = .toClient)
        -> DissectError?
    {
        var state = D.makeState()
        switch H.parse(D.self, bytes, direction, state: &state) {
        case .success(let parsed):
            let used = Array(bytes.prefix(parsed.consumed))
            let context = H.context(direction)
            _ = D.event(parsed.message, bytes: used.span, context: context, state: &state)
            _ = D.facts(parsed.message, bytes: used.span, context: context, state: state)
            return nil
        case .failure(let error):
            return error
        }
    }

    /// Every prefix of the response: under a header it is malformed; from there on it parses,
    /// flagged truncated until the whole message is there.
    @Test(arguments: 0..<F.response.count)
    func truncatedResponse(length: Int) {
        let prefix = Array(F.response.prefix(length))
        var state = DNS.makeState()
        switch H.parse(DNS.self, prefix, .toClient, state: &state) {
        case .failure(.malformed):
            #expect(length < DNS.headerLength)
        case .failure(.needMore):
            Issue.record("a datagram never asks for more")
        case .success(let parsed):
            #expect(length >= DNS.headerLength)
            #expect(parsed.consumed == length)
            #expect(parsed.message.anomalies.contains(.truncated))
        }
        #expect(Self.exercise(MDNS.self, prefix) == nil || length < DNS.headerLength)
    }

    /// Every prefix of every fixture behind a TCP length: more is needed, and never more than the frame.
    @Test(arguments: 0..<F.all.count)
    func truncatedTCPFramesNeedMore(fixture: Int) {
        let framed = F.framed(F.all[fixture])
        for length in 0..<framed.count {
            var state = DNSOverTCP.makeState()
            guard case .failure(.needMore(let needed)) = H.parse(DNSOverTCP.self, Array(framed.prefix(length)),
                state: &state)
            else {
                Issue.record("fixture \(fixture) prefix \(length) did not ask for more")
                continue
            }
            #expect(needed > length && needed <= framed.count)
        }
    }

    /// A TCP length shorter than the message inside: the frame ends where the length says and the
    /// rest is the next frame; longer: the records run out inside the frame.
    @Test func lyingTCPLengths() {
        var short = F.framed(F.response)
        short[1] = 20
        var state = DNSOverTCP.makeState()
        guard case .success(let cut) = H.parse(DNSOverTCP.self, short, state: &state) else {
            Issue.record("short frame not parsed")
            return
        }
        #expect(cut.consumed == 22)
        #expect(cut.message.anomalies.contains(.truncated))
        var long = F.framed(F.query)
        long[1] = UInt8(F.query.count + 4)
        long += [0, 0, 0, 0]
        guard case .success(let padded) = H.parse(DNSOverTCP.self, long, state: &state) else { return }
        #expect(padded.message.anomalies.contains(.trailingBytes))
    }

    /// Counts far beyond the bytes, and counts beyond the walk's cap.
    @Test func lyingCounts() throws {
        var many = F.response
        many[7] = 0xff  // 255 answers in 2
        let frame = try #require(H.run(DNS.self, many, .toClient)).parsed
        #expect(frame.anomalies.contains(.truncated))
        #expect(frame.recordsWalked == 3)
        // 300 minimal questions (root, A, IN): the walk stops at its cap.
        var flood: [UInt8] = [0, 1, 1, 0, 0x01, 0x2c, 0, 0, 0, 0, 0, 0]
        for _ in 0..<300 { flood += [0, 0, 1, 0, 1] }
        let capped = try #require(H.run(DNS.self, flood)).parsed
        #expect(capped.anomalies.contains(.tooManyRecords))
        #expect(Int(capped.recordsWalked) == DNS.maxRecordsWalked)
    }

    /// 200 pointers each pointing at the one before: decoding stops at `maxPointerJumps`.
    @Test func longPointerChainsStop() {
        var message: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]
        message += [1, 0x61, 0]  // 12: "a"
        var previous = 12
        for _ in 0..<200 {
            let here = message.count
            message += [0xc0 | UInt8(previous >> 8), UInt8(previous & 0xff)]
            previous = here
        }
        let last = previous
        message[4] = 0
        #expect(H.dnsName(message, at: last) == nil)
        #expect(H.dnsName(message, at: 12 + 3) == "a")
        #expect(H.dnsName(message, at: 12 + 3 + 2 * (DNS.maxPointerJumps - 1)) == "a")
        #expect(H.dnsName(message, at: 12 + 3 + 2 * DNS.maxPointerJumps) == nil)
    }

    /// Names over 255 bytes and reserved label types are flagged by the walk and never decoded.
    @Test func overlongNamesAndReservedLabels() throws {
        var long: [UInt8] = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for _ in 0..<5 { long += [63] + Array(repeating: 0x61, count: 63) }
        long += [0, 0, 1, 0, 1]
        let frame = try #require(H.run(DNS.self, long)).parsed
        #expect(frame.anomalies.contains(.badName))
        #expect(H.dnsName(long, at: 12) == nil)
        let reserved: [UInt8] = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0x00, 0, 0, 1, 0, 1]
        let bad = try #require(H.run(DNS.self, reserved))
        #expect(bad.parsed.anomalies.contains(.badName))
        #expect(bad.message.targets.isEmpty)
    }

    /// Random bytes, and random bytes behind a plausible header, through every DNS dissector.
    @Test(arguments: [0xD05_0001, 0xD05_0002, 0xD05_0003] as [UInt64])
    func randomInputsNeverTrap(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for round in 0..<1_000 {
            let count = Int.random(in: 0..<160, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 2 == 0, bytes.count >= 12 {
                // Small counts, so the walk goes into the random sections.
                for index in 4..<12 { bytes[index] = index % 2 == 0 ? 0 : UInt8.random(in: 0...4, using: &generator) }
                // Sprinkle compression pointers.
                for index in stride(from: 12, to: bytes.count, by: 7) where bytes[index] & 1 == 0 {
                    bytes[index] |= 0xc0
                }
            }
            _ = Self.exercise(DNS.self, bytes)
            _ = Self.exercise(MDNS.self, bytes)
            _ = Self.exercise(LLMNR.self, bytes)
            _ = Self.exercise(DNSOverTCP.self, [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xff)] + bytes)
            _ = Self.exercise(DNSOverTCP.self, bytes)
            _ = H.probe(DNS.self, bytes)
            _ = H.probe(DNSOverTCP.self, bytes)
        }
    }
}
