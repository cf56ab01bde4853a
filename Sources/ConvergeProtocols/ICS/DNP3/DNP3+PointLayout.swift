extension DNP3.ProcessValues {
    /// How a point value is encoded in one object (IEEE 1815 clause 11 object library).
    enum Number: Sendable, Equatable {
        /// The state bit (bit 7) of the flags octet: binary inputs and outputs with flags.
        case stateBit
        /// The two state bits (bits 6–7) of the flags octet: double-bit inputs.
        case doubleBit
        case u16, u32, i16, i32, f32, f64
    }

    /// Where an object keeps its time of occurrence.
    enum TimeField: Sendable, Equatable {
        case none
        /// 48-bit milliseconds since 1970-01-01 UTC after the value.
        case absolute
        /// 16-bit milliseconds after the common time of occurrence (group 51) sent before it.
        case relative
    }

    /// The layout of one object of a value-carrying variation: an optional flags octet (or, in
    /// analog output blocks, a trailing control status), the value, then its time.
    struct Layout: Sendable, Equatable {
        var flags: Bool
        var number: Number
        var time: TimeField = .none

        static func flagged(_ number: Number, _ time: TimeField = .none) -> Layout {
            Layout(flags: true, number: number, time: time)
        }

        static func bare(_ number: Number) -> Layout { Layout(flags: false, number: number) }
    }

    /// The layout of the variations whose objects carry one point value; nil for every other
    /// variation (packed bit strings are read by bit position, not by layout). Nested switches
    /// compile to jump tables.
    static func layout(group: UInt8, variation v: UInt8) -> Layout? {
        switch group {
        case 1, 10: v == 2 ? .flagged(.stateBit) : nil
        case 2, 11:
            switch v {
            case 1: .flagged(.stateBit)
            case 2: .flagged(.stateBit, .absolute)
            case 3 where group == 2: .flagged(.stateBit, .relative)
            default: nil
            }
        case 3: v == 2 ? .flagged(.doubleBit) : nil
        case 4:
            switch v {
            case 1: .flagged(.doubleBit)
            case 2: .flagged(.doubleBit, .absolute)
            case 3: .flagged(.doubleBit, .relative)
            default: nil
            }
        case 20:
            switch v {
            case 1, 3: .flagged(.u32)
            case 2, 4: .flagged(.u16)
            case 5, 7: .bare(.u32)
            case 6, 8: .bare(.u16)
            default: nil
            }
        case 21:
            switch v {
            case 1, 3: .flagged(.u32)
            case 2, 4: .flagged(.u16)
            case 5, 7: .flagged(.u32, .absolute)
            case 6, 8: .flagged(.u16, .absolute)
            case 9, 11: .bare(.u32)
            case 10, 12: .bare(.u16)
            default: nil
            }
        case 22, 23:
            switch v {
            case 1, 3: .flagged(.u32)
            case 2, 4: .flagged(.u16)
            case 5, 7: .flagged(.u32, .absolute)
            case 6, 8: .flagged(.u16, .absolute)
            default: nil
            }
        case 30:
            switch v {
            case 1: .flagged(.i32)
            case 2: .flagged(.i16)
            case 3: .bare(.i32)
            case 4: .bare(.i16)
            case 5: .flagged(.f32)
            case 6: .flagged(.f64)
            default: nil
            }
        case 31:
            switch v {
            case 1: .flagged(.i32)
            case 2: .flagged(.i16)
            case 3: .flagged(.i32, .absolute)
            case 4: .flagged(.i16, .absolute)
            case 5: .bare(.i32)
            case 6: .bare(.i16)
            case 7: .flagged(.f32)
            case 8: .flagged(.f64)
            default: nil
            }
        case 32, 33, 42:
            switch v {
            case 1: .flagged(.i32)
            case 2: .flagged(.i16)
            case 3: .flagged(.i32, .absolute)
            case 4: .flagged(.i16, .absolute)
            case 5: .flagged(.f32)
            case 6: .flagged(.f64)
            case 7: .flagged(.f32, .absolute)
            case 8: .flagged(.f64, .absolute)
            default: nil
            }
        case 40:
            switch v {
            case 1: .flagged(.i32)
            case 2: .flagged(.i16)
            case 3: .flagged(.f32)
            case 4: .flagged(.f64)
            default: nil
            }
        // Analog output blocks: the value, then a control status (not a flags octet).
        case 41:
            switch v {
            case 1: .bare(.i32)
            case 2: .bare(.i16)
            case 3: .bare(.f32)
            case 4: .bare(.f64)
            default: nil
            }
        default: nil
        }
    }

    /// The point type a group reports on, shared by its static, event and command objects so one
    /// point keeps one tag (an analog input read by g30 and reported by g32 events; an analog
    /// output commanded by g41 and read back by g40).
    public static func pointType(group: UInt8) -> String? {
        switch group {
        case 1, 2: "binary_input"
        case 3, 4: "double_bit_input"
        case 10, 11, 12: "binary_output"
        case 20, 22: "counter"
        case 21, 23: "frozen_counter"
        case 30, 32: "analog_input"
        case 31, 33: "frozen_analog_input"
        case 40, 41, 42: "analog_output"
        default: nil
        }
    }
}
