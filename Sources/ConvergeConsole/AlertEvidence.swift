import ConvergeCapture
import ConvergeModel
import Foundation
import Hummingbird

/// `/alerts/{id}/evidence.pcap`: the alert's evidence frames read again from their capture files
/// and cut into one pcap by the same carver as `converge carve`.
enum AlertEvidence {
    static func response(_ alert: Alert) async throws -> Response {
        guard !alert.evidence.isEmpty else { throw ConsoleError(.notFound, "this alert has no evidence frames") }
        let evidence = alert.evidence
        let carved: (bytes: [UInt8], packets: Int)
        do {
            // Reading a capture is blocking file I/O: kept off the task serving the request.
            carved = try await Task.detached {
                let cut = try EvidenceCarver.carve(evidence)
                return (cut.file.bytes, cut.file.packets)
            }.value
        } catch let error as CarveError {
            switch error.reason {
            case .captureMissing:
                throw ConsoleError(.notFound, "the evidence capture is no longer on disk: \(error.description)")
            case .unreadable:
                throw ConsoleError(.unprocessableContent, "the evidence cannot be carved: \(error.description)")
            }
        }
        guard carved.packets > 0 else {
            throw ConsoleError(.notFound, "none of the evidence frames are in the capture any more")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/vnd.tcpdump.pcap",
                .contentDisposition: "attachment; filename=\"\(fileName(alert.id))\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: carved.bytes)))
    }

    /// `alert-<id>.pcap` with every character but letters, digits, `.`, `_` and `-` made `_`.
    static func fileName(_ id: String) -> String {
        let safe = id.unicodeScalars.prefix(100).map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": Character(scalar)
            default: "_"
            }
        }
        return "alert-" + String(safe) + ".pcap"
    }
}
