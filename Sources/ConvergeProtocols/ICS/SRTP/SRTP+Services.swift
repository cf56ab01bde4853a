import ConvergeModel

extension SRTP {
    /// Service request codes (DFRWS 2017, Table 2, and the public SRTP clients), snake_case.
    public enum Service {
        public static let plcShortStatus: UInt8 = 0x00
        public static let returnControllerType: UInt8 = 0x43
        public static let setPLCState: UInt8 = 0x23
        public static let programStore: UInt8 = 0x3F
        public static let programLoad: UInt8 = 0x40

        static let table: [(code: UInt8, name: String, operation: Operation)] = [
            (0x00, "plc_short_status", .diagnostic),
            (0x01, "plc_long_status", .diagnostic),
            (0x03, "return_control_program_names", .discovery),
            (0x04, "read_system_memory", .read),
            (0x05, "read_task_memory", .read),
            (0x06, "read_program_block_memory", .read),
            (0x07, "write_system_memory", .write),
            (0x08, "write_task_memory", .write),
            (0x09, "write_program_block_memory", .write),
            (0x15, "establish_datagram", .read),
            (0x16, "update_datagram", .read),
            (0x17, "cancel_datagram", .other),
            (0x20, "programmer_logon", .auth),
            (0x21, "change_plc_cpu_privilege_level", .auth),
            (0x22, "set_plc_cpu_controller_id", .control),
            (0x23, "set_plc_state", .control),
            (0x24, "set_plc_time_date", .control),
            (0x25, "return_plc_time_date", .read),
            (0x38, "return_fault_table", .diagnostic),
            (0x39, "clear_fault_table", .control),
            (0x3F, "program_store", .program),
            (0x40, "program_load", .program),
            (0x43, "return_controller_type_and_id", .discovery),
            (0x44, "toggle_force_system_memory", .write),
            (0x48, "write_datagram", .other),
            (0x4F, "session_control", .session),
            (0x61, "plc_features_supported", .discovery),
        ]

        public static func isKnown(_ code: UInt8) -> Bool { table.contains { $0.code == code } }

        public static func name(_ code: UInt8) -> String {
            table.first { $0.code == code }?.name ?? "unknown_0x" + FINS.hex(UInt32(code), digits: 2)
        }

        public static func operation(_ code: UInt8) -> Operation {
            table.first { $0.code == code }?.operation ?? .other
        }
    }

    /// Segment selectors: the memory a read or write addresses, and its units.
    public enum Selector {
        static let table: [(code: UInt8, kind: String)] = [
            (0x08, "r"), (0x0A, "ai"), (0x0C, "aq"),
            (0x10, "i"), (0x12, "q"), (0x14, "t"), (0x16, "m"), (0x18, "sa"), (0x1A, "sb"), (0x1C, "sc"),
            (0x1E, "s"), (0x38, "g"),
            (0x46, "i_bit"), (0x48, "q_bit"), (0x4A, "t_bit"), (0x4C, "m_bit"), (0x4E, "sa_bit"),
            (0x50, "sb_bit"), (0x52, "sc_bit"), (0x54, "s_bit"), (0x56, "g_bit"),
        ]

        /// `r` for %R …, nil for a selector not in the table.
        public static func kind(_ code: UInt8) -> String? { table.first { $0.code == code }?.kind }
    }
}
