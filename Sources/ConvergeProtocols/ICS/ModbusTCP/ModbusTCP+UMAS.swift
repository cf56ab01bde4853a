import ConvergeModel

extension ModbusTCP {
    /// Schneider Electric UMAS, carried in Modbus function 90: PDU = 0x5A, session key, UMAS
    /// function, data. Responses carry 0xFE (ok) or 0xFD (error) in place of the function. Codes
    /// from public research (Kaspersky ICS-CERT 2022, Wireshark's packet-mbtcp.h).
    public enum UMAS {
        public static let responseOK: UInt8 = 0xfe
        public static let responseError: UInt8 = 0xfd

        public static func name(_ code: UInt8) -> String? {
            switch code {
            case 0x01: "init_comm"
            case 0x02: "read_id"
            case 0x03: "read_project_info"
            case 0x04: "read_plc_info"
            case 0x06: "read_card_info"
            case 0x0a: "repeat"
            case 0x10: "take_plc_reservation"
            case 0x11: "release_plc_reservation"
            case 0x12: "keep_alive"
            case 0x20: "read_memory_block"
            case 0x22: "read_variables"
            case 0x23: "write_variables"
            case 0x24: "read_coils_registers"
            case 0x25: "write_coils_registers"
            case 0x26: "data_dictionary"
            case 0x30: "initialize_upload"
            case 0x31: "upload_block"
            case 0x32: "end_strategy_upload"
            case 0x33: "initialize_download"
            case 0x34: "download_block"
            case 0x35: "end_strategy_download"
            case 0x39: "read_eth_master_data"
            case 0x40: "start_plc"
            case 0x41: "stop_plc"
            case 0x50: "monitor_plc"
            case 0x58: "check_plc"
            case 0x70: "read_io_object"
            case 0x71: "write_io_object"
            case 0x73: "get_status_module"
            default: nil
            }
        }

        /// Upload/download moves the PLC program; start/stop controls it; reservation is a session.
        public static func operation(_ code: UInt8) -> Operation {
            switch code {
            case 0x01, 0x10, 0x11, 0x12: .session
            case 0x02, 0x03, 0x04, 0x06, 0x39, 0x73: .discovery
            case 0x0a, 0x50, 0x58: .diagnostic
            case 0x20, 0x22, 0x24, 0x26, 0x70: .read
            case 0x23, 0x25, 0x71: .write
            case 0x30...0x35: .program
            case 0x40, 0x41: .control
            default: .other
            }
        }
    }
}
