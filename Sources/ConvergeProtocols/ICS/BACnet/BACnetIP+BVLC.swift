import ConvergeModel

extension BACnetIP {
    /// BVLC functions of Annex J.2.
    public enum BVLCFunction: UInt8, Sendable, CaseIterable {
        case result = 0x00
        case writeBroadcastDistributionTable = 0x01
        case readBroadcastDistributionTable = 0x02
        case readBroadcastDistributionTableAck = 0x03
        case forwardedNPDU = 0x04
        case registerForeignDevice = 0x05
        case readForeignDeviceTable = 0x06
        case readForeignDeviceTableAck = 0x07
        case deleteForeignDeviceTableEntry = 0x08
        case distributeBroadcastToNetwork = 0x09
        case originalUnicastNPDU = 0x0a
        case originalBroadcastNPDU = 0x0b
        case secureBVLL = 0x0c

        public var name: String {
            switch self {
            case .result: "result"
            case .writeBroadcastDistributionTable: "write_broadcast_distribution_table"
            case .readBroadcastDistributionTable: "read_broadcast_distribution_table"
            case .readBroadcastDistributionTableAck: "read_broadcast_distribution_table_ack"
            case .forwardedNPDU: "forwarded_npdu"
            case .registerForeignDevice: "register_foreign_device"
            case .readForeignDeviceTable: "read_foreign_device_table"
            case .readForeignDeviceTableAck: "read_foreign_device_table_ack"
            case .deleteForeignDeviceTableEntry: "delete_foreign_device_table_entry"
            case .distributeBroadcastToNetwork: "distribute_broadcast_to_network"
            case .originalUnicastNPDU: "original_unicast_npdu"
            case .originalBroadcastNPDU: "original_broadcast_npdu"
            case .secureBVLL: "secure_bvll"
            }
        }

        /// What a BVLC message without an NPDU does: table writes change how broadcasts are
        /// distributed (a redirection risk), registration opens a foreign-device session.
        public var operation: Operation {
            switch self {
            case .writeBroadcastDistributionTable, .deleteForeignDeviceTableEntry: .write
            case .readBroadcastDistributionTable, .readBroadcastDistributionTableAck, .readForeignDeviceTable,
                .readForeignDeviceTableAck:
                .read
            case .registerForeignDevice: .session
            case .secureBVLL: .auth
            case .result, .forwardedNPDU, .distributeBroadcastToNetwork, .originalUnicastNPDU, .originalBroadcastNPDU:
                .other
            }
        }

        /// Whether an NPDU follows the BVLC header.
        public var carriesNPDU: Bool {
            switch self {
            case .forwardedNPDU, .distributeBroadcastToNetwork, .originalUnicastNPDU, .originalBroadcastNPDU: true
            default: false
            }
        }
    }

    /// BVLC-Result codes (J.2.1.1): 0 is success, the rest are NAKs of one function.
    public static func bvlcResultName(_ code: UInt16) -> String? {
        switch code {
        case 0x0000: "successful_completion"
        case 0x0010: "write_broadcast_distribution_table_nak"
        case 0x0020: "read_broadcast_distribution_table_nak"
        case 0x0030: "register_foreign_device_nak"
        case 0x0040: "read_foreign_device_table_nak"
        case 0x0050: "delete_foreign_device_table_entry_nak"
        case 0x0060: "distribute_broadcast_to_network_nak"
        default: nil
        }
    }

    /// Bytes of a broadcast distribution table entry (address, port, mask) and of a foreign
    /// device table entry (address, port, time-to-live, time remaining).
    static let tableEntryLength = 10
    /// A B/IP address: IPv4 address and UDP port.
    static let bipAddressLength = 6

    /// Reads the BVLC body within `end`; returns where the NPDU starts when the function carries one.
    static func parseBVLC(_ bytes: Span<UInt8>, end: Int, frame: inout Frame) -> Int? {
        let header = bvlcHeaderLength
        guard let function = BVLCFunction(rawValue: frame.bvlcFunction) else {
            frame.anomalies.insert(.unknownBVLCFunction)
            return nil
        }
        let body = end &- header
        // A BVLC length shorter than the datagram already is `invalidLength`; a body that does not
        // fit its function's fixed layout is too. Cut-off bodies are `truncated`.
        func expect(_ needed: Int) {
            if body < needed {
                frame.anomalies.insert(frame.anomalies.contains(.truncated) ? .truncated : .invalidLength)
            } else if body > needed && !frame.anomalies.contains(.truncated) {
                frame.anomalies.insert(.invalidLength)
            }
        }
        switch function {
        case .result:
            expect(2)
            frame.bvlcValue = bytes.uint16BE(at: header) ?? 0
            if body >= 2, bvlcResultName(frame.bvlcValue) == nil { frame.anomalies.insert(.invalidReason) }
        case .registerForeignDevice:
            expect(2)
            frame.bvlcValue = bytes.uint16BE(at: header) ?? 0
        case .deleteForeignDeviceTableEntry:
            expect(bipAddressLength)
        case .readBroadcastDistributionTable, .readForeignDeviceTable:
            expect(0)
        case .writeBroadcastDistributionTable, .readBroadcastDistributionTableAck, .readForeignDeviceTableAck:
            frame.bvlcValue = UInt16(clamping: body / tableEntryLength)
            if body % tableEntryLength != 0 && !frame.anomalies.contains(.truncated) {
                frame.anomalies.insert(.invalidLength)
            }
        case .forwardedNPDU:
            guard body >= bipAddressLength, header &+ bipAddressLength <= bytes.count else {
                frame.anomalies.insert(frame.anomalies.contains(.truncated) ? .truncated : .invalidLength)
                return nil
            }
            frame.originalAddress = bytes.loadUInt32BE(at: header)
            frame.originalPort = bytes.uint16BE(at: header &+ 4) ?? 0
            return header &+ bipAddressLength
        case .distributeBroadcastToNetwork, .originalUnicastNPDU, .originalBroadcastNPDU:
            return header
        case .secureBVLL:
            break
        }
        return nil
    }
}
