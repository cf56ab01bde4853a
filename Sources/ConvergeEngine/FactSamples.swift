import ConvergeModel
import ConvergeProtocols

/// For the inventory's feed: the facts of messages that may repeat the same identity with every
/// message (HTTP banners, TLS hellos, DNS names) are built for the first `perSender` messages of
/// each sender and protocol, not for every one. Bounded: when `capacity` senders are known the
/// memory starts over (facts are built again, never unboundedly remembered).
final class FactSamples {
    static let perSender: UInt16 = 16
    static let capacity = 65_536

    private struct Key: Hashable {
        var sender: IPAddress
        var app: AppProtocol
    }

    private var taken: [Key: UInt16] = [:]
    /// Changes whenever the memory starts over. A sender whose samples are used up stays so until
    /// then, so a flow can remember that answer with this number and skip asking again
    /// (`OperationTally.samplesUsedUp`): most messages of a long flow would otherwise hash here.
    private(set) var generation: UInt32 = 1
    /// Senders found used up, direct-mapped by a cheap mix of the key, each with the generation it
    /// was found in: the first message of every new flow (short HTTP and TLS flows, thousands)
    /// asks again, and a hit here answers without hashing the whole key.
    private var usedUp = [(key: Key, generation: UInt32)](
        repeating: (Key(sender: .none, app: .modbus), 0), count: FactSamples.memoSize)
    static let memoSize = 1024

    /// Whether this message's facts should be built (and counts it).
    func take(_ sender: IPAddress, _ app: AppProtocol) -> Bool {
        let key = Key(sender: sender, app: app)
        let mix = SeenKeys<Key>.slot(UInt64(truncatingIfNeeded: sender.bits), UInt64(app.rawValue))
        let place = Int(truncatingIfNeeded: mix) & (Self.memoSize &- 1)
        if usedUp[place].generation == generation, usedUp[place].key == key { return false }
        let n = taken[key] ?? 0
        guard n < Self.perSender else {
            usedUp[place] = (key, generation)
            return false
        }
        if n == 0, taken.count >= Self.capacity {
            taken.removeAll(keepingCapacity: true)
            generation = generation &+ 1 == 0 ? 1 : generation &+ 1
        }
        taken[key] = n &+ 1
        return true
    }
}
