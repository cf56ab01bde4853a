import ConvergeModel

extension IEC104 {
    /// The ASDU of an I frame: its header and the layout of its information objects.
    enum ASDU {
        /// Reads the header into `frame` and checks the objects against the bytes: a declared
        /// count the bytes cannot hold is `shortASDU` (only the objects present are decoded later),
        /// bytes beyond the declared objects are `invalidLength`.
        static func parse(_ asdu: Span<UInt8>, into frame: inout Frame) {
            frame.asduLength = asdu.count
            guard let type = asdu.byte(at: 0) else {
                frame.anomalies.insert(.shortASDU)
                return
            }
            frame.rawTypeID = type
            if !frame.typeID.isDefined { frame.anomalies.insert(.unknownTypeID) }
            guard asdu.count >= asduHeaderLength, let vsq = asdu.byte(at: 1), let cot = asdu.byte(at: 2),
                let originator = asdu.byte(at: 3), let address = uint16LE(asdu, 4)
            else {
                frame.anomalies.insert(.shortASDU)
                return
            }
            frame.variableStructure = vsq
            frame.rawCause = cot
            frame.originatorAddress = originator
            frame.commonAddress = address
            frame.firstObjectAddress = uint24LE(asdu, asduHeaderLength) ?? 0
            if !frame.cause.isDefined { frame.anomalies.insert(.unknownCause) }
            if frame.isTest { frame.anomalies.insert(.testMode) }
            guard let spec = frame.typeID.spec else { return }
            if frame.declaredObjects == 0 { frame.anomalies.insert(.noObjects) }
            if frame.isSequence && spec.element.isCommandLike { frame.anomalies.insert(.invalidStructure) }
            checkObjects(asdu, spec: spec, frame: &frame)
        }

        /// Counts the objects whose bytes are present and records the first object's qualifier.
        static func checkObjects(_ asdu: Span<UInt8>, spec: TypeID.Spec, frame: inout Frame) {
            let body = asdu.count &- asduHeaderLength
            guard spec.elementLength != TypeID.variableLength else {
                // Variable-length types (security, file segments): one object, address then data.
                frame.objectsPresent = body >= ioaLength ? min(frame.declaredObjects, 1) : 0
                if body < ioaLength { frame.anomalies.insert(.shortASDU) }
                return
            }
            let element = spec.elementLength
            let declared = frame.declaredObjects
            let needed = frame.isSequence
                ? (declared == 0 ? 0 : ioaLength &+ declared &* element)
                : declared &* (ioaLength &+ element)
            if body < needed {
                frame.anomalies.insert(.shortASDU)
                frame.objectsPresent = frame.isSequence
                    ? (body < ioaLength ? 0 : min(declared, (body &- ioaLength) / max(element, 1)))
                    : body / (ioaLength &+ element)
            } else {
                frame.objectsPresent = declared
                if body > needed { frame.anomalies.insert(.invalidLength) }
            }
            if frame.objectsPresent > 0, spec.element.qualifierOffset >= 0 {
                let at = asduHeaderLength &+ ioaLength &+ spec.element.qualifierOffset
                frame.qualifier = asdu.byte(at: at) ?? 0
            }
        }

        static func uint16LE(_ bytes: Span<UInt8>, _ offset: Int) -> UInt16? {
            guard let low = bytes.byte(at: offset), let high = bytes.byte(at: offset &+ 1) else { return nil }
            return UInt16(low) | UInt16(high) << 8
        }

        static func uint24LE(_ bytes: Span<UInt8>, _ offset: Int) -> UInt32? {
            guard let b0 = bytes.byte(at: offset), let b1 = bytes.byte(at: offset &+ 1),
                let b2 = bytes.byte(at: offset &+ 2)
            else { return nil }
            return UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16
        }

        static func uint32LE(_ bytes: Span<UInt8>, _ offset: Int) -> UInt32? {
            guard offset >= 0, offset &+ 4 <= bytes.count else { return nil }
            return bytes.loadUInt32LE(at: offset)
        }
    }
}

extension IEC104.TypeID.Element {
    /// Commands and system commands address one object each; SQ = 1 is not allowed for them.
    var isCommandLike: Bool {
        switch self {
        case .singleCommand, .doubleCommand, .regulatingStep, .setpointNormalized, .setpointScaled,
            .setpointFloat, .bitstringCommand, .interrogation, .counterInterrogation, .read, .clockSync,
            .testCommand, .resetProcess, .delayAcquisition:
            true
        default: false
        }
    }

    /// Where the command qualifier sits within the element (after the value), -1 when none.
    var qualifierOffset: Int {
        switch self {
        case .singleCommand, .doubleCommand, .regulatingStep, .interrogation, .counterInterrogation,
            .resetProcess, .parameterActivation, .endOfInitialization:
            0
        case .setpointNormalized, .setpointScaled, .parameterNormalized, .parameterScaled: 2
        case .setpointFloat, .parameterFloat: 4
        default: -1
        }
    }
}
