import ConvergeModel

extension MELSEC {
    /// MC protocol commands (SH-080008 ch. 5) with snake_case names and operations.
    public enum Command {
        public static let batchRead: UInt16 = 0x0401
        public static let batchWrite: UInt16 = 0x1401
        public static let readCPUModel: UInt16 = 0x0101

        static let table: [(code: UInt16, name: String, operation: Operation)] = [
            (0x0401, "batch_read", .read),
            (0x1401, "batch_write", .write),
            (0x0403, "random_read", .read),
            (0x1402, "random_write", .write),
            (0x0406, "multiple_block_batch_read", .read),
            (0x1406, "multiple_block_batch_write", .write),
            (0x0801, "monitor_registration", .read),
            (0x0802, "monitor", .read),
            (0x0601, "intelligent_module_buffer_read", .read),
            (0x1601, "intelligent_module_buffer_write", .write),
            (0x0613, "buffer_memory_read", .read),
            (0x1613, "buffer_memory_write", .write),
            (0x0101, "read_cpu_model", .discovery),
            (0x1001, "remote_run", .control),
            (0x1002, "remote_stop", .control),
            (0x1003, "remote_pause", .control),
            (0x1005, "remote_latch_clear", .control),
            (0x1006, "remote_reset", .control),
            (0x0619, "loopback_test", .diagnostic),
            (0x1617, "clear_error", .control),
            (0x1630, "remote_password_unlock", .auth),
            (0x1631, "remote_password_lock", .auth),
            (0x0201, "label_batch_read", .read),
            (0x1201, "label_batch_write", .write),
            (0x041A, "label_random_read", .read),
            (0x141A, "label_random_write", .write),
            (0x1810, "file_read_directory", .program),
            (0x1811, "file_search_directory", .program),
            (0x1820, "file_new", .program),
            (0x1822, "file_delete", .program),
            (0x1824, "file_copy", .program),
            (0x1825, "file_change_attribute", .program),
            (0x1826, "file_change_date", .program),
            (0x1827, "file_open", .program),
            (0x1828, "file_read", .program),
            (0x1829, "file_write", .program),
            (0x182A, "file_close", .program),
        ]

        public static func isKnown(_ code: UInt16) -> Bool { table.contains { $0.code == code } }

        public static func name(_ code: UInt16) -> String {
            table.first { $0.code == code }?.name ?? "unknown_0x" + FINS.hex(UInt32(code), digits: 4)
        }

        public static func operation(_ code: UInt16) -> Operation {
            table.first { $0.code == code }?.operation ?? .other
        }
    }

    /// Head device of a batch read/write: device code, number, points.
    public struct Device: Sendable, Equatable {
        public var code: UInt16
        public var number: UInt32
        public var points: UInt16

        /// Subcommands 0000/0001 (Q/L series): device number 3 bytes, code 1 byte, points 2.
        /// Subcommands 0002/0003 (iQ-R): device number 4 bytes, code 2 bytes, points 2.
        static func parse(_ bytes: Span<UInt8>, at offset: Int, subcommand: UInt16) -> Device? {
            let wide = subcommand & 0x0002 != 0
            let codeOffset = offset &+ (wide ? 4 : 3)
            let pointsOffset = codeOffset &+ (wide ? 2 : 1)
            guard let b0 = bytes.byte(at: offset), let b1 = bytes.byte(at: offset &+ 1),
                let b2 = bytes.byte(at: offset &+ 2), let code = bytes.byte(at: codeOffset),
                let p0 = bytes.byte(at: pointsOffset), let p1 = bytes.byte(at: pointsOffset &+ 1)
            else { return nil }
            var number = UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16
            var fullCode = UInt16(code)
            if wide {
                guard let b3 = bytes.byte(at: offset &+ 3), let high = bytes.byte(at: codeOffset &+ 1) else {
                    return nil
                }
                number |= UInt32(b3) << 24
                fullCode |= UInt16(high) << 8
            }
            return Device(code: fullCode, number: number, points: UInt16(p0) | UInt16(p1) << 8)
        }

        /// Whether the subcommand addresses bits (bit 0 set: 0001/0003), one nibble per point.
        static func isBitUnit(_ subcommand: UInt16) -> Bool { subcommand & 0x0001 != 0 }

        /// The device name as the manual spells it (lower case), or `device_0xNN`.
        public static func kind(_ code: UInt16) -> String {
            switch code {
            case 0x9C: "x"
            case 0x9D: "y"
            case 0x90: "m"
            case 0x92: "l"
            case 0x93: "f"
            case 0x94: "v"
            case 0xA0: "b"
            case 0xA8: "d"
            case 0xB4: "w"
            case 0xC1: "ts"
            case 0xC0: "tc"
            case 0xC2: "tn"
            case 0xC4: "cs"
            case 0xC3: "cc"
            case 0xC5: "cn"
            case 0xAF: "r"
            case 0xB0: "zr"
            case 0xCC: "z"
            case 0x91: "sm"
            case 0xA9: "sd"
            case 0xA1: "sb"
            case 0xB5: "sw"
            case 0xA2: "dx"
            case 0xA3: "dy"
            default: "device_0x" + FINS.hex(UInt32(code), digits: 2)
            }
        }
    }
}
