import ConvergeEngine
import Foundation

/// The human summary `converge analyze` prints on a terminal.
enum SummaryText {
    static func render(_ s: AnalysisSummary) -> String {
        var out = ""
        func line(_ text: String = "") { out += text + "\n" }

        line("Packets    \(grouped(s.packets))  (\(bytes(s.bytes)) on the wire)")
        if let first = s.firstTs, let last = s.lastTs {
            line("Time span  \(date(first)) → \(date(last))  (\(String(format: "%.3f", last - first)) s)")
        }
        line("Flows      \(grouped(s.flows.tcp)) TCP, \(grouped(s.flows.udp)) UDP, \(grouped(s.flows.other)) other")

        if !s.protocols.isEmpty {
            line()
            line("Protocol        messages  functions (code×count)")
            for (name, p) in s.protocols.sorted(by: { $0.value.messages > $1.value.messages }) {
                let functions = p.functions
                    .sorted { ($0.value, Int($1.key) ?? 0) > ($1.value, Int($0.key) ?? 0) }
                    .prefix(8)
                    .map { "\($0.key)×\(grouped($0.value))" }
                    .joined(separator: " ")
                line(pad(name, 14) + pad(grouped(p.messages), 10, right: true) + "  " + functions)
            }
        }

        if !s.topTalkers.isEmpty {
            line()
            line("Top talkers                               packets        bytes")
            for t in s.topTalkers {
                line(pad(t.address, 40) + pad(grouped(t.packets), 9, right: true) + pad(bytes(t.bytes), 13, right: true))
            }
        }

        if !s.linkConversations.isEmpty {
            line()
            line("PROFINET cyclic exchange (sender → receiver, FrameID)           frames")
            for c in s.linkConversations.prefix(10) {
                let id = "0x" + String(c.frameID, radix: 16, uppercase: true)
                line(pad("\(c.source) → \(c.destination)  \(id)", 60) + pad(grouped(c.frames), 10, right: true))
            }
            let more = UInt64(max(s.linkConversations.count - 10, 0)) + s.linkConversationsNotListed
            if more > 0 { line("  … and \(grouped(more)) more pairs (--json lists up to 100)") }
        }

        let fileErrors = s.errors.filter(\.isFileLevel)
        if !fileErrors.isEmpty {
            line()
            line("Capture errors (reading stopped there; everything before it is counted above)")
            for problem in fileErrors { line("  " + describe(problem)) }
        }
        let decodeTotal = s.decodeErrors.values.reduce(0, +)
        if decodeTotal > 0 {
            line()
            line("Decode errors  \(grouped(decodeTotal)) packets")
            for (reason, n) in s.decodeErrors.sorted(by: { $0.value > $1.value }) {
                line("  " + pad(reason, 30) + grouped(n))
            }
            let packetErrors = s.errors.filter { !$0.isFileLevel }
            for problem in packetErrors.prefix(5) { line("  " + describe(problem)) }
            let more = UInt64(max(0, packetErrors.count - 5)) + s.errorsNotListed
            if more > 0 { line("  … \(grouped(more)) more (see --json)") }
        }
        let h = s.health
        if h.flowsEvicted + h.streamGaps + h.fragmentsDropped + h.malformedMessages > 0 {
            line()
            line("Health     \(h.flowsEvicted) flows evicted, \(h.streamGaps) stream gaps, "
                + "\(h.fragmentsDropped) fragments dropped, \(h.malformedMessages) malformed messages")
        }
        return out
    }

    /// `file record N @offset: reason`, or `file: reason` for a file that could not be opened or
    /// whose header is bad (record 0).
    static func describe(_ problem: AnalysisSummary.Problem) -> String {
        problem.record == 0
            ? "\(problem.file): \(problem.reason)"
            : "\(problem.file) record \(problem.record) @\(problem.offset): \(problem.reason)"
    }

    static func grouped(_ n: UInt64) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func bytes(_ n: UInt64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(n) B" : String(format: "%.1f ", value) + units[unit]
    }

    static func date(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + (s.count >= width ? " " : fill)
    }
}
