import ConvergeCapture
import ConvergeModel
import Foundation

@testable import ConvergeProtocols

/// Runs a link dissector (LLDP, CDP, STP) over a real capture with the real reader and decoder,
/// the way the engine hands it frames: every non-IP frame (`network == .other`) the dissector
/// claims, its payload from `payloadOffset/payloadLength`, one `parse` each.
enum LinkCaptureHarness {
    struct Result<D: LinkDissector> {
        /// Golden-file keys (`function\t1`, `tlv\t5`, `system_name\tSwitch1`, …) → count.
        var counts: [String: Int] = [:]
        var messages = 0
        var malformed = 0
        var parsed: [D.Parsed] = []
        var events: [Message] = []
        var facts: [AssetFact] = []
    }

    static func fixtures(_ area: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(area)")
    }

    /// `tally` adds the protocol's own golden keys for one parsed frame (function and message
    /// counts are added here).
    static func run<D: LinkDissector>(
        _ dissector: D.Type, url: URL, tally: (D.Parsed, Span<UInt8>) -> [String] = { _, _ in [] }
    ) -> Result<D> {
        var result = Result<D>()
        let errors = CaptureSet(paths: [url.path]).forEachPacket { header, bytes in
            var packet = DecodedPacket()
            _ = PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet)
            guard packet.network == .other, packet.payloadOffset <= bytes.count else { return }
            let end = min(packet.payloadOffset &+ packet.payloadLength, bytes.count)
            let payload = bytes.extracting(packet.payloadOffset..<end)
            guard D.claims(etherType: packet.etherType, payload: payload) else { return }
            let context = LinkContext(
                time: header.timestamp, sourceMAC: packet.sourceMAC, destinationMAC: packet.destinationMAC,
                vlan: packet.vlan)
            do throws(DissectError) {
                let parsed = try D.parse(payload)
                result.messages += 1
                result.counts["messages\tall", default: 0] += 1
                if parsed.hasFunction { result.counts["function\t\(parsed.functionCode)", default: 0] += 1 }
                for key in tally(parsed, payload) { result.counts[key, default: 0] += 1 }
                result.parsed.append(parsed)
                result.events.append(D.event(parsed, payload: payload, context: context))
                result.facts += D.facts(parsed, payload: payload, context: context)
            } catch {
                result.malformed += 1
            }
        }
        precondition(errors.isEmpty, "capture errors: \(errors)")
        return result
    }

    /// A golden file of tab-separated `key value count` lines.
    static func golden(_ url: URL) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 3, let count = Int(parts[2]) else { continue }
            counts["\(parts[0])\t\(parts[1])"] = count
        }
        return counts
    }
}

extension LinkCaptureHarness {
    /// The sender (00:1b:1b:aa:bb:01) and the frame's multicast destination used by the unit tests.
    static let sender: UInt64 = 0x001b_1baa_bb01
    static func context(destination: UInt64) -> LinkContext {
        LinkContext(time: Timestamp(nanoseconds: 1_000), sourceMAC: sender, destinationMAC: destination, vlan: 0)
    }

    /// Parses one payload and builds its event and facts; nil when `parse` throws.
    static func run<D: LinkDissector>(
        _ dissector: D.Type, _ bytes: [UInt8], destination: UInt64 = 0x0180_c200_000e
    ) -> (parsed: D.Parsed, message: Message, facts: [AssetFact])? {
        let span = bytes.span
        guard let parsed = try? D.parse(span) else { return nil }
        let context = context(destination: destination)
        let message = D.event(parsed, payload: span, context: context)
        return (parsed, message, D.facts(parsed, payload: span, context: context))
    }

    /// Parse, event and facts on hostile bytes: whatever comes back, nothing may trap.
    static func survives<D: LinkDissector>(_ dissector: D.Type, _ bytes: [UInt8]) -> Bool {
        _ = D.claims(etherType: 0, payload: bytes.span)
        return run(D.self, bytes) != nil
    }

    /// `kind=value` of each fact, for set comparisons.
    static func factSet(_ facts: [AssetFact]) -> Set<String> {
        Set(facts.map { "\($0.kind.rawValue)=\($0.value)" })
    }

    static func target(_ message: Message, _ kind: String) -> Message.Target? {
        message.targets.first { $0.kind == kind }
    }
}

extension LinkCaptureHarness {
    /// `claims` and `parse` over an array (a `Span` cannot pass through `#expect`).
    static func claims<D: LinkDissector>(_ dissector: D.Type, etherType: UInt16, _ bytes: [UInt8]) -> Bool {
        D.claims(etherType: etherType, payload: bytes.span)
    }
    static func parse<D: LinkDissector>(_ dissector: D.Type, _ bytes: [UInt8]) throws(DissectError) -> D.Parsed {
        try D.parse(bytes.span)
    }
}
