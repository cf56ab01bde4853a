extension DNP3.Objects {
    /// Object sizes of the groups and variations IEEE 1815 defines with a fixed layout (the
    /// spec's object library, clause 11 and annex A). Anything else is `.unknown` unless it
    /// comes with a size prefix.
    ///
    /// Switching on the group first, then the variation, compiles to jump tables: this runs for
    /// every object header `parse` walks.
    public static func size(group: UInt8, variation v: UInt8) -> Size {
        switch group {
        case 0: return .attribute
        case 1, 10:
            return v == 1 ? .packed(bits: 1) : v == 2 ? .fixed(1) : .unknown
        case 2, 4:
            switch v {
            case 1: return .fixed(1)
            case 2: return .fixed(7)
            case 3: return .fixed(3)
            default: return .unknown
            }
        case 3:
            return v == 1 ? .packed(bits: 2) : v == 2 ? .fixed(1) : .unknown
        case 11, 13:
            return v == 1 ? .fixed(1) : v == 2 ? .fixed(7) : .unknown
        case 12:
            switch v {
            case 1, 2: return .fixed(11)
            case 3: return .packed(bits: 1)
            default: return .unknown
            }
        case 20...23: return counterSize(group: group, variation: v)
        case 30, 31, 32, 33, 34, 40, 41, 42, 43: return analogSize(group: group, variation: v)
        case 50:
            switch v {
            case 1, 3: return .fixed(6)
            case 2: return .fixed(10)
            case 4: return .fixed(11)
            default: return .unknown
            }
        case 51: return v == 1 || v == 2 ? .fixed(6) : .unknown
        case 52: return v == 1 || v == 2 ? .fixed(2) : .unknown
        case 60: return (1...4).contains(v) ? .fixed(0) : .unknown
        case 70: return (1...8).contains(v) ? .freeFormat : .unknown
        case 80: return v == 1 ? .packed(bits: 1) : .unknown
        case 101:
            switch v {
            case 1: return .fixed(2)
            case 2: return .fixed(4)
            case 3: return .fixed(8)
            default: return .unknown
            }
        case 102: return v == 1 ? .fixed(1) : .unknown
        // Octet strings and virtual terminal objects: the variation is the length.
        case 110...113: return v == 0 ? .unknown : .fixed(Int(v))
        case 120:
            switch v {
            case 3: return .fixed(6)
            case 4: return .fixed(2)
            default: return .freeFormat
            }
        case 121: return v == 1 ? .fixed(7) : .unknown
        case 122: return v == 1 ? .fixed(7) : v == 2 ? .fixed(13) : .unknown
        default: return .unknown
        }
    }

    /// Counters (20), frozen counters (21) and their events (22, 23): flags, a 32- or 16-bit
    /// value, and a time in the frozen and event variations that carry one.
    static func counterSize(group: UInt8, variation v: UInt8) -> Size {
        switch v {
        case 1, 3: return .fixed(5)
        case 2, 4: return .fixed(3)
        case 5, 7: return group == 20 ? .fixed(4) : .fixed(11)
        case 6, 8: return group == 20 ? .fixed(2) : .fixed(9)
        case 9, 11: return group == 21 ? .fixed(4) : .unknown
        case 10, 12: return group == 21 ? .fixed(2) : .unknown
        default: return .unknown
        }
    }

    /// Analog inputs (30–33), deadbands (34) and analog outputs (40–43).
    static func analogSize(group: UInt8, variation v: UInt8) -> Size {
        switch group {
        case 30:
            switch v {
            case 1, 5: return .fixed(5)
            case 2: return .fixed(3)
            case 3: return .fixed(4)
            case 4: return .fixed(2)
            case 6: return .fixed(9)
            default: return .unknown
            }
        case 31:
            switch v {
            case 1, 7: return .fixed(5)
            case 2: return .fixed(3)
            case 3: return .fixed(11)
            case 4, 8: return .fixed(9)
            case 5: return .fixed(4)
            case 6: return .fixed(2)
            default: return .unknown
            }
        case 34:
            switch v {
            case 1: return .fixed(2)
            case 2, 3: return .fixed(4)
            default: return .unknown
            }
        case 40, 41:
            switch v {
            case 1, 3: return .fixed(5)
            case 2: return .fixed(3)
            case 4: return .fixed(9)
            default: return .unknown
            }
        default:
            // 32, 33, 42, 43: events with and without time.
            switch v {
            case 1, 5: return .fixed(5)
            case 2: return .fixed(3)
            case 3, 7: return .fixed(11)
            case 4, 6: return .fixed(9)
            case 8: return .fixed(15)
            default: return .unknown
            }
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
