import ConvergeModel
import ConvergeWire

extension DNS {
    /// The four sections of a message.
    public enum Section: UInt8, Sendable {
        case question, answer, authority, additional
        public var name: String {
            switch self {
            case .question: "question"
            case .answer: "answer"
            case .authority: "authority"
            case .additional: "additional"
            }
        }
    }

    /// Calls `body` with each question and record in order (a question as a record with no data),
    /// at most `maxRecordsWalked`, until `body` returns false or a record does not fit.
    static func forEachRecord(
        _ frame: Frame, bytes: Span<UInt8>, _ body: (Section, RecordHeader) -> Bool
    ) {
        guard frame.hasHeader else { return }
        let base = Int(frame.base)
        let end = min(Int(frame.end), bytes.count)
        var anomalies: Anomalies = []
        var position = base &+ headerLength
        var walked = 0
        let counts: [(Section, Int)] = [
            (.question, Int(frame.questionCount)), (.answer, Int(frame.answerCount)),
            (.authority, Int(frame.authorityCount)), (.additional, Int(frame.additionalCount)),
        ]
        for (section, count) in counts {
            for _ in 0..<count {
                guard walked < maxRecordsWalked else { return }
                walked &+= 1
                let record: RecordHeader
                if section == .question {
                    guard let after = skipName(bytes, at: position, base: base, end: end, anomalies: &anomalies),
                        after &+ 4 <= end, let type = bytes.uint16BE(at: after),
                        let qclass = bytes.uint16BE(at: after &+ 2)
                    else { return }
                    record = RecordHeader(
                        nameOffset: position, type: type, recordClass: qclass, ttl: 0, dataOffset: after &+ 4,
                        dataLength: 0)
                } else {
                    guard let found = recordHeader(bytes, at: position, base: base, end: end, anomalies: &anomalies)
                    else { return }
                    record = found
                }
                guard body(section, record) else { return }
                position = record.next
            }
        }
    }

    /// The owner name of a record.
    static func ownerName(_ frame: Frame, _ record: RecordHeader, bytes: Span<UInt8>) -> String? {
        name(bytes, at: record.nameOffset, base: Int(frame.base), end: min(Int(frame.end), bytes.count))
    }

    /// The address an A or AAAA record carries.
    static func address(_ record: RecordHeader, bytes: Span<UInt8>) -> IPAddress? {
        let start = record.dataOffset
        if record.type == RecordType.a, record.dataLength == 4, start &+ 4 <= bytes.count {
            return IPAddress(v4: bytes.loadUInt32BE(at: start))
        }
        if record.type == RecordType.aaaa, record.dataLength == 16, start &+ 16 <= bytes.count {
            let high = UInt64(bytes.loadUInt32BE(at: start)) << 32 | UInt64(bytes.loadUInt32BE(at: start &+ 4))
            let low =
                UInt64(bytes.loadUInt32BE(at: start &+ 8)) << 32 | UInt64(bytes.loadUInt32BE(at: start &+ 12))
            return IPAddress(v6High: high, low: low)
        }
        return nil
    }

    /// The strings of a TXT or HINFO record, at most `maxTextStrings`.
    static func strings(_ record: RecordHeader, bytes: Span<UInt8>) -> [String] {
        var out: [String] = []
        var position = record.dataOffset
        let end = record.next
        while position < end, out.count < maxTextStrings,
            let found = characterString(bytes, at: position, end: end)
        {
            out.append(found.text)
            position = found.next
        }
        return out
    }

    /// A record's data as text, the way zone files write it (names without the trailing dot);
    /// nil for types not decoded here or data that does not fit its type.
    static func dataText(_ frame: Frame, _ record: RecordHeader, bytes: Span<UInt8>) -> String? {
        let base = Int(frame.base)
        let end = min(record.next, bytes.count)
        let start = record.dataOffset
        switch record.type {
        case RecordType.a, RecordType.aaaa:
            return address(record, bytes: bytes)?.description
        case RecordType.ns, RecordType.cname, RecordType.ptr:
            return name(bytes, at: start, base: base, end: end)
        case RecordType.mx:
            guard let preference = bytes.uint16BE(at: start), start &+ 2 < end,
                let host = name(bytes, at: start &+ 2, base: base, end: end)
            else { return nil }
            return "\(preference) \(host)"
        case RecordType.srv:
            guard start &+ 6 < end, let priority = bytes.uint16BE(at: start),
                let weight = bytes.uint16BE(at: start &+ 2), let port = bytes.uint16BE(at: start &+ 4),
                let target = name(bytes, at: start &+ 6, base: base, end: end)
            else { return nil }
            return "\(priority) \(weight) \(port) \(target)"
        case RecordType.txt, RecordType.hinfo:
            return strings(record, bytes: bytes).map { "\"\($0)\"" }.joined(separator: " ")
        case RecordType.soa:
            var anomalies: Anomalies = []
            guard let primary = name(bytes, at: start, base: base, end: end),
                let afterPrimary = skipName(bytes, at: start, base: base, end: end, anomalies: &anomalies),
                let mailbox = name(bytes, at: afterPrimary, base: base, end: end),
                let afterMailbox = skipName(bytes, at: afterPrimary, base: base, end: end, anomalies: &anomalies),
                afterMailbox &+ 4 <= end
            else { return nil }
            return "\(primary) \(mailbox) \(bytes.loadUInt32BE(at: afterMailbox))"
        default:
            return nil
        }
    }

    /// The SRV target host and port.
    static func serviceTarget(
        _ frame: Frame, _ record: RecordHeader, bytes: Span<UInt8>
    ) -> (host: String, port: UInt16)? {
        let start = record.dataOffset
        let end = min(record.next, bytes.count)
        guard record.type == RecordType.srv, start &+ 6 < end, let port = bytes.uint16BE(at: start &+ 4),
            let host = name(bytes, at: start &+ 6, base: Int(frame.base), end: end)
        else { return nil }
        return (host, port)
    }
}
