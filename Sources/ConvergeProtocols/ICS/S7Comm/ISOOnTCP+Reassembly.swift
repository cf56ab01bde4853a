import ConvergeModel

extension ISOOnTCP {
    /// The DT payloads of one fragmented user PDU, gathered per flow and direction. Its storage
    /// grows to the largest PDU seen (at most `maxReassembledBytes`) and is then reused, so a flow
    /// that keeps fragmenting allocates once. Valid until the next `gather`.
    public struct Reassembly: Sendable {
        public private(set) var bytes: [UInt8] = []
        /// The smallest capacity reserved, so small PDUs do not regrow the buffer in steps.
        static let initialCapacity = 2048

        public init() {}

        public var count: Int { bytes.count }

        /// Replaces the buffer with the payloads of the DT TPDUs in `stream[start..<end]`, which
        /// `nextPDU` has already walked and bounded.
        mutating func gather(_ stream: Span<UInt8>, from start: Int, to end: Int) {
            bytes.removeAll(keepingCapacity: true)
            var offset = start
            while offset < end {
                guard let unit = try? ISOOnTCP.tpdu(at: offset, in: stream) else { return }
                if unit.isData {
                    let needed = bytes.count &+ unit.payloadLength
                    if bytes.capacity < needed {
                        bytes.reserveCapacity(min(max(needed, Self.initialCapacity, bytes.capacity &* 2),
                            ISOOnTCP.maxReassembledBytes))
                    }
                    for index in unit.payloadOffset..<unit.end { bytes.append(stream[index]) }
                }
                offset = unit.end
            }
        }
    }

    /// How far `resynchronize` looks for a TPKT header: a few maximum-size TPKTs would be more than
    /// a stream ever carries between two headers in practice, so a bounded window suffices.
    public static let resyncWindow = 8192

    /// The offset of the first plausible TPKT header (version 3, reserved 0, a length that holds a
    /// TPDU, a known TPDU code whose header fits) within `resyncWindow` bytes, preferring ones whose
    /// successor (when in `bytes`) is plausible too; nil if none.
    public static func resynchronize(_ bytes: Span<UInt8>) -> Int? {
        let limit = min(bytes.count, resyncWindow)
        var offset = 0
        while offset < limit {
            defer { offset &+= 1 }
            guard plausibleHeader(at: offset, in: bytes), let length = bytes.uint16BE(at: offset &+ 2) else {
                continue
            }
            let next = offset &+ Int(length)
            if next &+ tpktHeaderLength &+ 2 > bytes.count || plausibleHeader(at: next, in: bytes) {
                return offset
            }
        }
        return nil
    }

    /// Whether a TPKT/COTP header could start at `offset` (as far as bytes are present).
    static func plausibleHeader(at offset: Int, in bytes: Span<UInt8>) -> Bool {
        guard bytes.byte(at: offset) == tpktVersion else { return false }
        if let reserved = bytes.byte(at: offset &+ 1), reserved != 0 { return false }
        guard let length = bytes.uint16BE(at: offset &+ 2) else { return true }
        guard Int(length) >= minTPKTLength else { return false }
        guard let indicator = bytes.byte(at: offset &+ tpktHeaderLength) else { return true }
        guard indicator >= 1, tpktHeaderLength &+ 1 &+ Int(indicator) <= Int(length) else { return false }
        guard let code = bytes.byte(at: offset &+ tpktHeaderLength &+ 1) else { return true }
        switch code & 0xf0 {
        case TPDUCode.data: return indicator == 2
        case TPDUCode.connectionRequest, TPDUCode.connectionConfirm, TPDUCode.disconnectRequest,
            TPDUCode.disconnectConfirm, TPDUCode.error, TPDUCode.expeditedData, TPDUCode.expeditedDataAck,
            TPDUCode.reject, TPDUCode.dataAck:
            return true
        default: return false
        }
    }
}
