import ConvergeModel
import Foundation

/// Writes evidence records as the JSON `JSONEncoder` (sorted keys) writes for them, byte for byte,
/// about twenty times faster: a store run encodes thousands of host records, and Foundation's
/// generic encoder was a tenth of the run. The stored format stays JSON, read back by
/// `JSONDecoder`; a test holds the two writers to the same bytes on real and hostile records.
struct EvidenceJSON {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    /// `addressText` is the host's address as text when the caller has it already.
    static func host(_ host: InventoryBuilder.Host, addressText: String? = nil) -> Data {
        var out = EvidenceJSON()
        out.host(host, addressText: addressText)
        return Data(out.bytes)
    }

    static func link(_ link: InventoryBuilder.Link) -> Data {
        var out = EvidenceJSON()
        out.link(link)
        return Data(out.bytes)
    }

    static func edge(_ edge: InventoryBuilder.Edge) -> Data {
        var out = EvidenceJSON()
        out.edge(edge)
        return Data(out.bytes)
    }

    // Keys in sorted order, as `.sortedKeys` writes them.
    mutating func host(_ host: InventoryBuilder.Host, addressText: String? = nil) {
        raw("{\"address\":")
        if let addressText { string(addressText) } else { address(host.address) }
        raw(",\"bound\":[")
        for (i, claim) in host.bound.enumerated() {
            if i > 0 { raw(",") }
            raw("{\"mac\":")
            number(claim.mac)
            raw(",\"source\":")
            string(claim.source)
            raw(",\"time\":")
            number(claim.time.nanoseconds)
            raw("}")
        }
        raw("],\"facts\":")
        facts(host.facts)
        raw(",\"firstSeen\":")
        number(host.firstSeen.nanoseconds)
        raw(",\"lastSeen\":")
        number(host.lastSeen.nanoseconds)
        raw(host.sent ? ",\"sent\":true" : ",\"sent\":false")
        raw(",\"serves\":")
        uses(host.serves)
        raw(",\"sightings\":[")
        for (i, (mac, time)) in host.sightings.enumerated() {
            if i > 0 { raw(",") }
            number(mac)
            raw(",")
            number(time.nanoseconds)
        }
        raw("],\"uses\":")
        uses(host.uses)
        raw("}")
    }

    mutating func link(_ link: InventoryBuilder.Link) {
        raw("{\"facts\":")
        facts(link.facts)
        raw(",\"firstSeen\":")
        number(link.firstSeen.nanoseconds)
        raw(",\"lastSeen\":")
        number(link.lastSeen.nanoseconds)
        raw(",\"mac\":")
        number(link.mac)
        raw(",\"speaks\":")
        counts(link.speaks)
        raw("}")
    }

    mutating func edge(_ edge: InventoryBuilder.Edge) {
        raw("{\"bytes\":")
        number(edge.bytes)
        raw(",\"firstSeen\":")
        number(edge.firstSeen.nanoseconds)
        raw(",\"lastSeen\":")
        number(edge.lastSeen.nanoseconds)
        raw(",\"messages\":")
        number(edge.messages)
        raw(",\"operations\":")
        counts(edge.operations)
        raw(",\"packets\":")
        number(edge.packets)
        raw(",\"transfers\":{")
        for (i, (operation, span)) in edge.transfers.sorted(by: { $0.key.rawValue < $1.key.rawValue }).enumerated() {
            if i > 0 { raw(",") }
            string(operation.rawValue)
            raw(":[")
            number(span.lowerBound.nanoseconds)
            raw(",")
            number(span.upperBound.nanoseconds)
            raw("]")
        }
        raw("}}")
    }

    /// A dictionary keyed by a plain String-valued enum (not a coding key) is written as an
    /// array of alternating keys and values, in the dictionary's own order.
    private mutating func facts(_ facts: [AssetFact.Kind: ObservationList]) {
        raw("[")
        for (i, (kind, list)) in facts.enumerated() {
            if i > 0 { raw(",") }
            string(kind.rawValue)
            raw(",")
            observations(list)
        }
        raw("]")
    }

    private mutating func observations(_ list: ObservationList) {
        raw("{\"dropped\":")
        number(list.dropped)
        raw(",\"items\":[")
        for (i, item) in list.items.enumerated() {
            if i > 0 { raw(",") }
            observation(item)
        }
        raw("]}")
    }

    mutating func observation(_ item: Observation) {
        raw("{\"confidence\":")
        string(item.confidence.rawValue)
        raw(",\"count\":")
        number(item.count)
        raw(",\"firstSeen\":")
        number(item.firstSeen.nanoseconds)
        raw(",\"lastSeen\":")
        number(item.lastSeen.nanoseconds)
        raw(",\"source\":")
        string(item.source)
        raw(",\"value\":")
        string(item.value)
        raw("}")
    }

    private mutating func uses(_ uses: [String: InventoryBuilder.Use]) {
        raw("{")
        for (i, (name, use)) in uses.sorted(by: { Self.keyOrder($0.key, $1.key) }).enumerated() {
            if i > 0 { raw(",") }
            string(name)
            raw(":{\"messages\":")
            number(use.messages)
            raw(",\"operations\":")
            counts(use.operations)
            raw(",\"peers\":[")
            for (j, peer) in use.peers.enumerated() {
                if j > 0 { raw(",") }
                address(peer)
            }
            raw("]}")
        }
        raw("}")
    }

    mutating func counts(_ counts: [ConvergeModel.Operation: UInt64]) {
        raw("{")
        for (i, (operation, n)) in counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }).enumerated() {
            if i > 0 { raw(",") }
            string(operation.rawValue)
            raw(":")
            number(n)
        }
        raw("}")
    }

    /// Counts keyed by name, in key order.
    mutating func counts(_ counts: [String: UInt64]) {
        raw("{")
        for (i, (name, n)) in counts.sorted(by: { Self.keyOrder($0.key, $1.key) }).enumerated() {
            if i > 0 { raw(",") }
            string(name)
            raw(":")
            number(n)
        }
        raw("}")
    }

    /// The order `.sortedKeys` gives object keys: by their UTF-8 bytes.
    static func keyOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Decimal digits written straight into the buffer: `String(value)` allocated a string for
    /// every number of every record.
    mutating func number<T: BinaryInteger>(_ value: T) {
        if let magnitude = UInt64(exactly: value) {
            digits(magnitude)
        } else if let signed = Int64(exactly: value) {
            bytes.append(0x2D)
            digits(signed.magnitude)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    private mutating func digits(_ value: UInt64) {
        var scratch = InlineArray<20, UInt8>(repeating: 0)
        var start = 20
        var rest = value
        repeat {
            start &-= 1
            scratch[start] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest > 0 && start > 0
        // One append of the digits (a check of the buffer's room and ownership, not one per digit).
        scratch.span.extracting(start..<20).withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
    }

    /// An address as its text (`IPAddress.description`), written straight into the buffer.
    mutating func address(_ address: IPAddress) {
        bytes.append(0x22)
        AddressText.append(address, to: &bytes)
        bytes.append(0x22)
    }

    /// A JSON string with JSONEncoder's escapes (slashes included).
    mutating func string(_ text: String) {
        bytes.append(0x22)
        // Nearly every string (names, sources, protocols) needs no escape: appended whole.
        let plain =
            text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
                for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x2F { return false }
                bytes.append(contentsOf: utf8)
                return true
            } ?? false
        if plain {
            bytes.append(0x22)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x2F: bytes.append(contentsOf: [0x5C, 0x2F])
            case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
            case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}
