import ConvergeModel
import ConvergeWire

/// ISO transport over TCP (RFC 1006 TPKT carrying ISO 8073 class 0 COTP TPDUs), the framing under
/// S7comm and S7comm-plus on TCP 102. Both dissectors share it: a stream is a run of TPKTs, each
/// holding one COTP TPDU; user data travels in DT TPDUs and a user PDU ends at a DT with EOT.
///
/// Connection TPDUs (CR, CC, DR, DC, ER …) are not messages of the protocol above: `nextPDU` walks
/// past them and returns the next complete user PDU, reassembling DT fragments into a bounded
/// buffer. It mutates nothing until the whole user PDU is in the bytes, so asking for more and
/// being called again on the same bytes is harmless.
public enum ISOOnTCP {
    /// TPKT header: version (3), reserved, length (2, counting the header).
    public static let tpktHeaderLength = 4
    public static let tpktVersion: UInt8 = 3
    /// The smallest TPKT that holds a COTP TPDU: header, length indicator and a TPDU code.
    public static let minTPKTLength = 6
    /// COTP DT class 0: length indicator 2 (code, then EOT bit and TPDU number).
    public static let dataHeaderLength = 3
    /// The most DT payload bytes gathered into one user PDU. S7 PDUs are negotiated to at most a
    /// few kilobytes (the largest seen in the public captures is about 1 KiB); this leaves room
    /// and stays well inside the engine's per-direction carry buffer.
    public static let maxReassembledBytes = 32_768
    /// The most DT TPDUs (with or without data) in one user PDU: bounds the walk per call.
    public static let maxFragments = 64
    /// The most connection TPDUs walked past before a user PDU; a run of more is consumed as a
    /// flood, so a stream of them cannot make every call walk the whole buffer again.
    public static let maxConnectionTPDUs = 16

    /// COTP TPDU codes (ISO 8073 §13, upper nibble of the code byte; class 0 uses these).
    public enum TPDUCode {
        public static let expeditedData: UInt8 = 0x10
        public static let expeditedDataAck: UInt8 = 0x20
        public static let reject: UInt8 = 0x50
        public static let dataAck: UInt8 = 0x60
        public static let error: UInt8 = 0x70
        public static let disconnectRequest: UInt8 = 0x80
        public static let disconnectConfirm: UInt8 = 0xc0
        public static let connectionConfirm: UInt8 = 0xd0
        public static let connectionRequest: UInt8 = 0xe0
        public static let data: UInt8 = 0xf0
    }

    /// One TPKT and the COTP TPDU inside it, as offsets into the stream.
    public struct TPDU: Sendable, Equatable {
        /// Where the TPKT starts and its length field (the whole TPKT).
        public var offset: Int
        public var length: Int
        /// The TPDU code (upper nibble; for CR/CC the lower nibble is the credit).
        public var code: UInt8
        /// DT only: the EOT bit (the last TPDU of a user PDU).
        public var endOfPDU: Bool
        /// Where the user data (after the COTP header) starts and how long it is.
        public var payloadOffset: Int
        public var payloadLength: Int

        public var isData: Bool { code == TPDUCode.data }
        public var end: Int { offset &+ length }
    }

    /// Reads the TPKT/COTP header at `offset`. Needs the whole TPKT; a version other than 3, a
    /// length that cannot hold a TPDU or a COTP header longer than its TPKT is `.malformed`.
    public static func tpdu(at offset: Int, in bytes: Span<UInt8>) throws(DissectError) -> TPDU {
        guard let version = bytes.byte(at: offset) else { throw .needMore(offset &+ tpktHeaderLength) }
        guard version == tpktVersion else { throw .malformed("tpkt: version \(version) is not 3") }
        guard let length16 = bytes.uint16BE(at: offset &+ 2) else { throw .needMore(offset &+ tpktHeaderLength) }
        let length = Int(length16)
        guard length >= minTPKTLength else { throw .malformed("tpkt: length \(length) below \(minTPKTLength)") }
        let end = offset &+ length
        guard end <= bytes.count,
            let indicator = bytes.byte(at: offset &+ tpktHeaderLength),
            let rawCode = bytes.byte(at: offset &+ tpktHeaderLength &+ 1)
        else { throw .needMore(end) }
        // The length indicator counts the COTP header after itself; it must fit in the TPKT.
        let cotpLength = 1 &+ Int(indicator)
        guard indicator >= 1, tpktHeaderLength &+ cotpLength <= length else {
            throw .malformed("cotp: length indicator \(indicator) does not fit tpkt length \(length)")
        }
        let code = rawCode & 0xf0
        var endOfPDU = false
        if code == TPDUCode.data {
            guard indicator >= 2, let flags = bytes.byte(at: offset &+ tpktHeaderLength &+ 2) else {
                throw .malformed("cotp: DT header shorter than 3 bytes")
            }
            endOfPDU = flags & 0x80 != 0
        }
        let payloadOffset = offset &+ tpktHeaderLength &+ cotpLength
        return TPDU(
            offset: offset, length: length, code: code, endOfPDU: endOfPDU, payloadOffset: payloadOffset,
            payloadLength: end &- payloadOffset)
    }

    /// What the front of the stream held: one user PDU (see `UserPDU` for where its bytes are),
    /// or fragments and connection TPDUs that were dropped.
    public struct Delivery: Sendable, Equatable {
        /// Bytes of the stream used: skipped connection TPDUs, every DT of this PDU.
        public var consumed: Int
        public var pdu: UserPDU
        /// Connection TPDUs (CR, CC, DR …) walked past before it.
        public var connectionTPDUs: Int
        /// The fragments exceeded `maxReassembledBytes` or `maxFragments`: they are consumed and
        /// dropped, and there is no PDU.
        public var overflow: Bool
        /// The destination TSAP of the last connection request or confirm walked past (0 if none).
        public var calledTSAP: UInt16
        /// More than `maxConnectionTPDUs` connection TPDUs in a row: they are consumed, no PDU.
        public var connectionFlood = false
    }

    /// Takes the next user PDU from the front of `bytes`. Throws `.needMore` until the DT with
    /// EOT is in the bytes, `.malformed` when a TPKT header is broken.
    public static func nextPDU(_ bytes: Span<UInt8>, reassembly: inout Reassembly) throws(DissectError) -> Delivery {
        var offset = 0
        var chainStart = -1
        var fragments = 0
        var gathered = 0
        var connections = 0
        var calledTSAP: UInt16 = 0
        while true {
            let unit = try tpdu(at: offset, in: bytes)
            guard unit.isData else {
                connections &+= 1
                if connections > maxConnectionTPDUs {
                    var flood = Delivery(
                        consumed: unit.end, pdu: UserPDU(offset: unit.payloadOffset, length: 0, fragments: 0),
                        connectionTPDUs: connections, overflow: false, calledTSAP: calledTSAP)
                    flood.connectionFlood = true
                    return flood
                }
                if unit.code == TPDUCode.connectionRequest || unit.code == TPDUCode.connectionConfirm {
                    calledTSAP = Self.calledTSAP(unit, in: bytes) ?? calledTSAP
                }
                offset = unit.end
                continue
            }
            if chainStart < 0 { chainStart = offset }
            fragments &+= 1
            gathered &+= unit.payloadLength
            if gathered > maxReassembledBytes || fragments > maxFragments {
                return Delivery(
                    consumed: unit.end, pdu: UserPDU(offset: unit.payloadOffset, length: 0, fragments: fragments),
                    connectionTPDUs: connections, overflow: true, calledTSAP: calledTSAP)
            }
            guard unit.endOfPDU else {
                offset = unit.end
                continue
            }
            if gathered == 0 {
                // A DT with EOT and no data carries no PDU: walk on (needMore keeps it buffered).
                chainStart = -1
                fragments = 0
                offset = unit.end
                continue
            }
            var delivery = Delivery(
                consumed: unit.end,
                pdu: UserPDU(offset: unit.payloadOffset, length: unit.payloadLength, fragments: fragments),
                connectionTPDUs: connections, overflow: false, calledTSAP: calledTSAP)
            // Empty fragments before the last (seen as keep-alives) leave the PDU inline.
            if gathered != unit.payloadLength {
                reassembly.gather(bytes, from: chainStart, to: unit.end)
                delivery.pdu = UserPDU(offset: 0, length: reassembly.count, reassembled: true, fragments: fragments)
            }
            return delivery
        }
    }

    /// The called (destination) TSAP parameter (0xC2) of a CR or CC when it is two bytes long, as
    /// classic S7 uses (rack and slot); nil when absent or longer (S7comm-plus names its TSAP).
    static func calledTSAP(_ unit: TPDU, in bytes: Span<UInt8>) -> UInt16? {
        // CR/CC fixed part after the code: destination ref (2), source ref (2), class (1).
        var offset = unit.offset &+ tpktHeaderLength &+ 7
        let end = unit.payloadOffset
        while offset &+ 2 <= end, let code = bytes.byte(at: offset), let length = bytes.byte(at: offset &+ 1) {
            if code == 0xc2, length == 2, offset &+ 4 <= end { return bytes.uint16BE(at: offset &+ 2) }
            offset = offset &+ 2 &+ Int(length)
        }
        return nil
    }

    /// What the first user PDU of a flow starts with, for the probes: `.needMore` until a DT with
    /// data is in sight, `.reject` on broken framing, else the protocol id byte.
    public enum FirstByte: Equatable {
        case needMore, reject
        case byte(UInt8)
    }

    /// How many TPDUs a probe walks before deciding (connection TPDUs and empty DTs first).
    static let probeWindow = 8

    public static func firstPayloadByte(_ bytes: Span<UInt8>) -> FirstByte {
        var offset = 0
        for _ in 0..<probeWindow {
            do throws(DissectError) {
                let unit = try tpdu(at: offset, in: bytes)
                if unit.isData, let first = bytes.byte(at: unit.payloadOffset), unit.payloadLength > 0 {
                    return .byte(first)
                }
                offset = unit.end
            } catch {
                if case .needMore = error {
                    // Decide early on a partial first DT whose payload has begun.
                    if let unit = partialData(at: offset, in: bytes), let first = bytes.byte(at: unit) {
                        return .byte(first)
                    }
                    return .needMore
                }
                return .reject
            }
        }
        return .reject
    }

    /// The payload offset of a DT whose TPKT is not yet complete, when its header is in `bytes`.
    static func partialData(at offset: Int, in bytes: Span<UInt8>) -> Int? {
        guard bytes.byte(at: offset) == tpktVersion, let length = bytes.uint16BE(at: offset &+ 2),
            Int(length) >= minTPKTLength, let indicator = bytes.byte(at: offset &+ tpktHeaderLength),
            let code = bytes.byte(at: offset &+ tpktHeaderLength &+ 1), code & 0xf0 == TPDUCode.data,
            indicator >= 2, tpktHeaderLength &+ 1 &+ Int(indicator) < Int(length)
        else { return nil }
        return offset &+ tpktHeaderLength &+ 1 &+ Int(indicator)
    }
}
