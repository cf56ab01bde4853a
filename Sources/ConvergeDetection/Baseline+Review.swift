import ConvergeModel

extension Baseline {
    /// Forgets what was last seen before `cutoff`: pairs whose last message is older, and assets
    /// that no kept pair names and that were last seen before it. Returns how many pairs and
    /// assets went.
    @discardableResult
    public mutating func prune(lastSeenBefore cutoff: Timestamp) -> (pairs: Int, assets: Int) {
        let before = (pairs.count, assets.count)
        pairs = pairs.filter { $0.value.lastSeen >= cutoff }
        let named = Set(pairs.keys.flatMap { [$0.client, $0.server] })
        assets = assets.filter { $0.value.lastSeen >= cutoff || named.contains($0.key) }
        return (before.0 - pairs.count, before.1 - assets.count)
    }

    /// Forgets one pair (its functions, writes and polls); its endpoints stay known assets.
    @discardableResult
    public mutating func remove(pair: Pair) -> Bool { pairs.removeValue(forKey: pair) != nil }

    /// The pairs in a stable order, for review.
    public var sortedPairs: [(pair: Pair, record: PairRecord)] {
        pairs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// One line per pair for `converge baseline show`: pair, messages, functions, writes and the
    /// learned write ranges and poll periods.
    public func reviewLines() -> [String] {
        var lines: [String] = [
            "\(assets.count) assets, \(pairs.count) pairs" + (dropped > 0 ? ", \(dropped) dropped" : "")
        ]
        for (pair, record) in sortedPairs {
            let functions = record.functions.keys.sorted().map { code in
                "\(code) \(record.functions[code]?.name ?? "")"
            }.joined(separator: ", ")
            lines.append("\(pair)  \(record.messages) requests  functions: \(functions)")
            for (key, range) in record.written.sorted(by: { $0.key < $1.key }) {
                lines.append("    writes \(Self.describe(key)): \(Self.number(range.min))–\(Self.number(range.max))")
            }
            for (slot, poll) in record.polls.sorted(by: { $0.key < $1.key }) {
                guard let period = poll.period else { continue }
                lines.append(
                    "    polls function \(slot.function) \(Self.describe(slot.target)) every \(Self.seconds(period)) s")
            }
        }
        return lines
    }

    /// `holding register 40` (kind with spaces), or `no target` when a request names none.
    static func describe(_ key: TargetKey) -> String {
        key.kind.isEmpty ? "no target" : "\(key.kind.replacingOccurrences(of: "_", with: " ")) \(key.address)"
    }

    /// A value as people write it: `120`, not `120.0`; `1.5` stays.
    static func number(_ v: Double) -> String {
        if v.rounded() == v, abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    static func seconds(_ nanoseconds: Int64) -> String {
        let s = Double(nanoseconds) / 1e9
        return s >= 10 ? String(Int64(s.rounded())) : String((s * 1000).rounded() / 1000)
    }
}
