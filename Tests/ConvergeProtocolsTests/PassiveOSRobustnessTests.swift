import ConvergeModel
import ConvergeTestSupport
import Testing
@testable import ConvergeProtocols

/// Hostile input: every truncated prefix, random frames, and decoded packets whose offsets lie.
/// Nothing may trap; whatever is read must stay within what the frame can hold.
@Suite struct PassiveOSRobustnessTests {
    typealias F = PassiveOSFrames

    static let samples: [[UInt8]] = [F.linuxSYN(), F.windowsSynAck(), F.macSYNv6()]

    static func isPlausible(_ sig: PassiveOSSignature) -> Bool {
        (sig.ipVersion == 4 || sig.ipVersion == 6) && sig.initialTTL >= sig.ttl
            && Int(sig.options.count) <= PassiveOSSignature.OptionLayout.capacity
            && Int(sig.eolPadding) < PassiveOSSignature.maxOptionBytes && sig.payloadLength >= 0
    }

    @Test(arguments: 0..<74)
    func everyPrefixOfALinuxSYN(length: Int) {
        for sample in Self.samples where length < sample.count {
            let prefix = Array(sample.prefix(length))
            if let sig = F.signature(prefix) {
                #expect(Self.isPlausible(sig))
                // The p0f text of a cut SYN still renders.
                #expect(!sig.p0fText.isEmpty)
            }
        }
        // Below the TCP header's 20 bytes there is nothing to read.
        if length < 14 + 20 + 20 { #expect(F.signature(Array(F.linuxSYN().prefix(length))) == nil) }
    }

    /// Half the frames are real SYNs with a few bytes changed (so the option walk sees wild kinds and
    /// lengths), half are random bytes; the guess and facts run on whatever was read.
    @Test func seededRandomFramesNeverTrap() {
        var rng = SeededGenerator(seed: 0x0550_F0F0)
        var read = 0
        for round in 0..<3000 {
            var frame: [UInt8]
            if round % 2 == 0, let seed = Self.samples.randomElement(using: &rng) {
                frame = seed
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    // Mostly the TCP header and options, where the walk is.
                    let low = min(frame.count - 1, 14 + 20)
                    let index = Bool.random(using: &rng)
                        ? Int.random(in: low..<frame.count, using: &rng) : Int.random(in: 0..<frame.count, using: &rng)
                    frame[index] = UInt8.random(in: 0...255, using: &rng)
                }
                frame[14 + 20 + 13] |= 0x02  // keep it a SYN so the walk runs
                if Bool.random(using: &rng) {
                    frame = Array(frame.prefix(Int.random(in: 0...frame.count, using: &rng)))
                }
            } else {
                frame = (0..<Int.random(in: 0..<120, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            guard let sig = F.signature(frame) else { continue }
            read += 1
            #expect(Self.isPlausible(sig), "round \(round)")
            _ = PassiveOS.guess(sig)
            let facts = PassiveOS.facts(for: sig, address: .none, time: Timestamp(seconds: 0, nanoseconds: 0),
                                        isServer: sig.isSynAck)
            #expect(facts.allSatisfy { $0.confidence == .low || $0.confidence == .medium })
        }
        #expect(read > 500)
    }

    /// `read` trusts no offset in the decoded packet: offsets past the frame, negative, or crossed.
    @Test func lyingDecodedPacketsNeverTrap() {
        var rng = SeededGenerator(seed: 0xBAD0_FF5E7)
        let frame = F.linuxSYN()
        for _ in 0..<3000 {
            var packet = DecodedPacket()
            packet.transport = .tcp
            packet.network = Bool.random(using: &rng) ? .ipv4 : .ipv6
            packet.tcpFlags = 0x02
            packet.networkOffset = Int.random(in: -100...200, using: &rng)
            packet.transportOffset = Int.random(in: -100...200, using: &rng)
            packet.payloadLength = Int.random(in: -100...200, using: &rng)
            packet.hopLimit = UInt8.random(in: 0...255, using: &rng)
            let cut = Array(frame.prefix(Int.random(in: 0...frame.count, using: &rng)))
            if let sig = PassiveOSSignature.read(cut.span, packet: packet) {
                #expect(Self.isPlausible(sig))
                #expect(packet.transportOffset + 20 <= cut.count)
            }
        }
    }
}
