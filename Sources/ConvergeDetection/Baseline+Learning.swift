import ConvergeModel

extension Baseline {
    /// Takes one message into the baseline: both endpoints as assets; for a request, its pair,
    /// function, poll slot and, for a write, every value written to every register it names.
    public mutating func learn(_ message: Message) {
        let client = message.client.address
        let server = message.server.address
        // Link-layer messages (ARP, LLDP) carry no IP endpoints; they are not pairs.
        guard client != .none || server != .none else { return }
        noteAsset(client, at: message.time)
        noteAsset(server, at: message.time)
        guard client != .none, server != .none, message.direction == .toServer else { return }
        let pair = Pair(client: client, server: server, proto: message.proto)
        if pairs[pair] == nil {
            guard pairs.count < Self.maxPairs else {
                dropped &+= 1
                return
            }
            pairs[pair] = PairRecord(firstSeen: message.time, lastSeen: message.time)
        }
        guard var record = pairs[pair] else { return }
        pairs[pair] = nil  // mutate in place without a second copy
        record.learn(message, dropped: &dropped)
        pairs[pair] = record
    }

    private mutating func noteAsset(_ address: IPAddress, at time: Timestamp) {
        guard address != .none else { return }
        if var record = assets[address] {
            record.firstSeen = min(record.firstSeen, time)
            record.lastSeen = max(record.lastSeen, time)
            record.messages &+= 1
            assets[address] = record
        } else if assets.count < Self.maxAssets {
            assets[address] = AssetRecord(firstSeen: time, lastSeen: time, messages: 1)
        } else {
            dropped &+= 1
        }
    }

    /// The values a write message carries, per register: a block write of `values` to a target at
    /// `address` writes `values[i]` to `address + i`; a textual number (`value`) counts too.
    static func writtenValues(_ message: Message) -> [(TargetKey, Double)] {
        var out: [(TargetKey, Double)] = []
        for target in message.targets {
            if !target.values.isEmpty {
                for (i, v) in target.values.prefix(maxValuesPerWrite - min(out.count, maxValuesPerWrite)).enumerated() {
                    out.append((TargetKey(kind: target.kind, address: target.address &+ i), Double(v)))
                }
            } else if let text = target.value, let v = Double(text), v.isFinite, out.count < maxValuesPerWrite {
                out.append((TargetKey(kind: target.kind, address: target.address), v))
            }
        }
        return out
    }

    /// The slot a request polls: its function and first target.
    static func pollSlot(_ message: Message) -> PollSlot {
        let first = message.targets.first
        return PollSlot(
            function: message.functionCode,
            target: TargetKey(kind: first?.kind ?? "", address: first?.address ?? -1))
    }
}

extension Baseline.PairRecord {
    mutating func learn(_ message: Message, dropped: inout Int) {
        firstSeen = min(firstSeen, message.time)
        lastSeen = max(lastSeen, message.time)
        messages &+= 1
        if var function = functions[message.functionCode] {
            function.count &+= 1
            functions[message.functionCode] = function
        } else if functions.count < Baseline.maxFunctionsPerPair {
            functions[message.functionCode] = Baseline.FunctionRecord(
                name: message.functionName, operation: message.operation, count: 1)
        } else {
            dropped &+= 1
        }
        let slot = Baseline.pollSlot(message)
        if polls[slot] != nil || polls.count < Baseline.maxPollSlotsPerPair {
            polls[slot, default: Baseline.PollRecord()].record(message.time)
        } else {
            dropped &+= 1
        }
        guard message.operation == .write else { return }
        writes &+= 1
        for (key, value) in Baseline.writtenValues(message) {
            if var range = written[key] {
                range.min = Swift.min(range.min, value)
                range.max = Swift.max(range.max, value)
                range.writes &+= 1
                written[key] = range
            } else if written.count < Baseline.maxWrittenTargetsPerPair {
                written[key] = Baseline.ValueRange(min: value, max: value, writes: 1)
            } else {
                dropped &+= 1
            }
        }
    }
}
