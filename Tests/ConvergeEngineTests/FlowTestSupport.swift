import ConvergeModel
import Testing
import ConvergeProtocols
@testable import ConvergeEngine

/// Builds the decoded packets flow tests feed the table, by hand (the decoder is not involved).
enum FlowPackets {
    static func ip(_ text: String) -> IPAddress {
        guard let address = IPAddress(text) else { fatalError("bad test address \(text)") }
        return address
    }

    static func packet(
        _ transport: Transport, _ source: String, _ sourcePort: UInt16, _ destination: String,
        _ destinationPort: UInt16, flags: UInt8 = 0, seq: UInt32 = 0, vlan: UInt16 = 0
    ) -> DecodedPacket {
        var p = DecodedPacket()
        let src = ip(source)
        p.network = src.isV4 ? .ipv4 : .ipv6
        p.source = src
        p.destination = ip(destination)
        p.transport = transport
        p.ipProtocol = transport == .other ? 47 : transport.rawValue
        p.sourcePort = sourcePort
        p.destinationPort = destinationPort
        p.tcpFlags = flags
        p.sequence = seq
        p.vlan = vlan
        return p
    }

    static func tcp(_ source: String, _ sourcePort: UInt16, _ destination: String, _ destinationPort: UInt16,
                    flags: UInt8, seq: UInt32 = 0, vlan: UInt16 = 0) -> DecodedPacket {
        packet(.tcp, source, sourcePort, destination, destinationPort, flags: flags, seq: seq, vlan: vlan)
    }

    static func udp(_ source: String, _ sourcePort: UInt16, _ destination: String, _ destinationPort: UInt16,
                    vlan: UInt16 = 0) -> DecodedPacket {
        packet(.udp, source, sourcePort, destination, destinationPort, vlan: vlan)
    }

    static let syn = DecodedPacket.syn
    static let synAck = DecodedPacket.syn | DecodedPacket.ack
    static let ack = DecodedPacket.ack
    static let finAck = DecodedPacket.fin | DecodedPacket.ack
    static let rst = DecodedPacket.rst
    static let pshAck = DecodedPacket.psh | DecodedPacket.ack
}

/// Collects the records a table emits.
final class FlowRecordSink {
    struct Entry {
        var record: FlowRecord
        var slot: Int
        var isFinal: Bool
    }
    var entries: [Entry] = []
    var finals: [FlowRecord] { entries.filter(\.isFinal).map(\.record) }
    var interims: [FlowRecord] { entries.filter { !$0.isFinal }.map(\.record) }

    func makeTable(_ limits: FlowLimits = .pinned, seed: UInt64 = 0x5eed) -> FlowTable {
        FlowTable(limits: limits, hashSeed: seed) { [unowned self] record, slot, isFinal in
            self.entries.append(Entry(record: record, slot: slot, isFinal: isFinal))
        }
    }
}

func seconds(_ s: Int64) -> Timestamp { Timestamp(seconds: s, nanoseconds: 0) }

extension FlowTable {
    /// Tracks a packet whose table result the test requires.
    func must(_ packet: DecodedPacket, at time: Timestamp, length: Int = 60) throws -> FlowUpdate {
        try #require(track(packet, wireLength: length, time: time))
    }

    /// Every live flow must be reachable through the index at its own slot, and the lists and
    /// the counters must agree with the slots.
    func checkConsistency() -> Bool {
        var live = 0
        for slot in 0..<highWater where flows[slot].id != 0 {
            live += 1
            if find(flows[slot].key, hash: flows[slot].key.hash(seed: seed)) != slot { return false }
        }
        var listed = 0
        for timeoutClass in TimeoutClass.allCases {
            var s = head(timeoutClass.rawValue)
            var previous = FlowTable.nil32
            while s != FlowTable.nil32 {
                if flows[Int(s)].lruPrev != previous || flows[Int(s)].timeoutClass != timeoutClass.rawValue {
                    return false
                }
                listed += 1
                previous = s
                s = flows[Int(s)].lruNext
            }
            if tail(timeoutClass.rawValue) != previous { return false }
        }
        return live == counters.active && listed == live
    }
}

extension FlowLimits {
    /// The limits these tests were written against, pinned so that tuning a default (as the UDP
    /// idle time was, 180 → 600 s) does not silently change what the lifetime tests exercise.
    static var pinned: FlowLimits {
        var limits = FlowLimits()
        limits.udpIdle = .seconds(180)
        return limits
    }
}
