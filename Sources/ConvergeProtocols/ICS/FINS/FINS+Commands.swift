import ConvergeModel

extension FINS {
    /// FINS command codes (MRC × 256 + SRC) from the FINS Commands Reference Manual (W227), with
    /// snake_case names and the operation each performs.
    public enum Command {
        public static let memoryAreaRead: UInt16 = 0x0101
        public static let memoryAreaWrite: UInt16 = 0x0102
        public static let memoryAreaFill: UInt16 = 0x0103
        public static let multipleMemoryAreaRead: UInt16 = 0x0104
        public static let memoryAreaTransfer: UInt16 = 0x0105
        public static let run: UInt16 = 0x0401
        public static let stop: UInt16 = 0x0402
        public static let controllerDataRead: UInt16 = 0x0501

        /// Every defined command: code, name, operation.
        static let table: [(code: UInt16, name: String, operation: Operation)] = [
            (0x0101, "memory_area_read", .read),
            (0x0102, "memory_area_write", .write),
            (0x0103, "memory_area_fill", .write),
            (0x0104, "multiple_memory_area_read", .read),
            (0x0105, "memory_area_transfer", .write),
            (0x0201, "parameter_area_read", .read),
            (0x0202, "parameter_area_write", .write),
            (0x0203, "parameter_area_clear", .write),
            (0x0220, "data_link_table_read", .read),
            (0x0221, "data_link_table_write", .write),
            (0x0304, "program_area_protect", .auth),
            (0x0305, "program_area_protect_clear", .auth),
            (0x0306, "program_area_read", .program),
            (0x0307, "program_area_write", .program),
            (0x0308, "program_area_clear", .program),
            (0x0401, "run", .control),
            (0x0402, "stop", .control),
            (0x0403, "reset", .control),
            (0x0501, "controller_data_read", .discovery),
            (0x0502, "connection_data_read", .discovery),
            (0x0601, "controller_status_read", .diagnostic),
            (0x0602, "network_status_read", .diagnostic),
            (0x0603, "data_link_status_read", .diagnostic),
            (0x0620, "cycle_time_read", .diagnostic),
            (0x0701, "clock_read", .read),
            (0x0702, "clock_write", .write),
            (0x0801, "loopback_test", .diagnostic),
            (0x0802, "broadcast_test_results_read", .diagnostic),
            (0x0803, "broadcast_test_data_send", .diagnostic),
            (0x0920, "message_read", .diagnostic),
            (0x0C01, "access_right_acquire", .session),
            (0x0C02, "access_right_forced_acquire", .session),
            (0x0C03, "access_right_release", .session),
            (0x2101, "error_clear", .control),
            (0x2102, "error_log_read", .diagnostic),
            (0x2103, "error_log_clear", .control),
            (0x2140, "fins_write_access_log_read", .diagnostic),
            (0x2141, "fins_write_access_log_clear", .control),
            (0x2201, "file_name_read", .program),
            (0x2202, "single_file_read", .program),
            (0x2203, "single_file_write", .program),
            (0x2204, "file_memory_format", .program),
            (0x2205, "file_delete", .program),
            (0x2206, "volume_label_create_delete", .program),
            (0x2207, "file_copy", .program),
            (0x2208, "file_name_change", .program),
            (0x2209, "file_data_check", .program),
            (0x220A, "memory_area_file_transfer", .program),
            (0x220B, "parameter_area_file_transfer", .program),
            (0x220C, "program_area_file_transfer", .program),
            (0x220F, "file_memory_index_read", .program),
            (0x2210, "file_memory_read", .program),
            (0x2211, "file_memory_write", .program),
            (0x2215, "directory_create_delete", .program),
            (0x2301, "forced_set_reset", .write),
            (0x2302, "forced_set_reset_cancel", .write),
            (0x230A, "multiple_forced_status_read", .read),
            (0x2601, "name_set", .control),
            (0x2602, "name_delete", .control),
            (0x2603, "name_read", .discovery),
        ]

        /// Whether `code` is a command the manual defines.
        public static func isKnown(_ code: UInt16) -> Bool { entry(code) != nil }

        /// Whether `mrc` is the main code of a defined command (the probe's test).
        public static func isKnownMainCode(_ mrc: UInt8) -> Bool {
            switch mrc {
            case 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0C, 0x21, 0x22, 0x23, 0x26: true
            default: false
            }
        }

        static func entry(_ code: UInt16) -> (code: UInt16, name: String, operation: Operation)? {
            table.first { $0.code == code }
        }

        /// The snake_case name, or `unknown_0xMMSS`.
        public static func name(_ code: UInt16) -> String {
            entry(code)?.name ?? "unknown_0x" + hex(UInt32(code), digits: 4)
        }

        public static func operation(_ code: UInt16) -> Operation { entry(code)?.operation ?? .other }
    }

    /// Memory area codes (CS/CJ/CP mode and CV mode) as target kinds.
    public enum MemoryArea {
        /// `cio_bit`, `dm_word`, `em_bank_3_word`, … or `area_0xNN` for a code the manual does not name here.
        public static func kind(_ code: UInt8) -> String {
            switch code {
            case 0x30: "cio_bit"
            case 0x31: "wr_bit"
            case 0x32: "hr_bit"
            case 0x33: "ar_bit"
            case 0x70, 0x71, 0x72, 0x73: "forced_status"
            case 0xB0: "cio_word"
            case 0xB1: "wr_word"
            case 0xB2: "hr_word"
            case 0xB3: "ar_word"
            case 0x09: "timer_counter_flag"
            case 0x89: "timer_counter_pv"
            case 0x02: "dm_bit"
            case 0x82: "dm_word"
            case 0x20...0x2F: "em_bank_\(code & 0x0F)_bit"
            case 0xA0...0xAF: "em_bank_\(code & 0x0F)_word"
            case 0x0A: "em_current_bit"
            case 0x98: "em_current_word"
            case 0x9C: "em_current_bank"
            case 0x06: "task_flag"
            case 0x44: "transition_flag"
            case 0x07: "clock_pulse_condition_flag"
            case 0xDC: "index_register"
            case 0xBC: "data_register"
            // CV mode.
            case 0x00: "cv_cio_bit"
            case 0x80: "cv_cio_word"
            case 0x01: "cv_timer_counter_flag"
            case 0x81: "cv_timer_counter_pv"
            default: "area_0x" + hex(UInt32(code), digits: 2)
            }
        }

        /// Bytes per item: bit areas 1, word areas 2, timer/counter and index registers 4 in some
        /// modes (taken as 2 here: the manual's word areas).
        public static func isBitArea(_ code: UInt8) -> Bool {
            switch code {
            case 0x30...0x33, 0x02, 0x20...0x2F, 0x0A, 0x09, 0x06, 0x44, 0x07, 0x00, 0x01, 0x70...0x73: true
            default: false
            }
        }
    }

    /// End codes (MRES/SRES). Bit 15 flags a relay error on the way, SRES bits 6–7 a non-fatal
    /// and fatal CPU error; the code proper is MRES bits 0–6 and SRES bits 0–5.
    public enum EndCode {
        public static let codeMask: UInt16 = 0x7F3F

        public static func isNormal(_ endCode: UInt16) -> Bool { endCode & codeMask == 0 }

        /// The main code's name (MRES), e.g. `not_executable_in_mode` for 0x22xx.
        public static func name(_ endCode: UInt16) -> String {
            switch (endCode >> 8) & 0x7F {
            case 0x00: "normal_completion"
            case 0x01: "local_node_error"
            case 0x02: "destination_node_error"
            case 0x03: "communications_controller_error"
            case 0x04: "not_executable"
            case 0x05: "routing_table_error"
            case 0x10: "command_format_error"
            case 0x11: "parameter_error"
            case 0x20: "read_not_possible"
            case 0x21: "write_not_possible"
            case 0x22: "not_executable_in_mode"
            case 0x23: "no_such_device"
            case 0x24: "cannot_start_stop"
            case 0x25: "unit_error"
            case 0x26: "command_error"
            case 0x30: "access_right_error"
            case 0x40: "abort"
            default: "unknown"
            }
        }
    }

    /// Lower-case hex with leading zeros (for names of unknown codes: events only).
    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits &- text.count)) + text
    }
}
