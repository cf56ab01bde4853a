import ConvergeModel

extension IEC104 {
    /// Target kinds, one per information element layout. Every target is one information object:
    /// `address` is its IOA, `count` 1, and `values` are laid out as
    /// `[value, quality or qualifier]`, followed by the CP56Time2a time tag as Unix milliseconds
    /// (UTC assumed) when the type carries one and it is valid. Exceptions to that layout:
    /// `clock_sync` and `delay_acquisition` carry only their time (`[ms]`), `read`, `file` and
    /// `security` carry no values.
    /// Values: points and commands their state bits; normalised values the raw signed 16-bit
    /// (value / 32768), short floats the IEEE-754 bit pattern (`Float(bitPattern:)`), counters the
    /// signed 32-bit reading. Qualities are the flag bits of SIQ/DIQ/QDS (IV 0x80, NT 0x40,
    /// SB 0x20, BL 0x10, OV 0x01; step positions add 0x100 when transient); command qualifiers
    /// keep the S/E bit (0x80, select) and QU (bits 2…6).
    public enum TargetKind {
        public static let singlePoint = "single_point"
        public static let doublePoint = "double_point"
        public static let stepPosition = "step_position"
        public static let bitstring = "bitstring"
        public static let normalizedValue = "normalized_value"
        public static let scaledValue = "scaled_value"
        public static let shortFloat = "short_float"
        public static let integratedTotal = "integrated_total"
        public static let packedSinglePoint = "packed_single_point"
        public static let protectionEvent = "protection_event"
        public static let singleCommand = "single_command"
        public static let doubleCommand = "double_command"
        public static let regulatingStep = "regulating_step"
        public static let setpointNormalized = "setpoint_normalized"
        public static let setpointScaled = "setpoint_scaled"
        public static let setpointFloat = "setpoint_float"
        public static let bitstringCommand = "bitstring_command"
        public static let endOfInitialization = "end_of_initialization"
        public static let interrogation = "interrogation"
        public static let counterInterrogation = "counter_interrogation"
        public static let read = "read"
        public static let clockSync = "clock_sync"
        public static let testCommand = "test_command"
        public static let resetProcess = "reset_process"
        public static let delayAcquisition = "delay_acquisition"
        public static let parameterNormalized = "parameter_normalized"
        public static let parameterScaled = "parameter_scaled"
        public static let parameterFloat = "parameter_float"
        public static let parameterActivation = "parameter_activation"
        public static let file = "file"
        public static let security = "security"
    }

    /// The information objects of an I frame, as targets; `asdu` is the frame's ASDU. Decodes
    /// only the objects whose bytes are present (`objectsPresent`, at most 127). Sets
    /// `invalidTime` when a CP56Time2a is out of range.
    static func informationObjects(_ frame: Frame, asdu: Span<UInt8>, anomalies: inout Anomalies) -> [Message.Target] {
        guard let spec = frame.typeID.spec, frame.objectsPresent > 0 else { return [] }
        let element = spec.elementLength == TypeID.variableLength ? 0 : spec.elementLength
        let timeLength = frame.typeID.timeTagLength
        var targets: [Message.Target] = []
        targets.reserveCapacity(min(frame.objectsPresent, maxObjects))
        var offset = asduHeaderLength
        var address = frame.firstObjectAddress
        for index in 0..<min(frame.objectsPresent, maxObjects) {
            if index == 0 || !frame.isSequence {
                guard let ioa = ASDU.uint24LE(asdu, offset) else { break }
                address = ioa
                offset &+= ioaLength
            } else {
                address = (address &+ 1) & 0xff_ffff
            }
            let start = offset
            guard start &+ element <= asdu.count else { break }
            var values = elementValues(spec.element, asdu, at: start)
            if timeLength == 7 {
                let timeAt = start &+ element &- 7
                if let ms = CP56Time2a.unixMilliseconds(asdu, at: timeAt) {
                    values.append(ms)
                } else {
                    anomalies.insert(.invalidTime)
                }
            }
            targets.append(Message.Target(kind: spec.element.kind, address: Int(address), values: values))
            offset = start &+ element
        }
        return targets
    }

    /// The value and quality (or qualifier) of one element starting at `at`.
    static func elementValues(_ element: TypeID.Element, _ asdu: Span<UInt8>, at: Int) -> [Int] {
        let b0 = Int(asdu.byte(at: at) ?? 0)
        let int16 = Int(Int16(bitPattern: ASDU.uint16LE(asdu, at) ?? 0))
        let uint32 = Int(ASDU.uint32LE(asdu, at) ?? 0)
        switch element {
        case .singlePoint: return [b0 & 0x01, b0 & 0xf0]
        case .doublePoint: return [b0 & 0x03, b0 & 0xf0]
        case .stepPosition:
            // VTI: a 7-bit two's-complement value and the transient bit.
            let value = b0 & 0x40 != 0 ? (b0 & 0x7f) &- 128 : b0 & 0x7f
            let quality = Int(asdu.byte(at: at &+ 1) ?? 0) & 0xf1
            return [value, quality | (b0 & 0x80 != 0 ? 0x100 : 0)]
        case .bitstring, .packedSinglePoint, .shortFloat:
            return [uint32, Int(asdu.byte(at: at &+ 4) ?? 0) & 0xf1]
        case .normalized, .scaled:
            return [int16, Int(asdu.byte(at: at &+ 2) ?? 0) & 0xf1]
        case .normalizedNoQuality: return [int16, 0]
        case .integratedTotal:
            return [Int(Int32(bitPattern: UInt32(truncatingIfNeeded: uint32))), Int(asdu.byte(at: at &+ 4) ?? 0)]
        case .protectionEvent: return [b0 & 0x03, b0 & 0xf8]
        case .protectionPacked: return [b0, Int(asdu.byte(at: at &+ 1) ?? 0)]
        case .singleCommand: return [b0 & 0x01, b0 & 0xfc]
        case .doubleCommand, .regulatingStep: return [b0 & 0x03, b0 & 0xfc]
        case .setpointNormalized, .setpointScaled, .parameterNormalized, .parameterScaled:
            return [int16, Int(asdu.byte(at: at &+ 2) ?? 0)]
        case .setpointFloat, .parameterFloat: return [uint32, Int(asdu.byte(at: at &+ 4) ?? 0)]
        case .bitstringCommand: return [uint32, 0]
        case .endOfInitialization, .interrogation, .counterInterrogation, .resetProcess, .parameterActivation:
            return [b0, 0]
        case .testCommand: return [Int(ASDU.uint16LE(asdu, at) ?? 0), 0]
        case .delayAcquisition: return [Int(ASDU.uint16LE(asdu, at) ?? 0)]
        case .clockSync, .read, .file, .security: return []
        }
    }
}

extension IEC104.TypeID.Element {
    /// The target kind of this element layout.
    var kind: String {
        typealias K = IEC104.TargetKind
        switch self {
        case .singlePoint: return K.singlePoint
        case .doublePoint: return K.doublePoint
        case .stepPosition: return K.stepPosition
        case .bitstring: return K.bitstring
        case .normalized, .normalizedNoQuality: return K.normalizedValue
        case .scaled: return K.scaledValue
        case .shortFloat: return K.shortFloat
        case .integratedTotal: return K.integratedTotal
        case .packedSinglePoint: return K.packedSinglePoint
        case .protectionEvent, .protectionPacked: return K.protectionEvent
        case .singleCommand: return K.singleCommand
        case .doubleCommand: return K.doubleCommand
        case .regulatingStep: return K.regulatingStep
        case .setpointNormalized: return K.setpointNormalized
        case .setpointScaled: return K.setpointScaled
        case .setpointFloat: return K.setpointFloat
        case .bitstringCommand: return K.bitstringCommand
        case .endOfInitialization: return K.endOfInitialization
        case .interrogation: return K.interrogation
        case .counterInterrogation: return K.counterInterrogation
        case .read: return K.read
        case .clockSync: return K.clockSync
        case .testCommand: return K.testCommand
        case .resetProcess: return K.resetProcess
        case .delayAcquisition: return K.delayAcquisition
        case .parameterNormalized: return K.parameterNormalized
        case .parameterScaled: return K.parameterScaled
        case .parameterFloat: return K.parameterFloat
        case .parameterActivation: return K.parameterActivation
        case .file: return K.file
        case .security: return K.security
        }
    }
}
