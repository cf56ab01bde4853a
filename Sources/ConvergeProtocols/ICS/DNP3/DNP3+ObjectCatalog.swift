extension DNP3.Objects {
    /// Object sizes of the groups and variations IEEE 1815 defines with a fixed layout (the
    /// spec's object library, clause 11 and annex A). Anything else is `.unknown` unless it
    /// comes with a size prefix.
    public static func size(group: UInt8, variation v: UInt8) -> Size {
        switch (group, v) {
        case (0, _): .attribute
        case (1, 1), (10, 1), (80, 1), (12, 3): .packed(bits: 1)
        case (3, 1): .packed(bits: 2)
        case (1, 2), (3, 2), (10, 2), (2, 1), (4, 1), (11, 1), (13, 1): .fixed(1)
        case (2, 2), (4, 2), (11, 2), (13, 2): .fixed(7)
        case (2, 3), (4, 3): .fixed(3)
        case (12, 1), (12, 2): .fixed(11)
        case (20, 1), (20, 3), (21, 1), (21, 3), (22, 1), (22, 3), (23, 1), (23, 3): .fixed(5)
        case (20, 2), (20, 4), (21, 2), (21, 4), (22, 2), (22, 4), (23, 2), (23, 4): .fixed(3)
        case (20, 5), (20, 7), (21, 9), (21, 11): .fixed(4)
        case (20, 6), (20, 8), (21, 10), (21, 12): .fixed(2)
        case (21, 5), (21, 7), (22, 5), (22, 7), (23, 5), (23, 7): .fixed(11)
        case (21, 6), (21, 8), (22, 6), (22, 8), (23, 6), (23, 8): .fixed(9)
        case (30, 1), (30, 5), (31, 1), (31, 7): .fixed(5)
        case (30, 2), (31, 2): .fixed(3)
        case (30, 3), (31, 5): .fixed(4)
        case (30, 4), (31, 6): .fixed(2)
        case (30, 6), (31, 8): .fixed(9)
        case (31, 3): .fixed(11)
        case (31, 4): .fixed(9)
        case (32, 1), (33, 1), (42, 1), (43, 1), (32, 5), (33, 5), (42, 5), (43, 5): .fixed(5)
        case (32, 2), (33, 2), (42, 2), (43, 2): .fixed(3)
        case (32, 3), (33, 3), (42, 3), (43, 3), (32, 7), (33, 7), (42, 7), (43, 7): .fixed(11)
        case (32, 4), (33, 4), (42, 4), (43, 4), (32, 6), (33, 6), (42, 6), (43, 6): .fixed(9)
        case (32, 8), (33, 8), (42, 8), (43, 8): .fixed(15)
        case (34, 1): .fixed(2)
        case (34, 2), (34, 3): .fixed(4)
        case (40, 1), (40, 3), (41, 1), (41, 3): .fixed(5)
        case (40, 2), (41, 2): .fixed(3)
        case (40, 4), (41, 4): .fixed(9)
        case (50, 1), (50, 3), (51, 1), (51, 2): .fixed(6)
        case (50, 2): .fixed(10)
        case (50, 4): .fixed(11)
        case (52, 1), (52, 2): .fixed(2)
        case (60, 1...4): .fixed(0)
        case (70, 1...8): .freeFormat
        case (101, 1): .fixed(2)
        case (101, 2): .fixed(4)
        case (101, 3): .fixed(8)
        case (102, 1): .fixed(1)
        // Octet strings and virtual terminal objects: the variation is the length.
        case (110...113, 1...255): .fixed(Int(v))
        case (120, 3): .fixed(6)
        case (120, 4): .fixed(2)
        case (120, _): .freeFormat
        case (121, 1), (122, 1): .fixed(7)
        case (122, 2): .fixed(13)
        default: .unknown
        }
    }

    /// The target kind of a group, as events name it.
    public static func kind(group: UInt8, variation: UInt8) -> String {
        switch group {
        case 0: "device_attribute"
        case 1: "binary_input"
        case 2: "binary_input_event"
        case 3: "double_bit_input"
        case 4: "double_bit_input_event"
        case 10: "binary_output"
        case 11: "binary_output_event"
        case 12: variation == 1 ? "crob" : variation == 2 ? "pattern_control_block" : "pattern_mask"
        case 13: "binary_output_command_event"
        case 20: "counter"
        case 21: "frozen_counter"
        case 22: "counter_event"
        case 23: "frozen_counter_event"
        case 30: "analog_input"
        case 31: "frozen_analog_input"
        case 32: "analog_input_event"
        case 33: "frozen_analog_input_event"
        case 34: "analog_input_deadband"
        case 40: "analog_output_status"
        case 41: "analog_output"
        case 42: "analog_output_event"
        case 43: "analog_output_command_event"
        case 50: "time"
        case 51: "common_time_of_occurrence"
        case 52: "time_delay"
        case 60: "class_data"
        case 70: "file"
        case 80: "internal_indication"
        case 101: "bcd"
        case 102: "unsigned_integer"
        case 110: "octet_string"
        case 111: "octet_string_event"
        case 112: "virtual_terminal_output"
        case 113: "virtual_terminal_event"
        case 120: "authentication"
        case 121: "security_statistic"
        case 122: "security_statistic_event"
        default: "g\(group)v\(variation)"
        }
    }
}
