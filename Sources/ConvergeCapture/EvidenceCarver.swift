import ConvergeModel
import ConvergeWire
import Foundation

/// Why evidence could not be carved, in words for a terminal or a page.
public struct CarveError: Error, CustomStringConvertible {
    public enum Reason: Sendable {
        /// The capture file is not on disk (moved, deleted, or read from standard input).
        case captureMissing
        /// The file is there but cannot be read or cut into one pcap.
        case unreadable
    }

    public var description: String
    public var reason: Reason

    public init(description: String, reason: Reason = .unreadable) {
        self.description = description
        self.reason = reason
    }
}

/// Reads evidence frames back out of their capture files (pcap or pcapng, by frame number as
/// Wireshark numbers them) into a classic pcap, captures in evidence order, frames ascending.
/// Shared by `converge carve` and the console's evidence download.
public enum EvidenceCarver {
    public static func carve(
        _ evidence: [Alert.EvidenceFrame]
    ) throws -> (
        file: PcapWriter, missing: [Alert.EvidenceFrame]
    ) {
        var captures: [String] = []
        var wanted: [String: Set<Int>] = [:]
        for item in evidence {
            if wanted[item.capture] == nil { captures.append(item.capture) }
            wanted[item.capture, default: []].insert(item.frame)
        }
        var writer: PcapWriter?
        var missing: [Alert.EvidenceFrame] = []
        for capture in captures {
            let frames = wanted[capture] ?? []
            guard capture != "-" else {
                throw CarveError(
                    description: "\(capture): evidence read from standard input cannot be carved",
                    reason: .captureMissing)
            }
            guard FileManager.default.fileExists(atPath: capture) else {
                throw CarveError(description: "\(capture): the capture is no longer there", reason: .captureMissing)
            }
            var found: [(frame: Int, time: Timestamp, link: LinkType, length: Int, bytes: [UInt8])] = []
            let last = frames.max() ?? 0
            let set = CaptureSet(paths: [capture])
            let errors = set.forEachPacket { header, bytes in
                guard frames.contains(header.record) else {
                    if header.record > last { set.stop() }
                    return
                }
                var copy: [UInt8] = []
                copy.reserveCapacity(bytes.count)
                for i in bytes.indices { copy.append(bytes[i]) }
                found.append((header.record, header.timestamp, header.linkType, header.originalLength, copy))
                if header.record >= last { set.stop() }
            }
            if found.isEmpty, let error = errors.first {
                throw CarveError(description: "\(capture): record \(error.record): \(error.reason)")
            }
            found.sort { $0.frame < $1.frame }
            for packet in found {
                if writer == nil { writer = PcapWriter(linkType: packet.link) }
                guard writer?.linkType == packet.link else {
                    throw CarveError(
                        description: "\(capture): frame \(packet.frame) has link type \(packet.link), "
                            + "the carved file \(writer?.linkType.description ?? "?"); classic pcap holds one")
                }
                writer?.append(time: packet.time, originalLength: packet.length, data: packet.bytes)
            }
            let got = Set(found.map(\.frame))
            missing += frames.subtracting(got).sorted().map { Alert.EvidenceFrame(capture: capture, frame: $0) }
        }
        return (writer ?? PcapWriter(linkType: .ethernet), missing)
    }
}
