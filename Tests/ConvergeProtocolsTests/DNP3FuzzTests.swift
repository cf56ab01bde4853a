import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Hostile input: random bytes, random frames with valid CRCs around random application data,
/// and mutated real frames. Nothing may trap, hang or consume more than it was given.
@Suite struct DNP3FuzzTests {
    typealias B = DNP3Bytes

    /// Feeds `bytes` as the engine would (parse until more is needed, skip malformed framing) and
    /// builds every event and fact.
    func exercise(_ bytes: [UInt8], state: inout DNP3.State, direction: Direction) {
        var used = 0
        var rounds = 0
        while used < bytes.count, rounds < 10_000 {
            rounds += 1
            let rest = Array(bytes[used...])
            switch B.parse(rest, direction, state: &state) {
            case .success(let parsed):
                #expect(parsed.consumed > 0 && parsed.consumed <= rest.count)
                let event = DNP3.event(
                    parsed.message, bytes: rest.span, context: B.context(direction), state: &state)
                #expect(event.targets.reduce(0) { $0 + $1.values.count } <= DNP3.Objects.maxPoints * 5 + 1)
                _ = DNP3.facts(parsed.message, context: B.context(direction), state: state)
                used += parsed.consumed
            case .failure(.needMore(let needed)):
                #expect(needed > rest.count)
                return
            case .failure(.malformed):
                let skipped = DNP3.resynchronize(Array(rest.dropFirst()).span, direction: direction)
                guard let skip = skipped else { return }
                used += 1 + skip
            }
        }
        #expect(rounds < 10_000)
    }

    @Test func randomBytesDoNotTrap() {
        var generator = SeededGenerator(seed: 0xD7_3001)
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<400, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Half of them start like a frame so the parser gets past the start bytes.
            if bytes.count >= 2, Bool.random(using: &generator) { bytes[0] = 0x05; bytes[1] = 0x64 }
            var state = DNP3.makeState()
            exercise(bytes, state: &state, direction: Bool.random(using: &generator) ? .toServer : .toClient)
        }
    }

    @Test func randomApplicationDataInValidFramesDoesNotTrap() {
        var generator = SeededGenerator(seed: 0xD7_3002)
        var state = DNP3.makeState()
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<600, using: &generator)
            var app = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Bias towards plausible headers: known functions and groups, and a few qualifiers.
            if app.count > 4 {
                app[1] = [0, 1, 2, 3, 4, 5, 6, 13, 20, 22, 25, 32, 129, 130, 131].randomElement(using: &generator) ?? 1
                let start = app[1] >= 129 ? 4 : 2
                if app.count > start + 3 {
                    let groups: [UInt8] = [0, 1, 2, 10, 12, 20, 30, 32, 41, 50, 60, 70, 80, 110, 120]
                    let qualifiers: [UInt8] = [0x00, 0x01, 0x06, 0x07, 0x08, 0x17, 0x28, 0x39, 0x5b]
                    app[start] = groups.randomElement(using: &generator) ?? 1
                    app[start + 2] = qualifiers.randomElement(using: &generator) ?? 0
                }
            }
            let direction: Direction = app.count > 1 && app[1] >= 129 ? .toClient : .toServer
            let chunk = Int.random(in: 1...249, using: &generator)
            let first = UInt8.random(in: 0...63, using: &generator)
            let control: UInt8 = direction == .toServer ? 0xc4 : 0x44
            let frames = B.fragment(app, firstSequence: first, chunk: chunk, control: control)
            exercise(frames.flatMap { $0 }, state: &state, direction: direction)
        }
    }

    @Test func mutatedRealFramesDoNotTrap() {
        var generator = SeededGenerator(seed: 0xD7_3003)
        let seeds = [B.readClasses, B.selectCROB, B.readClasses + B.selectCROB]
        for round in 0..<3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            var state = DNP3.makeState()
            exercise(bytes, state: &state, direction: .toServer)
        }
    }
}
