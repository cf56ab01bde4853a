import ConvergeModel

/// What S7comm and S7comm-plus share above the TPKT/COTP framing: where a user PDU's bytes are,
/// the probe on its first byte, and the run of `parse` up to the protocol's own PDU parser.
extension ISOOnTCP {
    /// Where one user PDU's bytes are: inline in the span given to `parse` (at `offset`), or,
    /// when `reassembled`, at 0 in the flow's `Reassembly` buffer until the next `parse`.
    public struct UserPDU: Sendable, Equatable {
        public var offset = 0
        public var length = 0
        /// The PDU was gathered from several DT TPDUs into the reassembly buffer.
        public var reassembled = false
        /// DT TPDUs that made up the PDU (1 when it came whole).
        public var fragments = 1

        public init(offset: Int = 0, length: Int = 0, reassembled: Bool = false, fragments: Int = 1) {
            self.offset = offset
            self.length = length
            self.reassembled = reassembled
            self.fragments = fragments
        }
    }

    /// TPKT/COTP framing, then the first user PDU's first byte decides (the protocol id).
    public static func probe(_ bytes: Span<UInt8>, accepting accepts: (UInt8) -> Bool) -> ProbeResult {
        switch firstPayloadByte(bytes) {
        case .needMore: .needMore
        case .reject: .reject
        case .byte(let first): accepts(first) ? .match : .reject
        }
    }

    /// Runs `body` over the PDU's bytes: a sub-span of `bytes`, or of `buffer` (the flow's
    /// reassembly buffer) when it was reassembled. Offsets are clamped, so a stale `UserPDU`
    /// yields a shorter span, never a trap.
    public static func withBytes<R>(
        of pdu: UserPDU, in bytes: Span<UInt8>, buffer: [UInt8], _ body: (Span<UInt8>) -> R
    ) -> R {
        if pdu.reassembled {
            let span = buffer.span
            return body(span.extracting(0..<min(max(0, pdu.length), span.count)))
        }
        let start = min(max(0, pdu.offset), bytes.count)
        let end = min(max(start, pdu.offset &+ pdu.length), bytes.count)
        return body(bytes.extracting(start..<end))
    }

    /// How the front of the stream came out for the protocol above.
    public enum Outcome: Sendable, Equatable {
        /// A user PDU, already handed to the protocol's parser.
        case pdu
        /// Fragments beyond the reassembly bounds, dropped.
        case reassemblyOverflow
        /// More than `maxConnectionTPDUs` connection TPDUs in a row, dropped.
        case connectionFlood
    }

    /// The common part of both dissectors' `parse`: takes the next user PDU and hands its bytes
    /// to `parsePDU`, unless the fragments or connection TPDUs before it were dropped. The
    /// reassembly buffer is read through a second reference, not copied: nothing writes it while
    /// `parsePDU` runs.
    static func takeUserPDU<State: ISOOnTCPFlowState>(
        _ bytes: Span<UInt8>, state: inout State, _ parsePDU: (Span<UInt8>, inout State) -> Void
    ) throws(DissectError) -> (delivery: Delivery, outcome: Outcome) {
        let delivery = try nextPDU(bytes, reassembly: &state.cotp)
        if delivery.overflow { return (delivery, .reassemblyOverflow) }
        if delivery.connectionFlood { return (delivery, .connectionFlood) }
        let buffer = state.cotp.bytes
        withBytes(of: delivery.pdu, in: bytes, buffer: buffer) { parsePDU($0, &state) }
        return (delivery, .pdu)
    }
}

extension ISOOnTCP {
    /// Big-endian 32-bit value at `offset`, or nil past the end (both protocols above read them).
    static func uint32BE(_ bytes: Span<UInt8>, at offset: Int) -> UInt32? {
        guard offset >= 0, offset &+ 4 <= bytes.count else { return nil }
        return bytes.loadUInt32BE(at: offset)
    }
}

/// Per-flow state of a protocol over ISO-on-TCP: it owns the COTP reassembly buffer.
protocol ISOOnTCPFlowState {
    var cotp: ISOOnTCP.Reassembly { get set }
}
